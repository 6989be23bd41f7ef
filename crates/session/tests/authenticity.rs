//! Chip authenticity end to end, in-process: the virtual passport with
//! Active Authentication, Chip Authentication or PACE-CAM is read, then
//! validated against a trust store holding the project's test CSCA.

use mrtd_protocol::SmAlgorithm;
use mrtd_protocol::aa::AaDigest;
use mrtd_session::observer::NoObserver;
use mrtd_session::{
    AccessKey, ReadOptions, ReadReport, Validation, ValidationRules, read_document, validate,
};
use mrtd_sim::chip_keys::{AaKeySpec, CaKeySpec, ChipAuthenticity};
use mrtd_sim::personalise::{self, AccessControl};
use mrtd_sim::{ChipConfig, InProcessTransport, VirtualPassport};
use mrtd_trust::authenticity::{self, AuthenticityPolicy, AuthenticityVerdict, VerifiedKeys};
use mrtd_trust::{CheckStatus, Policy, Timestamp, TrustStore, Verdict};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;

fn store() -> TrustStore {
    let mut store = TrustStore::new();
    let csca = der::Encode::to_der(mrtd_pki::TestPki::embedded().csca()).unwrap();
    store.import(&csca, "test CSCA");
    store
}

fn at() -> Timestamp {
    Timestamp::parse("2027-06-01T00:00:00Z").unwrap()
}

fn chip(access: &AccessControl, authenticity: &ChipAuthenticity) -> VirtualPassport {
    let content =
        personalise::content_with_profile(&personalise::default_holder(), access, authenticity)
            .unwrap();
    VirtualPassport::new(ChipConfig::default(), content)
}

fn read_with(chip: VirtualPassport, options: &ReadOptions) -> ReadReport {
    let key = AccessKey::Mrz(personalise::default_holder().access_fields());
    let mut transport = InProcessTransport::new(chip);
    read_document(
        &mut transport,
        &key,
        options,
        &mut ChaCha20Rng::seed_from_u64(3),
        &mut NoObserver,
    )
    .unwrap_or_else(|f| panic!("read failed: {}", f.error))
}

fn validate_chip(
    access: &AccessControl,
    authenticity: &ChipAuthenticity,
    store: &TrustStore,
) -> (ReadReport, Validation) {
    let report = read_with(chip(access, authenticity), &ReadOptions::default());
    let validation = validate(&report, store, at(), &Policy::default());
    (report, validation)
}

fn aa(spec: AaKeySpec) -> ChipAuthenticity {
    ChipAuthenticity {
        active_authentication: Some(spec),
        ..ChipAuthenticity::default()
    }
}

fn ca(parameter_id: u8, cipher: SmAlgorithm) -> ChipAuthenticity {
    ChipAuthenticity {
        chip_authentication: Some(CaKeySpec {
            parameter_id,
            cipher,
            key_id: None,
        }),
        ..ChipAuthenticity::default()
    }
}

fn pace_cam() -> AccessControl {
    AccessControl::pace("ECDH-CAM-AES-128".parse().unwrap(), 13, true)
}

fn status(v: &Validation, id: &str) -> CheckStatus {
    v.authenticity
        .check(id)
        .unwrap_or_else(|| panic!("no {id} check"))
        .status
}

