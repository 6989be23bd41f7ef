//! A hostile chip (or a man in the middle) against a whole read: the
//! virtual passport's answers pass through a wrapper that corrupts chosen
//! responses on the wire — flipped bytes, truncation, garbage, bare status
//! words, absurd `DO'87'` lengths, reordered data objects, empty frames,
//! replays of earlier answers.
//!
//! Whatever it does, `read_document`
//! - returns (no panic) within a bounded number of APDUs;
//! - never reports an application file (read under secure messaging) whose
//!   bytes differ from what the chip was personalised with, complete or
//!   incomplete: without the session keys nobody can make the reader accept
//!   wrong content (Doc 9303-11 §9.8);
//! - fails, if it fails, with a typed [`SessionError`] that is not an
//!   internal error.
//!
//! Files of the master file (EF.ATR/INFO, EF.CardAccess) are read before
//! access control, in plain: nothing protects them, so a corrupted answer
//! may legitimately change them, and the content check leaves them out.
//!
//! The fuzz targets `session` and `session_corrupted` explore the same
//! ground without the time limit of the test suite (see `fuzz/README.md`).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use mrtd_iso7816::tlv::{self, Tag, TlvIter};
use mrtd_iso7816::{Capabilities, Transport, TransportError};
use mrtd_lds::{EfId, Location};
use mrtd_session::observer::NoObserver;
use mrtd_session::{AccessKey, ReadOptions, ReadReport, SessionError, read_document};
use mrtd_sim::personalise::{self, default_holder};
use mrtd_sim::{ChipConfig, ChipContent, InProcessTransport, VirtualPassport};
use proptest::prelude::*;
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;

/// APDUs a read may take, however hostile the chip: far above an honest
/// read of the default passport (about 15) and of a short-APDU-only one
/// with re-authentications, far below anything that looks like a loop.
const APDU_BOUND: u64 = 500;

/// After this many APDUs the wrapper reports the card removed, so that a
/// reader stuck in a loop ends the test instead of hanging it.
const APDU_CAP: u64 = 5_000;

/// The default passport's content, personalised once (signing EF.SOD is
/// the expensive part).
fn content() -> &'static ChipContent {
    static CONTENT: OnceLock<ChipContent> = OnceLock::new();
    CONTENT.get_or_init(|| {
        personalise::content_for(&default_holder()).expect("the built-in holder personalises")
    })
}

fn key() -> AccessKey {
    AccessKey::Mrz(default_holder().access_fields())
}

/// One way to spoil a response on the wire.
#[derive(Clone, Debug)]
enum Corruption {
    /// XOR one byte (position taken modulo the length).
    FlipByte { at: usize, mask: u8 },
    /// Keep only a prefix (length taken modulo the length).
    Truncate { keep: usize },
    /// Append bytes after the status word.
    AppendGarbage(Vec<u8>),
    /// Replace the whole response with a status word.
    BareStatus(u16),
    /// Replace the data with a `DO'87'` announcing a huge length, keeping
    /// the status word.
    HugeDo87 { length_bytes: u8 },
    /// Put the data objects of the data field in another order.
    SwapDoOrder { rotate: usize },
    /// An empty frame: not even a status word.
    Empty,
    /// Keep the data, replace the status word (`61XX`, `6CXX` included).
    ReplaceSw(u16),
    /// Answer with the response given `back` exchanges earlier (a replay).
    ReplayEarlier { back: usize },
}

fn any_sw() -> impl Strategy<Value = u16> {
    prop_oneof![
        Just(0x9000u16),
        Just(0x6282),
        Just(0x6700),
        Just(0x6982),
        Just(0x6A82),
        Just(0x6987),
        Just(0x6988),
        Just(0x6300),
        (0u16..=0xFF).prop_map(|x| 0x6100 | x),
        (0u16..=0xFF).prop_map(|x| 0x6C00 | x),
        any::<u16>(),
    ]
}

fn any_corruption() -> impl Strategy<Value = Corruption> {
    prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(at, mask)| Corruption::FlipByte { at, mask }),
        any::<usize>().prop_map(|keep| Corruption::Truncate { keep }),
        prop::collection::vec(any::<u8>(), 1..40).prop_map(Corruption::AppendGarbage),
        any_sw().prop_map(Corruption::BareStatus),
        (0u8..=4).prop_map(|length_bytes| Corruption::HugeDo87 { length_bytes }),
        any::<usize>().prop_map(|rotate| Corruption::SwapDoOrder { rotate }),
        Just(Corruption::Empty),
        any_sw().prop_map(Corruption::ReplaceSw),
        (1usize..6).prop_map(|back| Corruption::ReplayEarlier { back }),
    ]
}

