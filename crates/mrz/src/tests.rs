//! Tests on the ICAO specimen MRZs printed in Doc 9303 and round-trip
//! properties of the encoders.

use proptest::prelude::*;

use crate::*;

/// Doc 9303-4 Appendix B (TD3, passport of Anna Maria Eriksson, Utopia).
const TD3_UTO: &str = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
                       L898902C36UTO7408122F1204159ZE184226B<<<<<10";
/// Doc 9303-5 Appendix B (TD1 specimen).
const TD1_UTO: &str = "I<UTOD231458907<<<<<<<<<<<<<<<\n\
                       7408122F1204159UTO<<<<<<<<<<<6\n\
                       ERIKSSON<<ANNA<MARIA<<<<<<<<<<";
/// Doc 9303-6 Appendix B (TD2 specimen).
const TD2_UTO: &str = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\n\
                       D231458907UTO7408122F1204159<<<<<<<6";
/// Doc 9303-5 §4.2.4: a TD1 with a 12-character document number.
const TD1_LONG: &str = "I<UTOD23145890<7349<<<<<<<<<<<\n\
                        3407127M9507122UTO<<<<<<<<<<<2\n\
                        STEVENSON<<PETER<JOHN<<<<<<<<<";

fn ok(found: char) -> CheckDigitVerdict {
    CheckDigitVerdict {
        found,
        computed: found,
        valid: true,
    }
}

#[test]
fn td3_specimen_fields() {
    let mrz = Mrz::parse(TD3_UTO).unwrap();
    let Mrz::Td3(td3) = &mrz else {
        panic!("not TD3")
    };
    assert_eq!(td3.document_code(), "P");
    assert_eq!(td3.issuing_state(), "UTO");
    assert_eq!(td3.primary_identifier(), "ERIKSSON");
    assert_eq!(td3.secondary_identifier(), "ANNA MARIA");
    assert_eq!(td3.document_number(), "L898902C3");
    assert_eq!(td3.nationality(), "UTO");
    assert_eq!(td3.date_of_birth().as_str(), "740812");
    assert_eq!(td3.sex(), Sex::Female);
    assert_eq!(td3.date_of_expiry().as_str(), "120415");
    assert_eq!(td3.personal_number(), "ZE184226B");
    let checks = td3.check_digits();
    assert_eq!(checks.document_number, ok('6'));
    assert_eq!(checks.date_of_birth, ok('2'));
    assert_eq!(checks.date_of_expiry, ok('9'));
    assert_eq!(checks.personal_number, Some(ok('1')));
    assert_eq!(checks.composite, ok('0'));
    assert!(checks.all_valid());
    assert_eq!(
        td3.lines()[1],
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
    );
    assert_eq!(mrz.to_multiline(), TD3_UTO.replace(' ', ""));
    // The encoder reproduces the specimen exactly.
    assert_eq!(Td3::encode(&td3.fields()).unwrap().as_str(), td3.as_str());
}

#[test]
fn td1_specimen_fields() {
    let Mrz::Td1(td1) = Mrz::parse(TD1_UTO).unwrap() else {
        panic!("not TD1")
    };
    assert_eq!(td1.document_code(), "I");
    assert_eq!(td1.document_number(), "D23145890");
    assert!(!td1.has_long_document_number());
    assert_eq!(td1.optional_data(), "");
    assert_eq!(td1.optional_data_2(), "");
    assert_eq!(td1.nationality(), "UTO");
    assert_eq!(td1.primary_identifier(), "ERIKSSON");
    assert_eq!(td1.secondary_identifier(), "ANNA MARIA");
    assert_eq!(td1.check_digits().composite, ok('6'));
    assert!(td1.check_digits().all_valid());
    assert_eq!(td1.check_digits().personal_number, None);
    assert_eq!(Td1::encode(&td1.fields()).unwrap(), td1);
}

