use proptest::prelude::*;

use super::*;
use crate::public_key::AlgorithmParameters;

/// PACEInfo of Doc 9303-11 Appendix G.1 (as in the worked examples):
/// id-PACE-ECDH-GM-AES-CBC-CMAC-128, version 2, parameter 13.
const G1_PACE_INFO: &str = "3012060A04007F0007020204020202010202010D";

#[test]
fn doc_9303_pace_info() {
    let set = tlv::tlv(TAG_SET, &hex::decode(G1_PACE_INFO).unwrap());
    let infos = SecurityInfos::parse(&set).unwrap();
    let expected = SecurityInfo::Pace(PaceInfo {
        protocol: PaceProtocol::new(PaceMapping::Gm, KeyAgreement::Ecdh, Cipher::Aes128).unwrap(),
        version: 2,
        parameter_id: Some(13),
    });
    assert_eq!(infos.infos, vec![expected.clone()]);
    assert_eq!(infos.to_der().unwrap(), set);
    assert_eq!(
        expected.to_string(),
        "PACEInfo id-PACE-ECDH-GM-AES-CBC-CMAC-128 v2, parameters 13 (brainpoolP256r1)"
    );
    let json = serde_json::to_value(&infos).unwrap();
    assert_eq!(json[0]["type"], "PACEInfo");
    assert_eq!(json[0]["protocol"], "id-PACE-ECDH-GM-AES-CBC-CMAC-128");
    assert_eq!(json[0]["info"]["parameter_id"], 13);
}

#[test]
fn aa_and_efdir_round_trip() {
    let infos = SecurityInfos {
        infos: vec![
            SecurityInfo::ActiveAuthentication(ActiveAuthenticationInfo {
                version: 1,
                signature_algorithm: oid::ECDSA_PLAIN_SHA256,
            }),
            SecurityInfo::EfDir(EfDirInfo {
                ef_dir: vec![0x61, 0x09, 0x4F, 0x07, 0xA0, 0, 0, 2, 0x47, 0x10, 1],
            }),
        ],
    };
    let der = infos.to_der().unwrap();
    assert_eq!(SecurityInfos::parse(&der).unwrap(), infos);
    assert_eq!(
        infos.active_authentication().unwrap().signature_algorithm,
        oid::ECDSA_PLAIN_SHA256
    );
}

#[test]
fn structural_errors() {
    // Not a SET.
    assert!(matches!(
        SecurityInfos::parse(&[0x30, 0x00]),
        Err(LdsError::Tlv { .. })
    ));
    // An element that is not a SEQUENCE.
    assert!(matches!(
        SecurityInfos::parse(&[0x31, 0x02, 0x04, 0x00]),
        Err(LdsError::UnexpectedObject { offset: 2, .. })
    ));
    // A SEQUENCE that does not start with an OID.
    assert!(matches!(
        SecurityInfos::parse(&[0x31, 0x05, 0x30, 0x03, 0x02, 0x01, 0x01]),
        Err(LdsError::InvalidField { offset: 4, .. })
    ));
    // Nesting PrivilegedTerminalInfo deeper than allowed is kept undecoded.
    let mut inner = SecurityInfos::default();
    for _ in 0..4 {
        inner = SecurityInfos {
            infos: vec![SecurityInfo::PrivilegedTerminal(PrivilegedTerminalInfo {
                infos: inner,
            })],
        };
    }
    let der = inner.to_der().unwrap();
    let parsed = SecurityInfos::parse_file(EfId::CardAccess, &der, ParseOptions::LENIENT).unwrap();
    assert_eq!(parsed.warnings.len(), 1);
    assert_eq!(parsed.value.to_der().unwrap(), der);
}

fn arb_cipher() -> impl Strategy<Value = Cipher> {
    prop_oneof![
        Just(Cipher::Tdes),
        Just(Cipher::Aes128),
        Just(Cipher::Aes192),
        Just(Cipher::Aes256)
    ]
}

fn arb_ka() -> impl Strategy<Value = KeyAgreement> {
    prop_oneof![Just(KeyAgreement::Dh), Just(KeyAgreement::Ecdh)]
}

fn arb_file_id() -> impl Strategy<Value = Option<FileId>> {
    prop::option::of(
        (any::<[u8; 2]>(), prop::option::of(any::<u8>()))
            .prop_map(|(fid, sfid)| FileId { fid, sfid }),
    )
}

