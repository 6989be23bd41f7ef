//! End-to-end reads of the virtual passport in-process: every file
//! byte-identical to what the chip was personalised with, under every link
//! limitation the virtual passport can model.

use std::collections::BTreeMap;

use mrtd_iso7816::{RecordingTransport, ReplayTransport, TransportError};
use mrtd_lds::{DgNumber, EfId};
use mrtd_mrz::AccessFields;
use mrtd_pki::TestPki;
use mrtd_protocol::read::ExtendedLength;
use mrtd_session::observer::{NoObserver, ReadEvent};
use mrtd_session::{AccessKey, ReadOptions, ReadReport, SessionError, read_document};
use mrtd_sim::personalise::{self, Holder};
use mrtd_sim::{ChipConfig, ChipContent, Faults, InProcessTransport, VirtualPassport};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;

fn key() -> AccessKey {
    AccessKey::Mrz(personalise::default_holder().access_fields())
}

fn rng() -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(7)
}

fn passport(config: ChipConfig) -> VirtualPassport {
    personalise::passport_with(config, &personalise::default_holder())
}

fn read(
    passport: VirtualPassport,
    options: &ReadOptions,
) -> (
    Result<ReadReport, mrtd_session::ReadFailure>,
    BTreeMap<EfId, Vec<u8>>,
) {
    let expected = passport.files().clone();
    let mut transport = InProcessTransport::new(passport);
    (
        read_document(&mut transport, &key(), options, &mut rng(), &mut NoObserver),
        expected,
    )
}

fn dg(n: u8) -> EfId {
    EfId::Dg(DgNumber::new(n).unwrap())
}

/// Every personalised application file was read and is byte-identical.
fn assert_identical(report: &ReadReport, expected: &BTreeMap<EfId, Vec<u8>>) {
    for ef in [EfId::Com, EfId::Sod, dg(1), dg(2)] {
        let got = report
            .files
            .get(&ef)
            .unwrap_or_else(|| panic!("{ef} not read"));
        assert!(
            got == &expected[&ef],
            "{ef} differs from the personalised file"
        );
    }
    assert!(
        report.files.keys().all(|ef| expected.contains_key(ef)),
        "a file that does not exist was reported"
    );
    assert!(report.files[&dg(2)].len() >= 20_000);
}

#[test]
fn conformant_chip_with_extended_length_reads_each_file_in_two_commands() {
    let (result, expected) = read(passport(ChipConfig::default()), &ReadOptions::default());
    let report = result.unwrap();
    assert_identical(&report, &expected);
    for ef in [EfId::Com, EfId::Sod, dg(1), dg(2)] {
        let stats = report.file_stats[&ef];
        assert_eq!(stats.reads, 2, "{ef}: header read plus one READ BINARY");
        assert_eq!(
            stats.apdus, 2,
            "{ef}: no SELECT thanks to the short EF identifier"
        );
    }
    assert!(report.file_stats[&dg(2)].extended_length);
    let link = report.link.unwrap();
    assert!(matches!(link.extended_length, ExtendedLength::Supported(_)));
    assert_eq!(link.short_ef_identifiers, Some(true));
    assert_eq!(
        report.skipped.get(&EfId::CardAccess),
        Some(&mrtd_session::report::SkipReason::NotPresent)
    );
    assert_eq!(report.access_control.unwrap().protocol, "BAC");
}

#[test]
fn short_only_chip_is_read_with_the_largest_short_le() {
    let (result, expected) = read(passport(ChipConfig::short_only()), &ReadOptions::default());
    let report = result.unwrap();
    assert_identical(&report, &expected);
    let link = report.link.unwrap();
    assert_eq!(link.extended_length, ExtendedLength::Unsupported);
    assert_eq!(link.short_le, 0xE7, "the 3DES secure-messaging limit");
    let dg2 = report.file_stats[&dg(2)];
    assert!(!dg2.extended_length);
    let expected_reads = 1 + (expected[&dg(2)].len() - 8).div_ceil(0xE7);
    assert_eq!(dg2.reads as usize, expected_reads);
}

#[test]
fn chip_with_a_maximum_le_of_df() {
    let config = ChipConfig {
        max_short_le: 0xDF,
        ..ChipConfig::short_only()
    };
    let (result, expected) = read(passport(config), &ReadOptions::default());
    let report = result.unwrap();
    assert_identical(&report, &expected);
    assert!(report.link.unwrap().short_le <= 0xDF);
}