#[test]
fn td2_specimen_fields() {
    let Mrz::Td2(td2) = Mrz::parse(TD2_UTO).unwrap() else {
        panic!("not TD2")
    };
    assert_eq!(td2.document_number(), "D23145890");
    assert_eq!(td2.date_of_birth().as_str(), "740812");
    assert_eq!(td2.check_digits().composite, ok('6'));
    assert!(td2.check_digits().all_valid());
    assert_eq!(Td2::encode(&td2.fields()).unwrap(), td2);
}

#[test]
fn td1_long_document_number() {
    let Mrz::Td1(td1) = Mrz::parse(TD1_LONG).unwrap() else {
        panic!("not TD1")
    };
    assert!(td1.has_long_document_number());
    assert_eq!(td1.document_number(), "D23145890734");
    assert_eq!(td1.document_number_check(), ok('9'));
    assert_eq!(td1.optional_data(), "");
    assert_eq!(td1.sex(), Sex::Male);
    assert_eq!(td1.composite_check(), ok('2'));
    assert!(td1.check_digits().all_valid());
    assert_eq!(Td1::encode(&td1.fields()).unwrap(), td1);
    let access = AccessFields::from_mrz_text(TD1_LONG).unwrap();
    assert_eq!(access.document_number(), "D23145890734");
    assert_eq!(&*access.mrz_information(), "D23145890734934071279507122");
}

#[test]
fn wrong_check_digits_are_verdicts() {
    let bad = TD3_UTO.replace("L898902C36", "L898902C37");
    let mrz = Mrz::parse(&bad).unwrap();
    assert_eq!(
        mrz.document_number_check(),
        CheckDigitVerdict {
            found: '7',
            computed: '6',
            valid: false
        }
    );
    // The composite covers the document number check digit too.
    assert!(!mrz.composite_check().valid);
    assert!(!mrz.check_digits().all_valid());
    assert_eq!(
        AccessFields::from_mrz(&mrz).unwrap_err(),
        MrzError::CheckDigitMismatch {
            field: MrzField::DocumentNumber,
            found: '7',
            computed: '6'
        }
    );
}

#[test]
fn structural_errors() {
    assert!(matches!(
        Td1::parse(TD3_UTO),
        Err(MrzError::WrongFormat { .. })
    ));
    let bad_date = TD3_UTO.replace("7408122F", "74O8122F");
    assert_eq!(
        Mrz::parse(&bad_date).unwrap_err(),
        MrzError::MalformedField {
            field: MrzField::DateOfBirth,
            line: 2,
            column: 16,
            reason: "a date holds only digits and fillers"
        }
    );
    let bad_sex = TD3_UTO.replace("7408122F", "7408122Q");
    assert!(matches!(
        Mrz::parse(&bad_sex),
        Err(MrzError::MalformedField {
            field: MrzField::Sex,
            line: 2,
            column: 21,
            ..
        })
    ));
    assert!(matches!(
        Mrz::from_bytes(&[b'<'; 89]),
        Err(MrzError::UnknownFormat { len: 89 })
    ));
}

#[test]
fn personal_number_filler_check_digit() {
    // BSI TR-03105-5 specimen: unused personal number with filler check digit.
    let text =
        "P<D<<MUSTERMANN<<ERIKA<<<<<<<<<<<<<<<<<<<<<<C11T002JM4D<<9608122F2310314<<<<<<<<<<<<<<<4";
    let Mrz::Td3(td3) = Mrz::parse(text).unwrap() else {
        panic!("not TD3")
    };
    assert_eq!(td3.personal_number(), "");
    assert_eq!(
        td3.personal_number_check(),
        CheckDigitVerdict {
            found: '<',
            computed: '0',
            valid: true
        }
    );
    assert!(td3.check_digits().all_valid());
    assert_eq!(td3.issuing_state(), "D");
    assert_eq!(td3.primary_identifier(), "MUSTERMANN");
    assert_eq!(Td3::encode(&td3.fields()).unwrap().as_str(), text);
}