fn arb_leaf() -> impl Strategy<Value = SecurityInfo> {
    let pace = (
        prop_oneof![
            Just(PaceMapping::Gm),
            Just(PaceMapping::Im),
            Just(PaceMapping::Cam)
        ],
        arb_ka(),
        arb_cipher(),
        any::<u8>(),
        prop::option::of(any::<u8>()),
    )
        .prop_filter_map(
            "undefined PACE protocol",
            |(m, ka, c, version, parameter_id)| {
                Some(SecurityInfo::Pace(PaceInfo {
                    protocol: PaceProtocol::new(m, ka, c)?,
                    version,
                    parameter_id,
                }))
            },
        );
    let ca = (
        arb_ka(),
        arb_cipher(),
        any::<u8>(),
        prop::option::of(any::<u32>()),
    )
        .prop_map(|(key_agreement, cipher, version, key_id)| {
            SecurityInfo::ChipAuthentication(ChipAuthenticationInfo {
                protocol: CaProtocol {
                    key_agreement,
                    cipher,
                },
                version,
                key_id,
            })
        });
    let ca_domain = (arb_ka(), any::<u8>(), prop::option::of(any::<u32>())).prop_map(
        |(key_agreement, id, key_id)| {
            SecurityInfo::ChipAuthenticationDomainParameter(ChipAuthenticationDomainParameterInfo {
                key_agreement,
                domain_parameter: AlgorithmParameters::standardized(id),
                key_id,
            })
        },
    );
    let pace_domain = (arb_ka(), any::<u8>(), prop::option::of(any::<u8>())).prop_map(
        |(ka, id, parameter_id)| {
            SecurityInfo::PaceDomainParameter(PaceDomainParameterInfo {
                protocol: PaceAlgorithm::new(PaceMapping::Im, ka).unwrap(),
                domain_parameter: AlgorithmParameters::standardized(id),
                parameter_id,
            })
        },
    );
    let ta = (any::<u8>(), arb_file_id()).prop_map(|(version, ef_cvca)| {
        SecurityInfo::TerminalAuthentication(TerminalAuthenticationInfo { version, ef_cvca })
    });
    let ci = ("[ -~]{0,40}", arb_file_id()).prop_map(|(url, ef_card_info)| {
        SecurityInfo::CardInfoLocator(CardInfoLocator { url, ef_card_info })
    });
    let efdir = prop::collection::vec(any::<u8>(), 0..40)
        .prop_map(|ef_dir| SecurityInfo::EfDir(EfDirInfo { ef_dir }));
    let unknown = prop::collection::vec(any::<u8>(), 0..20).prop_map(|v| {
        let protocol = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.99999.1");
        let mut value = tlv::tlv(TAG_OID, protocol.as_bytes());
        value.extend_from_slice(&tlv::tlv(Tag(0x04), &v));
        SecurityInfo::Unknown {
            protocol,
            der: tlv::tlv(TAG_SEQUENCE, &value),
        }
    });
    prop_oneof![pace, ca, ca_domain, pace_domain, ta, ci, efdir, unknown]
}

fn arb_infos() -> impl Strategy<Value = SecurityInfos> {
    (
        prop::collection::vec(arb_leaf(), 0..6),
        prop::option::of(prop::collection::vec(arb_leaf(), 0..6)),
    )
        .prop_map(|(mut infos, pt)| {
            if let Some(pt) = pt {
                infos.push(SecurityInfo::PrivilegedTerminal(PrivilegedTerminalInfo {
                    infos: SecurityInfos { infos: pt },
                }));
            }
            SecurityInfos { infos }
        })
}

proptest! {
    #[test]
    fn round_trip(infos in arb_infos()) {
        let der = infos.to_der().unwrap();
        let back = SecurityInfos::parse(&der).unwrap();
        prop_assert_eq!(&back, &infos);
        prop_assert_eq!(back.to_der().unwrap(), der.clone());
        // DG14 wraps the same.
        let dg14 = crate::Dg14 { security_infos: infos.clone() };
        prop_assert_eq!(crate::Dg14::parse(&dg14.to_bytes().unwrap()).unwrap(), dg14);
        // Sorting keeps the content.
        let mut sorted = infos.clone();
        sorted.sort_der();
        prop_assert_eq!(sorted.infos.len(), infos.infos.len());
    }

    #[test]
    fn never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let _ = SecurityInfos::parse_file(EfId::CardAccess, &bytes, ParseOptions::LENIENT);
        let _ = crate::Dg14::parse_with(&bytes, ParseOptions::LENIENT);
        let _ = CardSecurity::parse_with(&bytes, ParseOptions::LENIENT);
    }

    #[test]
    fn never_panics_on_mutations(infos in arb_infos(), pos in any::<usize>(), byte in any::<u8>()) {
        let mut der = infos.to_der().unwrap();
        if !der.is_empty() {
            let i = pos % der.len();
            der[i] = byte;
        }
        if let Ok(p) = SecurityInfos::parse_file(EfId::CardAccess, &der, ParseOptions::LENIENT) {
            let _ = p.value.to_der();
        }
    }
}
