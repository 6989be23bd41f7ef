//! EF.SOD structure rules on SODs rebuilt from the BSI TR-03105-5 specimen
//! with a modified `LDSSecurityObject`, and the `LDSSecurityObject`
//! encoder's round trip.

use cms::content_info::ContentInfo;
use cms::signed_data::SignedData;
use der::asn1::{Any, ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use mrtd_iso7816::tlv::{Tag, TlvError};
use mrtd_lds::sod::{DataGroupHash, LdsVersionInfo, SodDefect};
use mrtd_lds::{DgNumber, LdsError, LdsSecurityObject, Sod};
use proptest::prelude::*;
use spki::AlgorithmIdentifierOwned;

const BSI_SOD: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/test-vectors/lds/bsi-tr03105-5-reference-dataset/EF_SOD.bin"
);

fn bsi_sod() -> Vec<u8> {
    std::fs::read(BSI_SOD).unwrap_or_else(|e| {
        panic!("test vector {BSI_SOD} is missing ({e}); the shared corpus is required")
    })
}

fn sha256() -> AlgorithmIdentifierOwned {
    AlgorithmIdentifierOwned {
        oid: ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1"),
        parameters: None,
    }
}

/// The BSI SOD's SignedData with `econtent` in place of its eContent
/// (`None` removes it), as a complete EF.SOD. The signature no longer
/// verifies, which the structure rules do not look at.
fn rebuild(econtent: Option<Vec<u8>>) -> Vec<u8> {
    let original = bsi_sod();
    let sod = Sod::parse(&original).unwrap();
    let mut signed_data: SignedData = sod.signed_data().clone();
    signed_data.encap_content_info.econtent =
        econtent.map(|der| Any::encode_from(&OctetString::new(der).unwrap()).unwrap());
    let content_info = ContentInfo {
        content_type: mrtd_lds::sod::ID_SIGNED_DATA,
        content: Any::encode_from(&signed_data).unwrap(),
    };
    mrtd_iso7816::tlv::tlv(Tag(0x77), &content_info.to_der().unwrap())
}

fn with_lso(lso: &LdsSecurityObject) -> Vec<u8> {
    rebuild(Some(lso.to_der().unwrap()))
}

fn dg(n: u8) -> DgNumber {
    DgNumber::new(n).unwrap()
}

fn two_hashes() -> LdsSecurityObject {
    LdsSecurityObject::new(
        sha256(),
        [(dg(1), vec![0x11; 32]), (dg(2), vec![0x22; 32])],
        None,
    )
    .unwrap()
}

#[test]
fn rebuilt_specimen_still_parses() {
    // Re-encoding the decoded SignedData reproduces the specimen exactly.
    let original = bsi_sod();
    let sod = Sod::parse(&original).unwrap();
    assert_eq!(rebuild(Some(sod.encapsulated_content().to_vec())), original);

    let bytes = with_lso(&two_hashes());
    let sod = Sod::parse(&bytes).unwrap();
    let hashes: Vec<_> = sod
        .data_group_hashes()
        .map(|(d, h)| (d.get(), h.to_vec()))
        .collect();
    assert_eq!(hashes, vec![(1, vec![0x11; 32]), (2, vec![0x22; 32])]);
    assert_eq!(sod.lds_security_object(), &two_hashes());
}

#[test]
fn version_1_with_version_info() {
    let info = LdsVersionInfo::new("0108", "040000").unwrap();
    let lso = LdsSecurityObject::new(
        sha256(),
        [(dg(1), vec![1; 32]), (dg(2), vec![2; 32])],
        Some(info),
    )
    .unwrap();
    assert_eq!(lso.version, 1);
    let sod = Sod::parse(&with_lso(&lso)).unwrap();
    assert_eq!(sod.lds_version(), Some(("0108", "040000")));
}

#[test]
fn structure_rules() {
    let defect = |lso: &LdsSecurityObject| match Sod::parse(&with_lso(lso)) {
        Err(LdsError::Sod(d)) => d,
        other => panic!("expected a SOD defect, got {other:?}"),
    };

    let mut lso = two_hashes();
    lso.data_group_hash_values[1].data_group_number = 1;
    assert_eq!(defect(&lso), SodDefect::DuplicateDataGroup { dg: dg(1) });

    let mut lso = two_hashes();
    lso.data_group_hash_values[1].data_group_number = 17;
    assert_eq!(defect(&lso), SodDefect::DataGroupNumber { found: 17 });
    // Outside 1..=16 the entry is not offered as a data group hash.
    assert_eq!(lso.data_group_hashes().count(), 1);

    let mut lso = two_hashes();
    lso.data_group_hash_values.truncate(1);
    assert_eq!(defect(&lso), SodDefect::TooFewDataGroupHashes { count: 1 });

    let mut lso = two_hashes();
    lso.version = 1;
    assert_eq!(
        defect(&lso),
        SodDefect::LdsVersionInfo {
            version: 1,
            present: false
        }
    );

    let mut lso = two_hashes();
    lso.lds_version_info = Some(LdsVersionInfo::new("0108", "040000").unwrap());
    assert_eq!(
        defect(&lso),
        SodDefect::LdsVersionInfo {
            version: 0,
            present: true
        }
    );

    assert_eq!(
        Sod::parse(&rebuild(None)).unwrap_err(),
        LdsError::Sod(SodDefect::MissingEContent)
    );
}

