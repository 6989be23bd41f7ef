//! SecurityInfos on every EF.CardAccess / EF.CardSecurity / DG14 sample of
//! the shared corpus (provenance in PROVENANCE.md): typed decoding, the
//! documented trailing-byte defects as warnings, strict mode turning them
//! into errors, and byte-exact re-encoding.

use mrtd_lds::security_infos::{
    CaProtocol, Cipher, FileId, KeyAgreement, PaceMapping, PaceProtocol, oid,
};
use mrtd_lds::*;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/test-vectors/");

fn read(path: &str) -> Vec<u8> {
    let full = format!("{CORPUS}{path}");
    std::fs::read(&full).unwrap_or_else(|e| {
        panic!("test vector {full} is missing ({e}); the shared corpus is required")
    })
}

fn dg14() -> EfId {
    EfId::Dg(DgNumber::new(14).unwrap())
}

/// The length of the SET at the start of `bytes` (header included).
fn set_len(bytes: &[u8]) -> usize {
    mrtd_iso7816::tlv::parse_tlv(bytes).unwrap().0.total_len()
}

fn card_access(path: &str) -> Parsed<SecurityInfos> {
    let bytes = read(path);
    let parsed = SecurityInfos::parse_file(EfId::CardAccess, &bytes, ParseOptions::LENIENT)
        .unwrap_or_else(|e| panic!("{path}: {e}"));
    // Re-encoding gives the SET byte for byte (without what trailed it).
    let len = set_len(&bytes);
    assert_eq!(parsed.value.to_der().unwrap(), &bytes[..len], "{path}");
    parsed
}

fn pace(mapping: PaceMapping, ka: KeyAgreement, cipher: Cipher) -> PaceProtocol {
    PaceProtocol::new(mapping, ka, cipher).unwrap()
}

#[test]
fn card_access_with_zero_padding() {
    let parsed = card_access("lds/cardsecurity/ausweisapp_efCardAccess.bin");
    assert_eq!(
        parsed.warnings,
        vec![LdsWarning {
            ef: EfId::CardAccess,
            offset: 196,
            defect: Defect::TrailingBytes {
                count: 1024 - 196,
                what: TrailingData::ZeroPadding
            }
        }]
    );
    let infos = &parsed.value.infos;
    assert_eq!(infos.len(), 6);
    assert!(matches!(
        &infos[0],
        SecurityInfo::TerminalAuthentication(t) if t.version == 2 && t.ef_cvca.is_none()
    ));
    let ca: Vec<_> = parsed.value.chip_authentication_infos().collect();
    assert_eq!(ca.len(), 1);
    assert_eq!(
        (ca[0].protocol, ca[0].version, ca[0].key_id),
        (
            CaProtocol {
                key_agreement: KeyAgreement::Ecdh,
                cipher: Cipher::Aes128
            },
            2,
            Some(0x48)
        )
    );
    let p: Vec<_> = parsed.value.pace_infos().collect();
    assert_eq!(p.len(), 1);
    assert_eq!(
        p[0].protocol,
        pace(PaceMapping::Gm, KeyAgreement::Ecdh, Cipher::Aes128)
    );
    assert_eq!((p[0].version, p[0].parameter_id), (2, Some(13)));
    let SecurityInfo::ChipAuthenticationDomainParameter(d) = &infos[3] else {
        panic!("{:?}", infos[3])
    };
    assert_eq!(d.key_id, Some(0x48));
    assert_eq!(
        d.domain_parameter.parameters(),
        DomainParameters::Standardized {
            id: 13,
            name: Some("brainpoolP256r1")
        }
    );
    assert!(matches!(
        &infos[4],
        SecurityInfo::CardInfoLocator(c) if c.url == "http://bsi.bund.de/cif/npa.xml"
    ));
    let SecurityInfo::PrivilegedTerminal(pt) = &infos[5] else {
        panic!()
    };
    assert_eq!(pt.infos.infos.len(), 2);
    assert!(matches!(
        &pt.infos.infos[0],
        SecurityInfo::ChipAuthentication(c) if c.key_id == Some(0x49)
    ));

    // Strict mode refuses the padding, naming file and offset.
    let bytes = read("lds/cardsecurity/ausweisapp_efCardAccess.bin");
    let err = SecurityInfos::parse(&bytes).unwrap_err();
    assert!(matches!(&err, LdsError::Defect(w) if w.offset == 196 && w.ef == EfId::CardAccess));
    assert!(err.to_string().contains("828 bytes"), "{err}");
}