#[test]
fn every_protocol_variant_proves_a_genuine_chip() {
    let store = store();
    let bac = AccessControl::bac_only();
    let cases: Vec<(&str, AccessControl, ChipAuthenticity, &str)> = vec![
        (
            "AA RSA-1024 SHA-1 (trailer BC)",
            bac.clone(),
            aa(AaKeySpec::Rsa {
                bits: 1024,
                digest: AaDigest::Sha1,
            }),
            "AA",
        ),
        (
            "AA RSA-2048 SHA-256 (trailer 34CC)",
            bac.clone(),
            aa(AaKeySpec::Rsa {
                bits: 2048,
                digest: AaDigest::Sha256,
            }),
            "AA",
        ),
        (
            "AA ECDSA P-256",
            bac.clone(),
            aa(AaKeySpec::Ecdsa {
                parameter_id: 12,
                digest: AaDigest::Sha256,
            }),
            "AA",
        ),
        (
            "AA ECDSA brainpoolP256r1",
            bac.clone(),
            aa(AaKeySpec::Ecdsa {
                parameter_id: 13,
                digest: AaDigest::Sha256,
            }),
            "AA",
        ),
        (
            "AA ECDSA brainpoolP384r1",
            bac.clone(),
            aa(AaKeySpec::Ecdsa {
                parameter_id: 16,
                digest: AaDigest::Sha384,
            }),
            "AA",
        ),
        (
            "CA ECDH P-256 AES-128",
            bac.clone(),
            ca(12, SmAlgorithm::Aes128),
            "CA",
        ),
        (
            "CA ECDH brainpoolP256r1 3DES (MSE:Set KAT)",
            bac.clone(),
            ca(13, SmAlgorithm::Tdes),
            "CA",
        ),
        (
            "CA DH 1024 AES-256",
            bac.clone(),
            ca(0, SmAlgorithm::Aes256),
            "CA",
        ),
        (
            "CA DH 2048 3DES",
            bac.clone(),
            ca(2, SmAlgorithm::Tdes),
            "CA",
        ),
        (
            "PACE-CAM brainpoolP256r1 with EF.CardSecurity",
            pace_cam(),
            ChipAuthenticity::default(),
            "PACE-CAM",
        ),
        (
            "PACE-CAM, CA and AA together: CAM decides",
            pace_cam(),
            ChipAuthenticity {
                active_authentication: Some(AaKeySpec::Rsa {
                    bits: 2048,
                    digest: AaDigest::Sha256,
                }),
                chip_authentication: Some(CaKeySpec {
                    parameter_id: 13,
                    cipher: SmAlgorithm::Aes128,
                    key_id: Some(1),
                }),
                ..ChipAuthenticity::default()
            },
            "PACE-CAM",
        ),
        (
            "CA and AA: CA decides",
            bac.clone(),
            ChipAuthenticity {
                active_authentication: Some(AaKeySpec::Ecdsa {
                    parameter_id: 13,
                    digest: AaDigest::Sha256,
                }),
                chip_authentication: Some(CaKeySpec {
                    parameter_id: 12,
                    cipher: SmAlgorithm::Aes192,
                    key_id: Some(7),
                }),
                ..ChipAuthenticity::default()
            },
            "CA",
        ),
    ];
    for (name, access, authenticity, decided_by) in cases {
        let (report, v) = validate_chip(&access, &authenticity, &store);
        assert_eq!(
            v.pa.verdict,
            Verdict::Valid,
            "{name}: PA {:?}",
            v.pa.failed()
        );
        assert_eq!(
            v.authenticity.verdict,
            AuthenticityVerdict::Genuine,
            "{name}: {:#?}",
            v.authenticity.checks
        );
        assert_eq!(v.authenticity.decided_by, Some(decided_by), "{name}");
        assert!(
            matches!(status(&v, "chip.key-source"), CheckStatus::Pass),
            "{name}: {:?}",
            v.authenticity.check("chip.key-source")
        );
        if decided_by == "CA" {
            let ca = report.chip_evidence.ca.as_ref().unwrap();
            assert!(
                matches!(ca.outcome, authenticity::CaOutcome::Confirmed { .. }),
                "{name}: {:?}",
                ca.outcome
            );
        }
    }
}