#[test]
fn undecodable_input_has_typed_errors_with_offsets() {
    // Not a 77 object.
    assert!(matches!(
        Sod::parse(&[0x30, 0x00]),
        Err(LdsError::Tlv {
            source: TlvError::UnexpectedTag { offset: 0, .. },
            ..
        })
    ));
    // eContent that is not an LDSSecurityObject.
    let err = Sod::parse(&rebuild(Some(vec![0x30, 0x03, 0x02, 0x01, 0x00]))).unwrap_err();
    let LdsError::Der {
        context, offset, ..
    } = err
    else {
        panic!("{err:?}")
    };
    assert_eq!(context, "LDSSecurityObject");
    let bytes = rebuild(Some(vec![0x30, 0x03, 0x02, 0x01, 0x00]));
    assert_eq!(&bytes[offset..offset + 5], &[0x30, 0x03, 0x02, 0x01, 0x00]);
    // BER indefinite length (not DER) is refused with its position.
    let mut bytes = bsi_sod();
    bytes[1] = 0x80;
    assert!(matches!(Sod::parse(&bytes), Err(LdsError::Tlv { .. })));
    let mut bytes = bsi_sod();
    bytes[5] = 0x80; // ContentInfo SEQUENCE length (30 82 .. -> 30 80)
    assert!(Sod::parse(&bytes).is_err());
}

#[test]
fn wraps_a_content_info() {
    let bytes = with_lso(&two_hashes());
    let header_len = 4; // 77 82 xx xx
    let sod = Sod::from_content_info_der(&bytes[header_len..]).unwrap();
    assert_eq!(sod.as_bytes(), &bytes[..]);
}

fn arb_lso() -> impl Strategy<Value = LdsSecurityObject> {
    (
        prop::collection::vec(
            (1u8..=16, prop::collection::vec(any::<u8>(), 20..=64)),
            2..16,
        ),
        any::<bool>(),
        "[0-9]{4}",
        "[0-9]{6}",
    )
        .prop_map(|(hashes, v1, lds, uni)| {
            let info = v1.then(|| LdsVersionInfo::new(&lds, &uni).unwrap());
            LdsSecurityObject::new(
                sha256(),
                hashes
                    .into_iter()
                    .map(|(n, h)| (DgNumber::new(n).unwrap(), h)),
                info,
            )
            .unwrap()
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// The LDSSecurityObject encoder round-trips, and a SOD built around
    /// it hands the same hashes back.
    #[test]
    fn lds_security_object_round_trip(lso in arb_lso()) {
        let der = lso.to_der().unwrap();
        prop_assert_eq!(&LdsSecurityObject::from_der(&der).unwrap(), &lso);
        let sod = Sod::parse_unchecked(&with_lso(&lso)).unwrap();
        prop_assert_eq!(sod.encapsulated_content(), &der[..]);
        let expected: Vec<(u8, &[u8])> = lso
            .data_group_hash_values
            .iter()
            .map(|h: &DataGroupHash| (h.data_group_number as u8, h.data_group_hash_value.as_bytes()))
            .collect();
        let got: Vec<(u8, &[u8])> = sod.data_group_hashes().map(|(d, h)| (d.get(), h)).collect();
        prop_assert_eq!(got, expected);
    }

    #[test]
    fn never_panics(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let _ = Sod::parse(&bytes);
        let mut wrapped = vec![0x77, 0x82, 0x00, 0x00];
        wrapped[2..4].copy_from_slice(&(bytes.len() as u16).to_be_bytes());
        wrapped.extend_from_slice(&bytes);
        let _ = Sod::parse(&wrapped);
    }

    #[test]
    fn never_panics_on_mutated_specimen(pos in 0usize..1934, byte in any::<u8>(), cut in 0usize..1934) {
        let original = bsi_sod();
        let mut bytes = original.clone();
        bytes[pos % original.len()] = byte;
        if let Ok(sod) = Sod::parse_unchecked(&bytes) {
            let _ = sod.check_structure();
            let _ = (sod.raw_signer_infos().count(), sod.certificates_der().count());
        }
        let _ = Sod::parse(&original[..cut]);
    }
}
