//! Reads of PACE chips through the whole session, in-process: every
//! mapping on every standardized parameter set with MRZ and CAN, the
//! protocol choice, the BAC fallback and its refusal, and the quirks of
//! MSE:Set AT.

use std::collections::BTreeMap;

use mrtd_groups::DomainParameters;
use mrtd_lds::{DgNumber, EfId};
use mrtd_protocol::SmAlgorithm;
use mrtd_protocol::pace::protocol::is_usable;
use mrtd_protocol::pace::{KeyAgreement, Mapping, PaceProtocol};
use mrtd_session::observer::NoObserver;
use mrtd_session::{AccessKey, ReadOptions, ReadReport, SessionError, read_document};
use mrtd_sim::personalise::{self, AccessControl, PaceOffer};
use mrtd_sim::{ChipConfig, InProcessTransport, VirtualPassport};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;

fn mrz() -> AccessKey {
    AccessKey::Mrz(personalise::default_holder().access_fields())
}

fn can() -> AccessKey {
    AccessKey::can(&personalise::default_holder().can).unwrap()
}

fn chip(access: &AccessControl) -> VirtualPassport {
    personalise::try_passport_with_access(
        ChipConfig::default(),
        &personalise::default_holder(),
        access,
    )
    .unwrap()
}

fn read(
    chip: VirtualPassport,
    key: &AccessKey,
    options: &ReadOptions,
    seed: u64,
) -> (
    Result<ReadReport, mrtd_session::ReadFailure>,
    BTreeMap<EfId, Vec<u8>>,
) {
    let expected = chip.files().clone();
    let mut transport = InProcessTransport::new(chip);
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    (
        read_document(&mut transport, key, options, &mut rng, &mut NoObserver),
        expected,
    )
}

fn assert_identical(report: &ReadReport, expected: &BTreeMap<EfId, Vec<u8>>) {
    for ef in [
        EfId::Com,
        EfId::Sod,
        EfId::Dg(DgNumber::new(1).unwrap()),
        EfId::Dg(DgNumber::new(2).unwrap()),
    ] {
        assert!(
            report.files.get(&ef) == expected.get(&ef),
            "{ef} differs or is missing"
        );
    }
}

#[test]
fn every_mapping_on_every_parameter_set_with_mrz_and_can() {
    let mut runs = 0;
    for protocol in PaceProtocol::all() {
        let ids: Vec<u8> = match protocol.key_agreement {
            KeyAgreement::Dh => vec![0, 1, 2],
            KeyAgreement::Ecdh => (8..=18).collect(),
        };
        for id in ids {
            if !is_usable(
                protocol,
                DomainParameters::from_standardized_id(id).unwrap(),
            ) {
                continue;
            }
            // PACE-only chips: the read cannot silently use BAC.
            let access = AccessControl::pace(protocol, id, false);
            let key = if runs % 2 == 0 { mrz() } else { can() };
            let options = ReadOptions {
                require_pace: true,
                ..ReadOptions::default()
            };
            let (result, expected) = read(chip(&access), &key, &options, runs);
            let report =
                result.unwrap_or_else(|f| panic!("{protocol} on parameter set {id}: {}", f.error));
            assert_identical(&report, &expected);
            let ac = report.access_control.as_ref().unwrap();
            assert_eq!(ac.protocol, "PACE");
            assert_eq!(ac.cipher, protocol.cipher);
            assert_eq!(ac.password, key.kind());
            let pace = ac.pace.as_ref().unwrap();
            assert_eq!((pace.protocol, pace.parameter_id), (protocol, Some(id)));
            assert_eq!(
                report.pace_cam.is_some(),
                protocol.mapping == Mapping::ChipAuthentication
            );
            runs += 1;
        }
    }
    assert_eq!(
        runs,
        8 * 3 + 11 * 11 - 4,
        "every usable combination (ECDH-IM cannot use P-224)"
    );
}

