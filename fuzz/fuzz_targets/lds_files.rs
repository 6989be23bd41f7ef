//! Every LDS file model through `parse_file` (the first byte picks the
//! file, the rest is its content), strict and lenient: no panic; a strict
//! success is a clean lenient one; the data groups with an encoder
//! re-encode to what parses back to the same value.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_lds::{DgNumber, EfId, LdsFile, ParseOptions, parse_file};

fuzz_target!(|data: &[u8]| {
    let Some((selector, bytes)) = data.split_first() else {
        return;
    };
    let ef = match selector % 21 {
        0 => EfId::Com,
        17 => EfId::Sod,
        18 => EfId::CardAccess,
        19 => EfId::CardSecurity,
        20 => EfId::AtrInfo,
        n => EfId::Dg(DgNumber::new(n).expect("1..=16")),
    };
    let strict = parse_file(ef, bytes, ParseOptions::STRICT);
    let lenient = parse_file(ef, bytes, ParseOptions::LENIENT);
    if strict.is_ok() {
        // Strict DG1 reports check digits that the lenient parse warns
        // about: both succeed.
        assert!(lenient.is_ok(), "{ef}: strict ok, lenient failed");
    }
    let Ok(parsed) = lenient else { return };
    for w in &parsed.warnings {
        let _ = w.to_string();
    }
    let _ = format!("{:?}", parsed.value);
    let reencoded: Option<Vec<u8>> = match &parsed.value {
        LdsFile::Com(c) => Some(c.to_bytes()),
        LdsFile::Dg1(d) => Some(d.to_bytes()),
        LdsFile::Dg2(d) => d.to_bytes().ok(),
        LdsFile::Biometric(d) => d.to_bytes().ok(),
        LdsFile::Displayed(d) => d.to_bytes().ok(),
        LdsFile::Dg11(d) => d.to_bytes().ok(),
        LdsFile::Dg12(d) => d.to_bytes().ok(),
        LdsFile::Dg13(d) => Some(d.to_bytes()),
        LdsFile::Dg14(d) => d.to_bytes().ok(),
        LdsFile::Dg15(d) => Some(d.to_bytes()),
        LdsFile::Dg16(d) => d.to_bytes().ok(),
        LdsFile::CardAccess(s) => s.to_der().ok(),
        _ => None,
    };
    if let Some(again) = reencoded {
        let back = parse_file(ef, &again, ParseOptions::LENIENT).expect("an encoded file parses");
        assert_eq!(
            format!("{:?}", back.value),
            format!("{:?}", parsed.value),
            "{ef}"
        );
    }
});