#[test]
fn reader_side_le_cap_and_no_extended_length() {
    let options = ReadOptions {
        extended_length: false,
        max_short_le: Some(0x40),
        ..ReadOptions::default()
    };
    let (result, expected) = read(passport(ChipConfig::default()), &options);
    let report = result.unwrap();
    assert_identical(&report, &expected);
    assert!(report.file_stats.values().all(|s| !s.extended_length));
    assert_eq!(report.link.unwrap().short_le, 0x40);
}

#[test]
fn chip_without_short_ef_identifiers_gets_select() {
    let config = ChipConfig {
        short_ef_identifiers: false,
        ..ChipConfig::default()
    };
    let (result, expected) = read(passport(config), &ReadOptions::default());
    let report = result.unwrap();
    assert_identical(&report, &expected);
    assert_eq!(report.link.unwrap().short_ef_identifiers, Some(false));
}

#[test]
fn chip_that_announces_extended_length_but_refuses_it_is_read_after_re_authentication() {
    // Announces extended length in the ATR without EF.ATR/INFO, so the reader
    // probes; the chip then ends secure messaging with a plain 6700.
    let config = ChipConfig {
        extended_length: false,
        announce_extended_length: true,
        ef_atr_info: false,
        ..ChipConfig::default()
    };
    let mut events = Vec::new();
    let expected = passport(config.clone()).files().clone();
    let mut transport = InProcessTransport::new(passport(config));
    let mut observer = |e: &ReadEvent| events.push(e.clone());
    let report = read_document(
        &mut transport,
        &key(),
        &ReadOptions::default(),
        &mut rng(),
        &mut observer,
    )
    .unwrap();
    assert_identical(&report, &expected);
    assert_eq!(report.access_control.unwrap().reauthentications, 1);
    assert_eq!(
        report.link.unwrap().extended_length,
        ExtendedLength::Unsupported
    );
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e, ReadEvent::Reauthenticated { .. }))
            .count(),
        1
    );
}

#[test]
fn files_beyond_32k_use_odd_ins_read_binary_under_secure_messaging() {
    let mut face = mrtd_lds::Dg2::parse(&passport(ChipConfig::default()).files()[&dg(2)])
        .unwrap()
        .images()
        .next()
        .unwrap()
        .clone();
    // Any bytes will do for the record; make the DG2 larger than 32 767 bytes.
    face.bytes = (0..40_000u32).map(|i| (i % 251) as u8).collect();
    let holder = personalise::default_holder();
    let files =
        personalise::files_for(&holder, face, TestPki::embedded().document_signer()).unwrap();
    let bac_key = mrtd_protocol::BacKey::from_mrz_information(
        holder.access_fields().mrz_information().as_bytes(),
    );
    for config in [ChipConfig::short_only(), ChipConfig::default()] {
        let chip = VirtualPassport::new(
            config,
            ChipContent {
                files: files.clone(),
                bac_key: bac_key.clone(),
                bac_enabled: true,
                pace: None,
                active_authentication: None,
                chip_authentication: None,
            },
        );
        let (result, expected) = read(chip, &ReadOptions::default());
        let report = result.unwrap();
        assert!(expected[&dg(2)].len() > 32_767);
        assert_identical(&report, &expected);
    }
}

#[test]
fn wrong_mrz_is_access_denied() {
    let wrong = AccessKey::Mrz(AccessFields::new("M70000012", "850316", "330914").unwrap());
    let mut transport = InProcessTransport::new(passport(ChipConfig::default()));
    let failure = read_document(
        &mut transport,
        &wrong,
        &ReadOptions::default(),
        &mut rng(),
        &mut NoObserver,
    )
    .unwrap_err();
    assert!(failure.error.is_access_denied(), "{}", failure.error);
    assert!(failure.error.to_string().contains("refused access control"));
    assert!(
        failure
            .report
            .files
            .keys()
            .all(|ef| ef.location() == mrtd_lds::Location::MasterFile)
    );
}