#[test]
fn pace_cam_proof_verifies_with_the_chip_static_key() {
    let protocol: PaceProtocol = "ECDH-CAM-AES-128".parse().unwrap();
    let access = AccessControl::pace(protocol, 13, true);
    let content = personalise::content_with(&personalise::default_holder(), &access).unwrap();
    let static_key = content
        .pace
        .as_ref()
        .unwrap()
        .chip_authentication_key
        .as_ref()
        .unwrap()
        .public_key();
    let (result, _) = read(
        VirtualPassport::new(ChipConfig::default(), content),
        &mrz(),
        &ReadOptions::default(),
        1,
    );
    let report = result.unwrap();
    let proof = report.pace_cam.expect("CAM data");
    assert!(proof.verify(&static_key));
    // Another chip's key does not verify (the clone check of issue 7).
    let other = mrtd_groups::EcSecret::random(
        mrtd_groups::CurveId::BrainpoolP256r1,
        &mut ChaCha20Rng::seed_from_u64(5),
    )
    .public_key();
    assert!(!proof.verify(&other));
}

#[test]
fn the_strongest_offer_is_chosen() {
    let access = AccessControl {
        bac: true,
        pace: vec![
            PaceOffer {
                protocol: "DH-GM-AES-128".parse().unwrap(),
                parameter_id: 2,
            },
            PaceOffer {
                protocol: "ECDH-GM-3DES".parse().unwrap(),
                parameter_id: 12,
            },
            PaceOffer {
                protocol: "ECDH-CAM-AES-256".parse().unwrap(),
                parameter_id: 16,
            },
            PaceOffer {
                protocol: "ECDH-IM-AES-128".parse().unwrap(),
                parameter_id: 13,
            },
        ],
        ..AccessControl::default()
    };
    let (result, expected) = read(chip(&access), &mrz(), &ReadOptions::default(), 2);
    let report = result.unwrap();
    assert_identical(&report, &expected);
    let pace = report.access_control.unwrap().pace.unwrap();
    assert_eq!(pace.protocol.name(), "ECDH-CAM-AES-256");
    assert_eq!(pace.domain, "brainpoolP384r1");
}

#[test]
fn wrong_can_is_access_denied() {
    let access = AccessControl::pace("ECDH-IM-AES-192".parse().unwrap(), 12, true);
    let (result, _) = read(
        chip(&access),
        &AccessKey::can("000000").unwrap(),
        &ReadOptions::default(),
        3,
    );
    let failure = result.unwrap_err();
    assert!(
        matches!(
            failure.error,
            SessionError::PacePasswordRefused {
                password: "CAN",
                ..
            }
        ),
        "{}",
        failure.error
    );
    assert!(failure.error.is_access_denied());
    assert!(failure.error.to_string().contains("CAN is wrong"));
    assert!(
        failure
            .report
            .files
            .keys()
            .all(|ef| ef.location() == mrtd_lds::Location::MasterFile)
    );
}

#[test]
fn pace_only_chip_reads_without_require_pace() {
    let access = AccessControl::pace("ECDH-GM-AES-128".parse().unwrap(), 13, false);
    let (result, expected) = read(chip(&access), &mrz(), &ReadOptions::default(), 4);
    let report = result.unwrap();
    assert_identical(&report, &expected);
    assert_eq!(report.access_control.unwrap().protocol, "PACE");
}

#[test]
fn bac_only_chip_with_require_pace_is_refused_saying_why() {
    let options = ReadOptions {
        require_pace: true,
        ..ReadOptions::default()
    };
    let (result, _) = read(chip(&AccessControl::bac_only()), &mrz(), &options, 5);
    let failure = result.unwrap_err();
    assert!(
        matches!(failure.error, SessionError::PaceNotOffered { .. }),
        "{}",
        failure.error
    );
    assert!(failure.error.is_access_denied());
    let message = failure.error.to_string();
    assert!(
        message.contains("PACE was required") && message.contains("not offer"),
        "{message}"
    );
    // Without the flag, the same chip reads with BAC.
    let (result, _) = read(
        chip(&AccessControl::bac_only()),
        &mrz(),
        &ReadOptions::default(),
        5,
    );
    assert_eq!(result.unwrap().access_control.unwrap().protocol, "BAC");
}

