//! EF.COM (Doc 9303-10 §4.6.1): no panic; parse → encode → parse identity.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_lds::EfCom;

fuzz_target!(|data: &[u8]| {
    if let Ok(com) = EfCom::parse(data) {
        let bytes = com.to_bytes();
        assert_eq!(EfCom::parse(&bytes).as_ref(), Ok(&com));
        let _ = (com.lds_version.to_digits(), com.unicode_version.to_digits());
    }
});
