//! MRZ text (Doc 9303-3/-4/-5/-6): parsing from bytes (as DG1 stores it)
//! and from text, access fields, check digits, dates.
//!
//! Invariants: no panic; a parsed MRZ parses again from its own text to the
//! same value; every accessor and the check-digit verdicts work on it; its
//! fields survive encoding (encode → fields is the identity on them).

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_mrz::{AccessFields, Mrz, MrzDate, check_digit};

fn exercise(mrz: &Mrz) {
    let again = Mrz::from_bytes(mrz.as_str().as_bytes()).expect("an MRZ re-parses from its text");
    assert_eq!(&again, mrz);
    assert_eq!(Mrz::parse(&mrz.to_multiline()).as_ref(), Ok(mrz));
    let _ = (
        mrz.document_code(),
        mrz.issuing_state(),
        mrz.primary_identifier(),
        mrz.secondary_identifier(),
        mrz.document_number(),
        mrz.has_long_document_number(),
        mrz.nationality(),
        mrz.date_of_birth(),
        mrz.sex(),
        mrz.date_of_expiry(),
        mrz.optional_data(),
        mrz.optional_data_2(),
        mrz.document_number_check(),
        mrz.composite_check(),
        format!("{mrz:?}"),
    );
    let checks = mrz.check_digits();
    let _ = checks.iter().count();
    let fields = mrz.fields();
    // The fields are a fixed point of encode-then-read. (Not the text
    // itself: fillers that carry no information, such as extra `<` between
    // the name parts, which no check digit covers, are not kept in fields.)
    if let Ok(encoded) = Mrz::encode(mrz.format(), &fields) {
        assert_eq!(encoded.fields(), fields, "fields do not survive encoding");
        if checks.all_valid() {
            assert!(encoded.check_digits().all_valid());
        }
    }
    if let Ok(access) = AccessFields::from_mrz(mrz) {
        let info = access.mrz_information();
        assert!(info.is_ascii());
        let _ = (
            access.document_number(),
            access.date_of_birth(),
            access.date_of_expiry(),
        );
    }
}

fuzz_target!(|data: &[u8]| {
    if let Ok(mrz) = Mrz::from_bytes(data) {
        exercise(&mrz);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(mrz) = Mrz::parse(text) {
            exercise(&mrz);
        }
        let _ = AccessFields::from_mrz_text(text);
        let _ = check_digit(text);
        if let Ok(date) = MrzDate::from_raw(text) {
            let _ = (
                date.yy(),
                date.mm(),
                date.dd(),
                date.is_complete(),
                date.is_plausible(),
                date.as_str(),
            );
        }
        // The access fields a user might type, split from the text.
        let mut parts = text.splitn(3, ',');
        if let (Some(n), Some(b), Some(e)) = (parts.next(), parts.next(), parts.next())
            && let Ok(access) = AccessFields::new(n, b, e)
        {
            let _ = access.mrz_information();
        }
    }
});