#[test]
fn card_access_with_garbage() {
    let parsed = card_access("lds/cardsecurity/openpace_EF_CardAccess_new_testcard.bin");
    assert_eq!(parsed.warnings.len(), 1);
    assert_eq!(parsed.warnings[0].offset, 133);
    assert_eq!(
        parsed.warnings[0].defect,
        Defect::TrailingBytes {
            count: 38,
            what: TrailingData::Garbage
        }
    );
    assert_eq!(parsed.value.infos.len(), 5);
    assert!(matches!(
        &parsed.value.infos[4],
        SecurityInfo::CardInfoLocator(c) if c.url == "ePA - BDr GmbH - Testkarte v2.0"
    ));
}

#[test]
fn card_access_with_status_word() {
    let parsed = card_access("lds/cardsecurity/openpace_EF_CardAccess_slowenia.bin");
    assert_eq!(
        parsed.warnings,
        vec![LdsWarning {
            ef: EfId::CardAccess,
            offset: 93,
            defect: Defect::TrailingBytes {
                count: 2,
                what: TrailingData::StatusWord { sw: 0x6282 }
            }
        }]
    );
    let infos = &parsed.value.infos;
    assert!(matches!(
        &infos[0],
        SecurityInfo::ChipAuthentication(c)
            if c.protocol.cipher == Cipher::Tdes && c.version == 1 && c.key_id == Some(3)
    ));
    assert!(matches!(
        &infos[2],
        SecurityInfo::TerminalAuthentication(t)
            if t.version == 1 && t.ef_cvca == Some(FileId { fid: [0x01, 0x1A], sfid: Some(0x1A) })
    ));
    // The private OID is kept, not rejected.
    assert!(matches!(
        &infos[3],
        SecurityInfo::Unknown { protocol, der } if protocol.to_string() == "1.0.24727.3.0.9" && der.len() == 17
    ));
    assert!(parsed.warnings.iter().all(|w| w.ef == EfId::CardAccess));
}

#[test]
fn card_access_with_explicit_domain_parameters() {
    let parsed = card_access("lds/cardsecurity/openpace_EF_CardAccess_old_testcard.bin");
    assert!(parsed.is_clean(), "{:?}", parsed.warnings);
    let infos = &parsed.value.infos;
    assert_eq!(infos.len(), 6);
    // PACEInfo version 1 without parameter ID.
    let p: Vec<_> = parsed.value.pace_infos().collect();
    assert_eq!((p[0].version, p[0].parameter_id), (1, None));
    let SecurityInfo::ChipAuthenticationDomainParameter(ca) = &infos[4] else {
        panic!("{:?}", infos[4])
    };
    assert_eq!(ca.key_agreement, KeyAgreement::Ecdh);
    assert_eq!(
        ca.domain_parameter.parameters(),
        DomainParameters::ExplicitCurve {
            field_bits: 256,
            order_bits: 256
        }
    );
    let SecurityInfo::PaceDomainParameter(pd) = &infos[5] else {
        panic!("{:?}", infos[5])
    };
    assert_eq!(pd.protocol.mapping(), PaceMapping::Gm);
    assert_eq!(pd.protocol.key_agreement(), KeyAgreement::Ecdh);
    assert_eq!(pd.parameter_id, None);
    // The DER of the parameters is kept as read.
    assert_eq!(pd.domain_parameter.as_der().len(), 243);
}

#[test]
fn card_access_with_pace_cam() {
    let parsed = card_access("lds/cardsecurity/openpace_EF_CardAccess_ca3.bin");
    assert!(parsed.is_clean());
    let cam: Vec<_> = parsed
        .value
        .pace_infos()
        .filter(|p| p.protocol.mapping() == PaceMapping::Cam)
        .collect();
    assert_eq!(cam.len(), 1);
    assert_eq!(
        cam[0].protocol.oid(),
        oid::ID_PACE_ECDH_CAM_AES_CBC_CMAC_128
    );
    // The PS info (id-PS …) is not decoded but kept.
    assert!(parsed.value.infos.iter().any(|i| matches!(
        i,
        SecurityInfo::Unknown { protocol, .. } if protocol.to_string() == "0.4.0.127.0.7.2.2.11.1.2.3"
    )));
}

