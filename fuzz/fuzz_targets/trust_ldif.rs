//! ICAO PKD LDIF (`mrtd_trust::ldif::parse`): no panic; every object found
//! came from a base64 value.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = mrtd_trust::ldif::looks_like_ldif(data);
    if let Ok(objects) = mrtd_trust::ldif::parse(data) {
        for o in objects {
            assert!(o.bytes.len() <= data.len());
        }
    }
});
