//! DG1 (Doc 9303-10 §4.7.1): no panic; parse → encode → parse identity.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_lds::Dg1;

fuzz_target!(|data: &[u8]| {
    if let Ok(dg1) = Dg1::parse(data) {
        let bytes = dg1.to_bytes();
        assert_eq!(Dg1::parse(&bytes).as_ref(), Ok(&dg1));
        let _ = (dg1.mrz.check_digits().all_valid(), format!("{dg1:?}"));
    }
});