#[test]
fn a_cloned_chip_is_clone_suspected_with_the_failing_check_named() {
    let store = store();
    let cases = [
        (
            "AA",
            AccessControl::bac_only(),
            ChipAuthenticity {
                cloned: true,
                ..aa(AaKeySpec::Rsa {
                    bits: 2048,
                    digest: AaDigest::Sha256,
                })
            },
            "chip.aa",
        ),
        (
            "AA RSA-1024 SHA-1",
            AccessControl::bac_only(),
            ChipAuthenticity {
                cloned: true,
                ..aa(AaKeySpec::Rsa {
                    bits: 1024,
                    digest: AaDigest::Sha1,
                })
            },
            "chip.aa",
        ),
        (
            "AA ECDSA",
            AccessControl::bac_only(),
            ChipAuthenticity {
                cloned: true,
                ..aa(AaKeySpec::Ecdsa {
                    parameter_id: 12,
                    digest: AaDigest::Sha256,
                })
            },
            "chip.aa",
        ),
        (
            "AA ECDSA bp384",
            AccessControl::bac_only(),
            ChipAuthenticity {
                cloned: true,
                ..aa(AaKeySpec::Ecdsa {
                    parameter_id: 16,
                    digest: AaDigest::Sha384,
                })
            },
            "chip.aa",
        ),
        (
            "CA",
            AccessControl::bac_only(),
            ChipAuthenticity {
                cloned: true,
                ..ca(13, SmAlgorithm::Aes128)
            },
            "chip.ca",
        ),
        (
            "CA DH 3DES",
            AccessControl::bac_only(),
            ChipAuthenticity {
                cloned: true,
                ..ca(0, SmAlgorithm::Tdes)
            },
            "chip.ca",
        ),
        (
            "PACE-CAM",
            pace_cam(),
            ChipAuthenticity {
                cloned: true,
                ..ChipAuthenticity::default()
            },
            "chip.cam",
        ),
    ];
    for (name, access, authenticity, failing) in cases {
        let (_, v) = validate_chip(&access, &authenticity, &store);
        // The files are the genuine chip's: passive authentication passes.
        assert_eq!(v.pa.verdict, Verdict::Valid, "{name}");
        assert_eq!(
            v.authenticity.verdict,
            AuthenticityVerdict::CloneSuspected,
            "{name}: {:#?}",
            v.authenticity.checks
        );
        assert_eq!(status(&v, failing), CheckStatus::Fail, "{name}");
    }
}

#[test]
fn keys_from_files_the_sod_does_not_cover_are_never_genuine() {
    let store = store();
    for (name, authenticity) in [
        (
            "DG14 outside the SOD",
            ChipAuthenticity {
                unsigned_data_groups: vec![14],
                ..ca(12, SmAlgorithm::Aes128)
            },
        ),
        (
            "DG15 outside the SOD",
            ChipAuthenticity {
                unsigned_data_groups: vec![15],
                ..aa(AaKeySpec::Rsa {
                    bits: 2048,
                    digest: AaDigest::Sha256,
                })
            },
        ),
    ] {
        let (_, v) = validate_chip(&AccessControl::bac_only(), &authenticity, &store);
        assert_eq!(
            v.authenticity.verdict,
            AuthenticityVerdict::Unknown,
            "{name}: {:#?}",
            v.authenticity.checks
        );
        assert_ne!(status(&v, "chip.key-source"), CheckStatus::Pass, "{name}");
    }
}

#[test]
fn without_a_trust_anchor_a_proven_key_is_unknown() {
    let (_, v) = validate_chip(
        &AccessControl::bac_only(),
        &aa(AaKeySpec::Rsa {
            bits: 2048,
            digest: AaDigest::Sha256,
        }),
        &TrustStore::new(),
    );
    assert_eq!(v.pa.verdict, Verdict::Unknown);
    assert_eq!(status(&v, "chip.aa"), CheckStatus::Pass);
    assert_eq!(v.authenticity.verdict, AuthenticityVerdict::Unknown);
}

#[test]
fn a_chip_without_any_protocol_is_not_supported() {
    let (_, v) = validate_chip(
        &AccessControl::bac_only(),
        &ChipAuthenticity::default(),
        &store(),
    );
    assert_eq!(v.pa.verdict, Verdict::Valid);
    assert_eq!(v.authenticity.verdict, AuthenticityVerdict::NotSupported);
}