#[test]
fn mrz_information_doc_9303_11_appendix_d() {
    let access = AccessFields::new("L898902C", "690806", "940623").unwrap();
    assert_eq!(&*access.mrz_information(), "L898902C<369080619406236");
    // Lower case and a trailing filler are normalised away.
    let access = AccessFields::new(" l898902c< ", "690806", "940623").unwrap();
    assert_eq!(access.document_number(), "L898902C");
    assert_eq!(&*access.mrz_information(), "L898902C<369080619406236");
    // Doc 9303-11 Appendix G.1 (PACE) MRZ: T22000129 / 640812 / 101031.
    let access = AccessFields::new("T22000129", "640812", "101031").unwrap();
    assert_eq!(&*access.mrz_information(), "T22000129364081251010318");
}

#[test]
fn access_fields_validation() {
    assert!(matches!(
        AccessFields::new("", "690806", "940623"),
        Err(MrzError::InvalidValue {
            field: MrzField::DocumentNumber,
            ..
        })
    ));
    assert!(AccessFields::new("L898 02C", "690806", "940623").is_err());
    assert!(matches!(
        AccessFields::new("L898902C", "691306", "940623"),
        Err(MrzError::InvalidDate {
            field: MrzField::DateOfBirth,
            ..
        })
    ));
    assert!(matches!(
        AccessFields::new("L898902C", "690806", "9406"),
        Err(MrzError::InvalidDate {
            field: MrzField::DateOfExpiry,
            ..
        })
    ));
    assert!(matches!(
        AccessFields::new(&"A".repeat(24), "690806", "940623"),
        Err(MrzError::TooLong {
            field: MrzField::DocumentNumber,
            ..
        })
    ));
    let access = AccessFields::new("L898902C", "690806", "940623").unwrap();
    let debug = format!("{access:?}");
    assert!(!debug.contains("L898") && !debug.contains("690806") && !debug.contains("940623"));
}

#[test]
fn access_fields_from_text() {
    let line = "L898902C36UTO7408122F1204159ZE184226B<<<<<10";
    let a = AccessFields::from_mrz_text(line).unwrap();
    assert_eq!(
        (a.document_number(), a.date_of_birth(), a.date_of_expiry()),
        ("L898902C3", "740812", "120415")
    );
    assert_eq!(
        &*AccessFields::from_mrz_text(TD3_UTO)
            .unwrap()
            .mrz_information(),
        "L898902C3674081221204159"
    );
    let td2_line = "D231458907UTO7408122F1204159<<<<<<<6";
    assert_eq!(
        AccessFields::from_mrz_text(td2_line)
            .unwrap()
            .document_number(),
        "D23145890"
    );
    assert_eq!(
        AccessFields::from_mrz_text(TD1_UTO)
            .unwrap()
            .document_number(),
        "D23145890"
    );
    // Wrong date of birth check digit (3 instead of 2).
    let bad = line.replace("7408122F", "7408123F");
    assert_eq!(
        AccessFields::from_mrz_text(&bad).unwrap_err(),
        MrzError::CheckDigitMismatch {
            field: MrzField::DateOfBirth,
            found: '3',
            computed: '2'
        }
    );
    let bad = line.replace("1204159", "1204158");
    assert!(matches!(
        AccessFields::from_mrz_text(&bad),
        Err(MrzError::CheckDigitMismatch {
            field: MrzField::DateOfExpiry,
            ..
        })
    ));
    // A lone lower line is reported in MRZ line numbering.
    assert_eq!(
        AccessFields::from_mrz_text(&line.replace('Z', "z")).unwrap_err(),
        MrzError::IllegalCharacter {
            ch: 'z',
            line: 2,
            column: 29
        }
    );
    assert!(matches!(
        AccessFields::from_mrz_text("L898902C3"),
        Err(MrzError::UnknownFormat { .. })
    ));
}

#[test]
fn debug_hides_personal_data() {
    let mrz = Mrz::parse(TD3_UTO).unwrap();
    let debug = format!("{mrz:?} {:?}", mrz.fields());
    for secret in [
        "ERIKSSON",
        "L898902C",
        "740812",
        "120415",
        "ZE184226B",
        "ANNA",
    ] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
}