#[test]
fn tr03110_worked_example_card_access() {
    for (path, ka, param) in [
        (
            "tr03110/bsi-eac-worked-example-1.01/ecdh/EF_CardAccess.bin",
            KeyAgreement::Ecdh,
            13,
        ),
        (
            "tr03110/bsi-eac-worked-example-1.01/dh/EF_CardAccess.bin",
            KeyAgreement::Dh,
            0,
        ),
    ] {
        let parsed = card_access(path);
        assert!(parsed.is_clean(), "{path}");
        let p: Vec<_> = parsed.value.pace_infos().collect();
        assert_eq!(p.len(), 1);
        assert_eq!(p[0].protocol, pace(PaceMapping::Gm, ka, Cipher::Aes128));
        assert_eq!(p[0].parameter_id, Some(param));
        // Strict parsing of a clean file gives the same value.
        assert_eq!(SecurityInfos::parse(&read(path)).unwrap(), parsed.value);
    }
}

#[test]
fn card_security_samples() {
    let cases: [(&str, usize, KeyAgreement, DomainParameters); 4] = [
        (
            "lds/cardsecurity/jmrtd_EF_CardSecurity_utopia.bin",
            4,
            KeyAgreement::Ecdh,
            DomainParameters::Standardized {
                id: 13,
                name: Some("brainpoolP256r1"),
            },
        ),
        (
            "lds/cardsecurity/ausweisapp_efCardSecurity.bin",
            9,
            KeyAgreement::Ecdh,
            DomainParameters::Standardized {
                id: 13,
                name: Some("brainpoolP256r1"),
            },
        ),
        (
            "tr03110/bsi-eac-worked-example-1.01/ecdh/EF_CardSecurity.bin",
            9,
            KeyAgreement::Ecdh,
            DomainParameters::Standardized {
                id: 13,
                name: Some("brainpoolP256r1"),
            },
        ),
        (
            "tr03110/bsi-eac-worked-example-1.01/dh/EF_CardSecurity.bin",
            9,
            KeyAgreement::Dh,
            DomainParameters::Standardized {
                id: 0,
                name: Some("1024-bit MODP group with 160-bit prime order subgroup (RFC 5114)"),
            },
        ),
    ];
    for (path, count, ka, params) in cases {
        let bytes = read(path);
        // The JMRTD "Utopia" sample puts the CA key's AlgorithmIdentifier
        // and BIT STRING directly into the ChipAuthenticationPublicKeyInfo
        // (no SubjectPublicKeyInfo SEQUENCE): read with a warning, and a
        // strict parse refuses it.
        let utopia = path.contains("utopia");
        let parsed = CardSecurity::parse_with(&bytes, ParseOptions::LENIENT)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(parsed.warnings.len(), usize::from(utopia), "{path}");
        if utopia {
            let w = &parsed.warnings[0];
            assert_eq!((w.ef, w.offset), (EfId::CardSecurity, 57 + 3 + 62));
            assert!(CardSecurity::parse(&bytes).is_err());
        }
        let cs = parsed.value;
        assert_eq!(cs.encapsulated_content_type(), oid::ID_SECURITY_OBJECT);
        let infos = cs.security_infos();
        assert_eq!(infos.infos.len(), count, "{path}");
        // The eContent re-encodes byte for byte (the repaired key of the
        // Utopia sample re-encodes in the conformant form).
        if !utopia {
            assert_eq!(CardSecurity::parse(&bytes).unwrap(), cs);
            assert_eq!(infos.to_der().unwrap(), cs.encapsulated_content(), "{path}");
        }
        let keys: Vec<_> = infos.chip_authentication_public_keys().collect();
        assert_eq!(keys.len(), 1, "{path}");
        assert_eq!(keys[0].key_agreement, ka);
        match keys[0].public_key.algorithm() {
            KeyAlgorithm::Ec {
                parameters,
                point_len,
            } => {
                assert_eq!(parameters, params, "{path}");
                assert_eq!(point_len, 65);
            }
            KeyAlgorithm::Dh { parameters } => assert_eq!(parameters, params, "{path}"),
            other => panic!("{path}: {other:?}"),
        }
        assert_eq!(cs.certificates().count(), 1, "{path}");
        assert_eq!(cs.raw_signer_infos().count(), 1);
        assert_eq!(cs.as_bytes(), &bytes[..]);
    }
}