/// A server that was not at the desk checks a report made with its own
/// nonce, from the report and the DG15 it verified itself; any edited
/// byte makes the check fail.
#[test]
fn a_server_re_verifies_active_authentication_from_the_report() {
    let store = store();
    let nonce = *b"SERVER01";
    let options = ReadOptions {
        active_authentication_challenge: Some(nonce),
        ..ReadOptions::default()
    };
    let chip = chip(
        &AccessControl::bac_only(),
        &aa(AaKeySpec::Rsa {
            bits: 2048,
            digest: AaDigest::Sha256,
        }),
    );
    let report = read_with(chip, &options);
    let v = validate(&report, &store, at(), &Policy::default());
    assert_eq!(v.authenticity.verdict, AuthenticityVerdict::Genuine);
    let json = authenticity::to_json(&v.authenticity).unwrap();

    // The server verifies the files itself…
    let outcome =
        authenticity::verify_files_outcome(&report.files, None, &store, at(), &Policy::default());
    let keys = VerifiedKeys {
        dg14: outcome.dg14(),
        dg15: outcome.dg15(),
        card_security: None,
    };
    let policy = AuthenticityPolicy::default();
    let again =
        authenticity::reverify(&json, keys, &nonce, &policy).expect("the honest report stands");
    assert_eq!(again.verdict, AuthenticityVerdict::Genuine);
    // …with its own nonce only.
    assert!(authenticity::reverify(&json, keys, b"OTHERNON", &policy).is_err());
    // Every single-byte edit fails.
    for i in 0..json.len() {
        for flip in [0x01u8, 0x20] {
            let mut edited = json.clone();
            edited[i] ^= flip;
            assert!(
                authenticity::reverify(&edited, keys, &nonce, &policy).is_err(),
                "edit at byte {i} ({flip:02X}) accepted"
            );
        }
    }
}

/// A key or hash the policy refuses fails `chip.aa` without accusing the
/// chip: a weak key is the issuer's choice, not a sign of a copy.
#[test]
fn a_policy_refusal_fails_the_check_but_suspects_no_clone() {
    let store = store();
    let cases = [
        (
            "RSA-1024 under a 2048-bit minimum",
            AaKeySpec::Rsa {
                bits: 1024,
                digest: AaDigest::Sha256,
            },
            AuthenticityPolicy {
                rsa_min_bits: 2048,
                ..AuthenticityPolicy::default()
            },
        ),
        (
            "SHA-1 not allowed",
            AaKeySpec::Rsa {
                bits: 2048,
                digest: AaDigest::Sha1,
            },
            AuthenticityPolicy {
                aa_digests: vec![AaDigest::Sha256],
                ..AuthenticityPolicy::default()
            },
        ),
    ];
    for (name, spec, policy) in cases {
        let report = read_with(
            chip(&AccessControl::bac_only(), &aa(spec)),
            &ReadOptions::default(),
        );
        let v = mrtd_session::validate_with(
            &report,
            &store,
            at(),
            &ValidationRules {
                authenticity: policy,
                ..ValidationRules::default()
            },
        );
        assert_eq!(status(&v, "chip.aa"), CheckStatus::Fail, "{name}");
        assert_eq!(
            v.authenticity.verdict,
            AuthenticityVerdict::Unknown,
            "{name}: {:#?}",
            v.authenticity.checks
        );
        assert!(!v.authenticity.acceptable(), "{name}");
        // The default policy accepts the same chip, with a warning for SHA-1 or the short key.
        let v = validate(&report, &store, at(), &Policy::default());
        assert_eq!(
            v.authenticity.verdict,
            AuthenticityVerdict::Genuine,
            "{name}"
        );
        assert_eq!(status(&v, "chip.aa"), CheckStatus::Warn, "{name}");
    }
}

#[test]
fn whether_not_supported_is_acceptable_is_the_policy_s_choice() {
    let report = read_with(
        chip(&AccessControl::bac_only(), &ChipAuthenticity::default()),
        &ReadOptions::default(),
    );
    let v = validate(&report, &store(), at(), &Policy::default());
    assert!(v.authenticity.acceptable());
    let strict = AuthenticityPolicy {
        accept_not_supported: false,
        ..AuthenticityPolicy::default()
    };
    let v = mrtd_session::validate_with(
        &report,
        &store(),
        at(),
        &ValidationRules {
            authenticity: strict,
            ..ValidationRules::default()
        },
    );
    assert_eq!(v.authenticity.verdict, AuthenticityVerdict::NotSupported);
    assert!(!v.authenticity.acceptable());
}