#[test]
fn serde_round_trip() {
    let mrz = Mrz::parse(TD1_LONG).unwrap();
    let json = serde_json::to_value(&mrz).unwrap();
    assert_eq!(json["format"], "TD1");
    assert_eq!(json["document_number"], "D23145890734");
    assert_eq!(json["long_document_number"], true);
    assert_eq!(json["check_digits"]["composite"]["valid"], true);
    assert_eq!(json["sex"], "male");
    let back: Mrz = serde_json::from_value(json).unwrap();
    assert_eq!(back, mrz);
    let fields = mrz.fields();
    let back: MrzFields = serde_json::from_str(&serde_json::to_string(&fields).unwrap()).unwrap();
    assert_eq!(back, fields);
}

#[test]
fn encoder_rejects_what_would_not_parse_back() {
    let mut f = Mrz::parse(TD3_UTO).unwrap().fields();
    f.document_number = "L898902C12".into();
    assert!(matches!(
        Td3::encode(&f),
        Err(MrzError::TooLong {
            field: MrzField::DocumentNumber,
            ..
        })
    ));
    // TD2 accepts it through the long-number rule.
    f.optional_data = String::new();
    let td2 = Td2::encode(&f).unwrap();
    assert_eq!(td2.document_number(), "L898902C12");
    assert!(td2.has_long_document_number());
    f.document_number = "L898902C".into();
    f.optional_data = "AB<".into();
    assert!(matches!(
        Td3::encode(&f),
        Err(MrzError::InvalidValue {
            field: MrzField::OptionalData,
            ..
        })
    ));
    f.optional_data = String::new();
    f.optional_data_2 = "X".into();
    assert!(matches!(
        Td3::encode(&f),
        Err(MrzError::InvalidValue {
            field: MrzField::OptionalData2,
            ..
        })
    ));
    f.optional_data_2 = String::new();
    f.issuing_state = "U1O".into();
    assert!(matches!(
        Td3::encode(&f),
        Err(MrzError::InvalidValue {
            field: MrzField::IssuingState,
            ..
        })
    ));
    f.issuing_state = "UTO".into();
    f.document_code = "1".into();
    assert!(matches!(
        Td3::encode(&f),
        Err(MrzError::InvalidValue {
            field: MrzField::DocumentCode,
            ..
        })
    ));
}

fn words(max_words: usize) -> impl Strategy<Value = String> {
    prop::collection::vec("[A-Z]{1,8}", 0..=max_words).prop_map(|w| w.join(" "))
}

fn date() -> impl Strategy<Value = MrzDate> {
    (
        prop::option::of(0u8..100),
        prop::option::of(1u8..13),
        prop::option::weighted(0.9, 1u8..29),
    )
        .prop_map(|(y, m, d)| MrzDate::from_parts(y, m, d).unwrap())
}

fn sex() -> impl Strategy<Value = Sex> {
    prop_oneof![
        Just(Sex::Female),
        Just(Sex::Male),
        Just(Sex::X),
        Just(Sex::Unspecified)
    ]
}

fn optional(max: usize) -> BoxedStrategy<String> {
    if max == 0 {
        Just(String::new()).boxed()
    } else {
        prop::string::string_regex(&format!("([A-Z0-9<]{{0,{}}}[A-Z0-9])?", max - 1))
            .unwrap()
            .boxed()
    }
}