impl Corruption {
    fn apply(&self, response: Vec<u8>, history: &[Vec<u8>]) -> Vec<u8> {
        let (data, sw) = split(&response);
        match self {
            Self::FlipByte { at, mask } if !response.is_empty() => {
                let mut r = response.clone();
                let i = at % r.len();
                r[i] ^= mask;
                r
            }
            Self::Truncate { keep } if !response.is_empty() => {
                response[..keep % response.len()].to_vec()
            }
            Self::AppendGarbage(extra) => [response.as_slice(), extra].concat(),
            Self::BareStatus(sw) => sw.to_be_bytes().to_vec(),
            Self::HugeDo87 { length_bytes } => {
                let mut r = match length_bytes {
                    0 => vec![0x87, 0x7F, 0x01],
                    n => {
                        let mut r = vec![0x87, 0x80 | n];
                        r.extend(std::iter::repeat_n(0xFF, usize::from(*n)));
                        r.push(0x01);
                        r
                    }
                };
                r.extend_from_slice(&sw);
                r
            }
            Self::SwapDoOrder { rotate } => {
                let objects: Vec<Vec<u8>> = TlvIter::new(data)
                    .map_while(Result::ok)
                    .map(|(_, t)| tlv::tlv(t.tag, t.value))
                    .collect();
                if objects.len() < 2 {
                    return response;
                }
                let mut objects = objects;
                let n = objects.len();
                objects.rotate_left(1 + rotate % (n - 1));
                let mut r: Vec<u8> = objects.concat();
                r.extend_from_slice(&sw);
                r
            }
            Self::Empty => Vec::new(),
            Self::ReplaceSw(new) => [data, &new.to_be_bytes()].concat(),
            Self::ReplayEarlier { back } => history
                .len()
                .checked_sub(*back)
                .map_or(response.clone(), |i| history[i].clone()),
            // Flip or truncate of an empty frame: nothing to do.
            _ => response,
        }
    }
}

/// `(data, SW1 SW2)`; a frame shorter than two bytes is all status.
fn split(response: &[u8]) -> (&[u8], [u8; 2]) {
    match response.split_last_chunk::<2>() {
        Some((data, sw)) => (data, *sw),
        None => (&[], [0x6F, 0x00]),
    }
}

/// The virtual passport behind a man in the middle.
struct HostileChip {
    inner: InProcessTransport<VirtualPassport>,
    /// Corruptions by the index of the response they spoil.
    plan: BTreeMap<usize, Vec<Corruption>>,
    /// Every response as delivered, for replays.
    history: Vec<Vec<u8>>,
    apdus: u64,
}

impl HostileChip {
    fn new(config: ChipConfig, plan: BTreeMap<usize, Vec<Corruption>>) -> Self {
        Self {
            inner: InProcessTransport::new(VirtualPassport::new(config, content().clone())),
            plan,
            history: Vec::new(),
            apdus: 0,
        }
    }
}

impl Transport for HostileChip {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.apdus += 1;
        if self.apdus > APDU_CAP {
            return Err(TransportError::CardRemoved);
        }
        let mut response = self.inner.transmit(command)?;
        let index = self.history.len();
        for corruption in self.plan.get(&index).into_iter().flatten() {
            response = corruption.apply(response, &self.history);
        }
        self.history.push(response.clone());
        Ok(response)
    }
    fn atr(&self) -> Option<Vec<u8>> {
        self.inner.atr()
    }
    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }
    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        self.inner.reset()
    }
}

/// Reads through `chip` and checks the three properties.
fn read_and_check(
    chip: &mut HostileChip,
    options: &ReadOptions,
) -> Result<ReadReport, SessionError> {
    let expected = &content().files;
    let mut rng = ChaCha20Rng::seed_from_u64(11);
    let result = read_document(chip, &key(), options, &mut rng, &mut NoObserver);
    assert!(
        chip.apdus < APDU_BOUND,
        "{} APDUs: the read does not stop",
        chip.apdus
    );
    let (report, error) = match result {
        Ok(report) => (report, None),
        Err(failure) => (*failure.report, Some(failure.error)),
    };
    for (ef, bytes) in &report.files {
        if ef.location() == Location::Application {
            assert!(
                expected.get(ef) == Some(bytes),
                "{ef} accepted with content the chip was not personalised with"
            );
        }
    }
    if let Some(incomplete) = &report.incomplete
        && incomplete.ef.location() == Location::Application
    {
        assert_eq!(incomplete.read, incomplete.data.len());
        assert!(
            // Nothing read is trivially nothing wrong (the session reports an
            // empty incomplete file, even one the chip does not have, when
            // access control fails again before its first byte).
            incomplete.data.is_empty()
                || expected
                    .get(&incomplete.ef)
                    .is_some_and(|f| f.starts_with(&incomplete.data)),
            "the incomplete {} is not a prefix of the personalised file",
            incomplete.ef
        );
    }
    match error {
        None => Ok(report),
        Some(e) => {
            assert!(
                !matches!(e, SessionError::Internal(_)),
                "internal error: {e}"
            );
            // Every error renders (no panicking Display).
            assert!(!e.to_string().is_empty());
            Err(e)
        }
    }
}