#[test]
fn card_security_trailing_status_word_is_a_warning() {
    let mut bytes = read("lds/cardsecurity/ausweisapp_efCardSecurity.bin");
    let len = bytes.len();
    bytes.extend_from_slice(&[0x90, 0x00]);
    let parsed = CardSecurity::parse_with(&bytes, ParseOptions::LENIENT).unwrap();
    assert_eq!(
        parsed.warnings,
        vec![LdsWarning {
            ef: EfId::CardSecurity,
            offset: len,
            defect: Defect::TrailingBytes {
                count: 2,
                what: TrailingData::StatusWord { sw: 0x9000 }
            }
        }]
    );
    assert_eq!(parsed.value.content_info_bytes().len(), len);
    assert!(matches!(
        CardSecurity::parse(&bytes),
        Err(LdsError::Defect(w)) if w.offset == len
    ));
}

#[test]
fn dg14_samples() {
    for path in [
        "lds/bsi-tr03105-5-reference-dataset/Datagroup14.bin",
        "lds/jmrtd-bsi2008/Datagroup14.bin",
        "lds/etsi-eacaa-prototype/DG14.bin",
    ] {
        let bytes = read(path);
        let dg = Dg14::parse(&bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(dg.to_bytes().unwrap(), bytes, "{path}");
        let infos = &dg.security_infos.infos;
        assert_eq!(infos.len(), 3);
        let SecurityInfo::ChipAuthenticationPublicKey(pk) = &infos[0] else {
            panic!("{path}: {:?}", infos[0])
        };
        assert_eq!(pk.key_agreement, KeyAgreement::Ecdh);
        assert_eq!(pk.key_id, None);
        assert_eq!(
            pk.public_key.algorithm(),
            KeyAlgorithm::Ec {
                parameters: DomainParameters::ExplicitCurve {
                    field_bits: 224,
                    order_bits: 224
                },
                point_len: 57
            }
        );
        assert!(matches!(
            &infos[1],
            SecurityInfo::ChipAuthentication(c)
                if c.protocol.cipher == Cipher::Tdes && c.version == 1
        ));
        assert!(matches!(&infos[2], SecurityInfo::TerminalAuthentication(t) if t.version == 1));
    }
    // The key as published beside the BSI data set is the DER kept.
    let dg = Dg14::parse(&read("lds/bsi-tr03105-5-reference-dataset/Datagroup14.bin")).unwrap();
    let pk = dg
        .security_infos
        .chip_authentication_public_keys()
        .next()
        .unwrap();
    assert_eq!(
        pk.public_key.as_der(),
        &read("lds/bsi-tr03105-5-reference-dataset/DG14_pk.bin")[..]
    );
}

#[test]
fn dg14_errors_and_warnings_name_dg14() {
    let mut bytes = read("lds/etsi-eacaa-prototype/DG14.bin");
    bytes.extend_from_slice(&[0, 0]);
    let parsed = Dg14::parse_with(&bytes, ParseOptions::LENIENT).unwrap();
    assert_eq!(parsed.warnings.len(), 1);
    assert_eq!(parsed.warnings[0].ef, dg14());
    assert_eq!(parsed.warnings[0].offset, 334);
    assert!(Dg14::parse(&bytes).is_err());

    // A PACEInfo whose version is not an INTEGER: kept raw with a warning.
    let bad_pace = hex::decode("3110300E060A04007F0007020204020201000000").unwrap();
    let _ = bad_pace;
    let info = hex::decode("300F060A04007F000702020402020C0102").unwrap();
    let file = mrtd_iso7816::tlv::tlv(mrtd_iso7816::tlv::Tag(0x31), &info);
    let parsed = SecurityInfos::parse_file(EfId::CardAccess, &file, ParseOptions::LENIENT).unwrap();
    assert!(matches!(
        &parsed.value.infos[0],
        SecurityInfo::Unknown { protocol, .. } if *protocol == oid::ID_PACE_ECDH_GM_AES_CBC_CMAC_128
    ));
    assert_eq!(parsed.warnings.len(), 1);
    assert_eq!(parsed.warnings[0].offset, 2);
    assert!(matches!(
        parsed.warnings[0].defect,
        Defect::MalformedSecurityInfo { .. }
    ));
    assert_eq!(parsed.value.to_der().unwrap(), file);
    assert!(SecurityInfos::parse(&file).is_err());
}
