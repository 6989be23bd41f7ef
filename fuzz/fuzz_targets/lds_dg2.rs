//! DG2 (Doc 9303-10 §4.7.2, ISO/IEC 19794-5 face records): no panic;
//! whatever parses and encodes parses back to the same value, and the
//! encoding is stable.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_lds::Dg2;

fuzz_target!(|data: &[u8]| {
    if let Ok(dg2) = Dg2::parse(data) {
        let _ = dg2.images().map(|i| i.bytes.len()).sum::<usize>();
        let _ = format!("{dg2:?}");
        if let Ok(bytes) = dg2.to_bytes() {
            let back = Dg2::parse(&bytes).expect("an encoded DG2 parses");
            assert_eq!(back, dg2);
            assert_eq!(back.to_bytes().as_ref(), Ok(&bytes));
        }
    }
});