#[test]
fn a_can_needs_pace() {
    let (result, _) = read(
        chip(&AccessControl::bac_only()),
        &can(),
        &ReadOptions::default(),
        6,
    );
    let failure = result.unwrap_err();
    assert!(
        matches!(
            failure.error,
            SessionError::PaceNotOffered {
                why: "the access key is a CAN",
                ..
            }
        ),
        "{}",
        failure.error
    );
}

/// A chip whose EF.CardAccess announces a protocol its PACE does not
/// implement: MSE:Set AT is refused (with and without `84`), and the read
/// falls back to BAC — reported — unless PACE is required.
#[test]
fn pace_failure_falls_back_to_bac_unless_required() {
    let implemented = AccessControl::pace("ECDH-GM-AES-128".parse().unwrap(), 13, true);
    let announced = AccessControl::pace("ECDH-IM-AES-256".parse().unwrap(), 13, true);
    let mut content =
        personalise::content_with(&personalise::default_holder(), &implemented).unwrap();
    let lying = personalise::content_with(&personalise::default_holder(), &announced).unwrap();
    content
        .files
        .insert(EfId::CardAccess, lying.files[&EfId::CardAccess].clone());

    let (result, expected) = read(
        VirtualPassport::new(ChipConfig::default(), content.clone()),
        &mrz(),
        &ReadOptions::default(),
        7,
    );
    let report = result.unwrap();
    assert_identical(&report, &expected);
    let ac = report.access_control.as_ref().unwrap();
    assert_eq!(ac.protocol, "BAC");
    assert!(
        ac.fallback_from_pace
            .as_ref()
            .unwrap()
            .contains("MSE:Set AT"),
        "{ac:?}"
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.contains("falling back to BAC"))
    );

    let options = ReadOptions {
        require_pace: true,
        ..ReadOptions::default()
    };
    let (result, _) = read(
        VirtualPassport::new(ChipConfig::default(), content),
        &mrz(),
        &options,
        7,
    );
    let failure = result.unwrap_err();
    assert!(
        matches!(
            failure.error,
            SessionError::PaceFailed {
                why: "--require-pace",
                ..
            }
        ),
        "{}",
        failure.error
    );
}

#[test]
fn a_chip_that_forbids_the_parameter_id_gets_one_reported_retry() {
    let mut access = AccessControl::pace("ECDH-GM-AES-128".parse().unwrap(), 13, false);
    access.parameter_id_policy = mrtd_protocol::pace::chip::ParameterIdPolicy::Forbidden;
    let (result, expected) = read(chip(&access), &mrz(), &ReadOptions::default(), 8);
    let report = result.unwrap();
    assert_identical(&report, &expected);
    let ac = report.access_control.unwrap();
    assert_eq!(ac.quirks.len(), 1, "{:?}", ac.quirks);
    assert!(ac.quirks[0].contains("retried without"));
    assert!(!ac.pace.unwrap().parameter_id_sent);
}

#[test]
fn a_broken_channel_after_pace_runs_pace_again() {
    // The chip announces extended length but refuses it by ending secure
    // messaging: the reader runs PACE again and goes on with short reads.
    let config = ChipConfig {
        extended_length: false,
        announce_extended_length: true,
        ef_atr_info: false,
        ..ChipConfig::default()
    };
    let access = AccessControl::pace("ECDH-GM-AES-256".parse().unwrap(), 18, false);
    let passport =
        personalise::try_passport_with_access(config, &personalise::default_holder(), &access)
            .unwrap();
    let (result, expected) = read(passport, &can(), &ReadOptions::default(), 9);
    let report = result.unwrap();
    assert_identical(&report, &expected);
    let ac = report.access_control.unwrap();
    assert_eq!(
        (ac.protocol, ac.reauthentications, ac.cipher),
        ("PACE", 1, SmAlgorithm::Aes256)
    );
}
