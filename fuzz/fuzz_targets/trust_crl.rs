//! CRLs (`mrtd_trust::CrlInfo`): no panic; revocation look-ups on what
//! decodes.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_trust::CrlInfo;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = CrlInfo::from_der(data) {
        assert_eq!(c.der(), data);
        let _ = c.revocation_of(&[1]);
        for r in &c.revoked {
            assert!(c.revocation_of(&r.serial).is_some());
        }
    }
});