#[test]
fn card_removed_in_the_middle_of_dg2_keeps_the_completed_files() {
    // Short APDUs: DG2 takes ~150 READ BINARY commands; remove after 40.
    let chip = passport(ChipConfig::short_only());
    let expected = chip.files().clone();
    let mut transport = InProcessTransport::with_faults(
        chip,
        Faults {
            remove_after_apdus: Some(40),
        },
    );
    let failure = read_document(
        &mut transport,
        &key(),
        &ReadOptions::default(),
        &mut rng(),
        &mut NoObserver,
    )
    .unwrap_err();
    assert!(
        matches!(
            failure.error,
            SessionError::Transport(TransportError::CardRemoved)
        ),
        "{}",
        failure.error
    );
    let report = failure.report;
    for ef in [EfId::Com, EfId::Sod, dg(1)] {
        assert_eq!(report.files[&ef], expected[&ef]);
    }
    assert!(!report.files.contains_key(&dg(2)));
    let incomplete = report.incomplete.expect("the interrupted DG2 is reported");
    assert_eq!(incomplete.ef, dg(2));
    assert_eq!(incomplete.total, Some(expected[&dg(2)].len()));
    assert!(incomplete.read > 0 && incomplete.read < expected[&dg(2)].len());
    assert_eq!(incomplete.data[..], expected[&dg(2)][..incomplete.read]);
}

#[test]
fn a_recorded_read_replays_byte_for_byte() {
    let chip = passport(ChipConfig::default());
    let mut recorder = RecordingTransport::new(InProcessTransport::new(chip));
    let first = read_document(
        &mut recorder,
        &key(),
        &ReadOptions::default(),
        &mut rng(),
        &mut NoObserver,
    )
    .unwrap();
    let (_, transcript) = recorder.into_parts();
    // Same terminal randomness: the replay sends exactly the recorded commands.
    let mut replay = ReplayTransport::new(transcript);
    let second = read_document(
        &mut replay,
        &key(),
        &ReadOptions::default(),
        &mut rng(),
        &mut NoObserver,
    )
    .unwrap();
    assert!(replay.is_finished());
    assert_eq!(first.files, second.files);
    // Other terminal randomness cannot replay the transcript.
    let (_, transcript) = {
        let mut recorder =
            RecordingTransport::new(InProcessTransport::new(passport(ChipConfig::default())));
        read_document(
            &mut recorder,
            &key(),
            &ReadOptions::default(),
            &mut rng(),
            &mut NoObserver,
        )
        .unwrap();
        recorder.into_parts()
    };
    let mut replay = ReplayTransport::new(transcript);
    let failure = read_document(
        &mut replay,
        &key(),
        &ReadOptions::default(),
        &mut ChaCha20Rng::seed_from_u64(8),
        &mut NoObserver,
    )
    .unwrap_err();
    assert!(matches!(
        failure.error,
        SessionError::Transport(TransportError::ReplayMismatch { .. })
    ));
}

#[test]
fn holder_files_round_trip_through_the_chip_for_other_holders() {
    let holder = Holder {
        document_number: "X1234567".into(),
        issuing_state: "UTO".into(),
        nationality: "UTO".into(),
        ..personalise::default_holder()
    };
    let chip = personalise::passport_with(ChipConfig::default(), &holder);
    let expected = chip.files().clone();
    let mut transport = InProcessTransport::new(chip);
    let key = AccessKey::Mrz(holder.access_fields());
    let report = read_document(
        &mut transport,
        &key,
        &ReadOptions::default(),
        &mut rng(),
        &mut NoObserver,
    )
    .unwrap();
    assert_identical(&report, &expected);
}

#[test]
fn progress_events_cover_every_file() {
    let mut events = Vec::new();
    let mut transport = InProcessTransport::new(passport(ChipConfig::short_only()));
    let mut observer = |e: &ReadEvent| events.push(e.clone());
    let report = read_document(
        &mut transport,
        &key(),
        &ReadOptions::default(),
        &mut rng(),
        &mut observer,
    )
    .unwrap();
    let done: Vec<EfId> = events
        .iter()
        .filter_map(|e| {
            if let ReadEvent::FileDone { ef, .. } = e {
                Some(*ef)
            } else {
                None
            }
        })
        .collect();
    assert_eq!(
        done,
        report
            .files
            .keys()
            .copied()
            .collect::<Vec<_>>()
            .iter()
            .copied()
            .filter(|ef| done.contains(ef))
            .collect::<Vec<_>>()
    );
    assert_eq!(done.len(), report.files.len());
    let dg2_progress = events
        .iter()
        .filter(|e| matches!(e, ReadEvent::FileProgress { ef, total: Some(_), .. } if *ef == dg(2)))
        .count();
    assert!(
        dg2_progress > 100,
        "progress is reported per READ BINARY ({dg2_progress})"
    );
}
