//! The MRZs inside the DG1 specimens of the shared test corpus
//! (`shared/test-vectors/lds/`, see PROVENANCE.md there).

use mrtd_mrz::{AccessFields, CheckDigitVerdict, Mrz, MrzFormat, Sex, check_digit_char};

const LDS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/test-vectors/lds/"
);

/// The MRZ text of a DG1 file: `61 L 5F1F L text` with one-byte lengths.
fn dg1_mrz(path: &str) -> Mrz {
    let full = format!("{LDS}{path}");
    let bytes = std::fs::read(&full).unwrap_or_else(|e| {
        panic!("test vector {full} is missing ({e}); the shared corpus is required")
    });
    assert_eq!(&bytes[..1], &[0x61]);
    assert_eq!(&bytes[2..4], &[0x5F, 0x1F]);
    assert_eq!(usize::from(bytes[4]), bytes.len() - 5);
    Mrz::from_bytes(&bytes[5..]).unwrap()
}

fn ok(c: char) -> CheckDigitVerdict {
    CheckDigitVerdict {
        found: c,
        computed: c,
        valid: true,
    }
}

#[test]
fn td1_nld_specimen_has_the_documented_composite_misprint() {
    let mrz = dg1_mrz("dg1-icao-specimens/DG1_TD1_NLD_9303-10_A.2.1.bin");
    assert_eq!(mrz.format(), MrzFormat::Td1);
    assert_eq!(mrz.document_number(), "XI85935F8");
    assert_eq!(mrz.optional_data(), "999999990");
    assert_eq!(mrz.primary_identifier(), "VAN DER STEEN");
    assert_eq!(mrz.secondary_identifier(), "MARIANNE LOUISE");
    assert_eq!(mrz.sex(), Sex::Female);
    let checks = mrz.check_digits();
    assert_eq!(checks.document_number, ok('6'));
    assert_eq!(checks.date_of_birth, ok('8'));
    assert_eq!(checks.date_of_expiry, ok('8'));
    // PROVENANCE.md: Doc 9303-10 A.2.1 prints composite 4; the rule gives 8.
    assert_eq!(
        checks.composite,
        CheckDigitVerdict {
            found: '4',
            computed: '8',
            valid: false
        }
    );
    // The access fields do not depend on the composite.
    let access = AccessFields::from_mrz(&mrz).unwrap();
    assert_eq!(access.document_number(), "XI85935F8");
}

#[test]
fn td2_ata_specimen_reads_as_a_long_document_number() {
    let mrz = dg1_mrz("dg1-icao-specimens/DG1_TD2_ATA_9303-10_A.2.2_corrected.bin");
    assert_eq!(mrz.format(), MrzFormat::Td2);
    assert_eq!(mrz.issuing_state(), "ATA");
    assert_eq!(mrz.nationality(), "HMD");
    assert_eq!(mrz.primary_identifier(), "SMITH");
    assert_eq!(mrz.secondary_identifier(), "JOHN T");
    // PROVENANCE.md: the check digit position holds '<' where the 9-digit
    // number 123456789 would compute to 7 ...
    let lower = mrz.lines()[1];
    assert_eq!(&lower[9..10], "<");
    assert_eq!(check_digit_char(&lower[..9]).unwrap(), '7');
    // ... but a '<' there is Doc 9303-6 §4.2.4's long-number marker: the
    // number continues in the optional data ("012", check digit 2), and
    // read that way every check digit of the sample holds.
    assert!(mrz.has_long_document_number());
    assert_eq!(mrz.document_number(), "123456789012");
    let checks = mrz.check_digits();
    assert_eq!(checks.document_number, ok('2'));
    assert_eq!(checks.composite, ok('0'));
    assert!(checks.all_valid());
    assert_eq!(mrz.optional_data(), "");
}

#[test]
fn td3_uto_specimen() {
    let mrz = dg1_mrz("dg1-icao-specimens/DG1_TD3_UTO_9303-4_App_B.bin");
    assert_eq!(mrz.format(), MrzFormat::Td3);
    assert_eq!(mrz.document_number(), "L898902C3");
    assert_eq!(mrz.primary_identifier(), "ERIKSSON");
    assert!(mrz.check_digits().all_valid());
}

#[test]
fn bsi_tr03105_5_specimen() {
    let mrz = dg1_mrz("bsi-tr03105-5-reference-dataset/Datagroup1.bin");
    assert_eq!(mrz.format(), MrzFormat::Td3);
    assert_eq!(mrz.document_code(), "P");
    assert_eq!(mrz.issuing_state(), "D");
    assert_eq!(mrz.nationality(), "D");
    assert_eq!(mrz.primary_identifier(), "MUSTERMANN");
    assert_eq!(mrz.secondary_identifier(), "ERIKA");
    assert_eq!(mrz.document_number(), "C11T002JM");
    assert_eq!(mrz.date_of_birth().as_str(), "960812");
    assert_eq!(mrz.date_of_expiry().as_str(), "231031");
    assert_eq!(mrz.sex(), Sex::Female);
    assert!(mrz.check_digits().all_valid());
    let access = AccessFields::from_mrz(&mrz).unwrap();
    assert_eq!(&*access.mrz_information(), "C11T002JM496081222310314");
    // Re-encoding the fields reproduces the chip's DG1 text exactly.
    assert_eq!(Mrz::encode(MrzFormat::Td3, &mrz.fields()).unwrap(), mrz);
}

#[test]
fn every_corpus_dg1_parses() {
    for path in [
        "etsi-eacaa-prototype/DG1.bin",
        "jmrtd-bsi2008/Datagroup1.bin",
        "nl-specimen-2006-jmrtd-loes2006/DG1.bin",
    ] {
        let mrz = dg1_mrz(path);
        assert!(mrz.check_digits().all_valid(), "{path}");
        AccessFields::from_mrz(&mrz).unwrap();
    }
}