/// APDUs of an honest read with `config` and `options`.
fn honest_apdus(config: &ChipConfig, options: &ReadOptions) -> usize {
    let mut chip = HostileChip::new(config.clone(), BTreeMap::new());
    let report = read_and_check(&mut chip, options).expect("an honest read succeeds");
    for ef in [EfId::Com, EfId::Sod] {
        assert_eq!(report.files[&ef], content().files[&ef]);
    }
    usize::try_from(chip.apdus).unwrap()
}

fn any_config() -> impl Strategy<Value = ChipConfig> {
    prop_oneof![
        3 => Just(ChipConfig::default()),
        1 => Just(ChipConfig::short_only()),
        1 => Just(ChipConfig { short_ef_identifiers: false, ..ChipConfig::default() }),
    ]
}

fn any_options() -> impl Strategy<Value = ReadOptions> {
    (any::<bool>(), 0u32..=2, prop::bool::weighted(0.2)).prop_map(
        |(extended_length, max_reauthentications, probe_all_data_groups)| ReadOptions {
            extended_length,
            max_reauthentications,
            probe_all_data_groups,
            ..ReadOptions::default()
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    /// One corrupted response, anywhere in the read.
    #[test]
    fn one_corrupted_response(
        config in any_config(),
        options in any_options(),
        at in any::<prop::sample::Index>(),
        corruption in any_corruption(),
    ) {
        let n = honest_apdus(&config, &options);
        let plan = BTreeMap::from([(at.index(n), vec![corruption])]);
        let mut chip = HostileChip::new(config, plan);
        let _ = read_and_check(&mut chip, &options);
    }

    /// Several corrupted responses (a persistent attacker).
    #[test]
    fn several_corrupted_responses(
        options in any_options(),
        plan in prop::collection::vec((0usize..40, any_corruption()), 1..6),
    ) {
        let mut by_index = BTreeMap::<usize, Vec<Corruption>>::new();
        for (i, c) in plan {
            by_index.entry(i).or_default().push(c);
        }
        let mut chip = HostileChip::new(ChipConfig::default(), by_index);
        let _ = read_and_check(&mut chip, &options);
    }
}

/// The harness itself: without corruption the read succeeds, and each
/// corruption kind changes the response it targets.
#[test]
fn the_harness_reads_an_honest_chip_and_corrupts_what_it_is_told() {
    let options = ReadOptions::default();
    assert!(honest_apdus(&ChipConfig::default(), &options) > 8);
    let sample = tlv::tlv(Tag(0x87), &[1; 9])
        .into_iter()
        .chain(tlv::tlv(Tag(0x99), &[0x90, 0]))
        .chain([0x90, 0x00])
        .collect::<Vec<_>>();
    for c in [
        Corruption::FlipByte { at: 3, mask: 1 },
        Corruption::Truncate { keep: 5 },
        Corruption::AppendGarbage(vec![1]),
        Corruption::BareStatus(0x6988),
        Corruption::HugeDo87 { length_bytes: 4 },
        Corruption::SwapDoOrder { rotate: 0 },
        Corruption::Empty,
        Corruption::ReplaceSw(0x6100),
        Corruption::ReplayEarlier { back: 1 },
    ] {
        assert_ne!(
            c.apply(sample.clone(), &[vec![0x90, 0x00]]),
            sample,
            "{c:?}"
        );
    }
}

/// A MAC failure in the middle of DG2 is survived by re-authenticating and
/// resuming; the file is complete and identical.
#[test]
fn a_corrupted_read_binary_is_survived_by_re_authentication() {
    let options = ReadOptions::default();
    let config = ChipConfig::short_only();
    let n = honest_apdus(&config, &options);
    let plan = BTreeMap::from([(n - 10, vec![Corruption::FlipByte { at: 5, mask: 0x40 }])]);
    let mut chip = HostileChip::new(config, plan);
    let report = read_and_check(&mut chip, &options).expect("the read recovers");
    assert_eq!(report.access_control.unwrap().reauthentications, 1);
    assert_eq!(
        report.files.len(),
        content()
            .files
            .iter()
            .filter(|(ef, _)| ef.location() == Location::Application)
            .count()
            + usize::from(report.files.contains_key(&EfId::AtrInfo))
    );
}

/// A chip that answers every GET RESPONSE with `6100` and no data:
/// `transmit_apdu` chains GET RESPONSE without end, because an empty chunk
/// never brings the assembled response closer to its size limit.
#[test]
fn endless_61xx_is_bounded() {
    struct Stuck(u64);
    impl Transport for Stuck {
        fn transmit(&mut self, _command: &[u8]) -> Result<Vec<u8>, TransportError> {
            self.0 += 1;
            if self.0 > APDU_CAP {
                return Err(TransportError::CardRemoved);
            }
            Ok(vec![0x61, 0x00])
        }
        fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
            Err(TransportError::CardRemoved)
        }
    }
    let mut chip = Stuck(0);
    let mut rng = ChaCha20Rng::seed_from_u64(1);
    let _ = read_document(
        &mut chip,
        &key(),
        &ReadOptions::default(),
        &mut rng,
        &mut NoObserver,
    );
    assert!(
        chip.0 < APDU_BOUND,
        "{} APDUs for a chip that only answers 6100",
        chip.0
    );
}