/// Field values that mostly fit `format` (names, numbers and optional data
/// sized to its fields), so that most generated cases are encodable.
fn mrz_fields(format: MrzFormat) -> impl Strategy<Value = MrzFields> {
    let (max_number, max_optional, max_optional_2, name_words) = match format {
        MrzFormat::Td1 => (20, 15, 11, 2),
        MrzFormat::Td2 => (13, 7, 0, 2),
        MrzFormat::Td3 => (9, 14, 0, 3),
    };
    (
        (
            "[A-Z][A-Z0-9]?",
            "[A-Z]{1,3}",
            words(name_words),
            words(name_words),
        ),
        (
            prop::string::string_regex(&format!("[A-Z0-9]{{1,{max_number}}}")).unwrap(),
            "[A-Z]{1,3}",
            date(),
            sex(),
            date(),
        ),
        (optional(max_optional), optional(max_optional_2)),
    )
        .prop_map(
            |(
                (document_code, issuing_state, primary_identifier, secondary_identifier),
                (document_number, nationality, date_of_birth, sex, date_of_expiry),
                (optional_data, optional_data_2),
            )| MrzFields {
                document_code,
                issuing_state,
                primary_identifier,
                secondary_identifier,
                document_number,
                nationality,
                date_of_birth,
                sex,
                date_of_expiry,
                optional_data,
                optional_data_2,
            },
        )
}

fn any_format() -> impl Strategy<Value = MrzFormat> {
    prop_oneof![
        Just(MrzFormat::Td1),
        Just(MrzFormat::Td2),
        Just(MrzFormat::Td3)
    ]
}

proptest! {
    /// parse(encode(v)) == v: every value the encoder accepts comes back
    /// unchanged, with every check digit valid; only length limits may
    /// make it refuse.
    #[test]
    fn encode_parse_round_trip((format, fields) in any_format().prop_flat_map(|f| (Just(f), mrz_fields(f)))) {
        match Mrz::encode(format, &fields) {
            Ok(mrz) => {
                prop_assert_eq!(mrz.format(), format);
                prop_assert_eq!(mrz.as_str().len(), format.total_len());
                prop_assert_eq!(mrz.fields(), fields.clone());
                prop_assert!(mrz.check_digits().all_valid());
                prop_assert_eq!(Mrz::parse(mrz.as_str()).unwrap(), mrz.clone());
                prop_assert_eq!(Mrz::parse(&mrz.to_multiline()).unwrap(), mrz.clone());
                prop_assert_eq!(Mrz::from_bytes(mrz.as_str().as_bytes()).unwrap(), mrz.clone());
                let access = AccessFields::from_mrz(&mrz).unwrap();
                prop_assert_eq!(access.document_number(), fields.document_number.as_str());
                prop_assert_eq!(access.date_of_birth(), fields.date_of_birth.as_str());
            }
            Err(MrzError::TooLong { .. }) => {}
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    /// Any text of MRZ characters and the right length parses, and
    /// re-encoding its fields gives an MRZ with the same fields.
    #[test]
    fn arbitrary_mrz_text_parses(format in any_format(), seed in prop::collection::vec(prop::sample::select(b"0123456789ABCDEFXMZ<<<<<<".to_vec()), 90)) {
        let text: String = seed.iter().take(format.total_len()).map(|b| char::from(*b)).collect();
        match Mrz::parse(&text) {
            Ok(mrz) => {
                prop_assert_eq!(mrz.as_str(), text.as_str());
                let _ = mrz.check_digits();
                let _ = serde_json::to_string(&mrz).unwrap();
            }
            Err(MrzError::MalformedField { .. }) => {}
            Err(e) => prop_assert!(false, "unexpected error {e}"),
        }
    }

    #[test]
    fn never_panics(text in ".{0,100}") {
        let _ = Mrz::parse(&text);
        let _ = AccessFields::from_mrz_text(&text);
        let _ = Mrz::from_bytes(text.as_bytes());
    }

    #[test]
    fn never_panics_on_mutated_specimens(pos in 0usize..90, b in any::<u8>(), which in 0usize..4) {
        let base = [TD1_UTO, TD2_UTO, TD3_UTO, TD1_LONG][which].replace([' ', '\n'], "");
        let mut bytes = base.into_bytes();
        let i = pos % bytes.len();
        bytes[i] = b;
        if let Ok(mrz) = Mrz::from_bytes(&bytes) {
            let _ = (mrz.fields(), mrz.check_digits(), AccessFields::from_mrz(&mrz));
        }
        if let Ok(text) = String::from_utf8(bytes) {
            let _ = AccessFields::from_mrz_text(&text);
        }
    }
}
