//! SecurityInfos (EF.CardAccess, DG14, the eContent of EF.CardSecurity):
//! no panic, in strict and lenient mode; what parses re-encodes and parses
//! back to the same value; a strict parse agrees with a clean lenient one.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_lds::{CardSecurity, Dg14, EfId, ParseOptions, SecurityInfos};

fuzz_target!(|data: &[u8]| {
    let lenient = SecurityInfos::parse_file(EfId::CardAccess, data, ParseOptions::LENIENT);
    let strict = SecurityInfos::parse_file(EfId::CardAccess, data, ParseOptions::STRICT);
    if let Ok(s) = &strict {
        let l = lenient.as_ref().expect("strict ok implies lenient ok");
        assert!(l.warnings.is_empty());
        assert_eq!(l.value, s.value);
    }
    if let Ok(p) = lenient {
        for info in &p.value.infos {
            let _ = info.to_string();
        }
        if let Ok(der) = p.value.to_der() {
            let back = SecurityInfos::parse_file(EfId::CardAccess, &der, ParseOptions::LENIENT)
                .expect("an encoded SecurityInfos parses");
            assert_eq!(back.value, p.value);
            assert_eq!(back.value.to_der().as_ref(), Ok(&der));
        }
    }
    if let Ok(p) = Dg14::parse_with(data, ParseOptions::LENIENT) {
        if let Ok(bytes) = p.value.to_bytes() {
            assert_eq!(
                Dg14::parse_with(&bytes, ParseOptions::LENIENT)
                    .map(|p| p.value)
                    .as_ref(),
                Ok(&p.value)
            );
        }
    }
    if let Ok(p) = CardSecurity::parse_with(data, ParseOptions::LENIENT) {
        let cs = p.value;
        let _ = (
            cs.encapsulated_content(),
            cs.signed_data_bytes(),
            cs.raw_signer_infos().count(),
        );
        let _ = cs.certificates_der().count();
    }
});
