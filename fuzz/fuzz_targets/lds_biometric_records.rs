//! The biometric records inside DG2/DG3/DG4 on their own: ISO/IEC 19794-5
//! facial records, ISO/IEC 39794-5 face image data blocks, and the format
//! recognition of 19794-4/-6 blocks. No panic; what parses re-encodes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_lds::dg2::{FacialRecord, Iso39794Face};
use mrtd_lds::{BiometricData, DgNumber, EfId, ImageFormat};

fuzz_target!(|data: &[u8]| {
    let ef = EfId::Dg(DgNumber::new(2).expect("2"));
    if let Ok(record) = FacialRecord::parse(ef, data, 0) {
        let bytes = record.to_bytes(ef).expect("a parsed record encodes");
        assert_eq!(bytes, data);
    }
    if let Ok(face) = Iso39794Face::parse(ef, data, 0) {
        assert_eq!(face.as_bytes(), data);
        for r in &face.representations {
            let _ = (r.image.bytes.len(), r.landmarks.len());
        }
    }
    for constructed in [false, true] {
        let block = BiometricData {
            constructed,
            bytes: data.to_vec(),
        };
        let _ = block.format().to_string();
    }
    let _ = ImageFormat::detect(data);
});
