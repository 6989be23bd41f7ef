//! End-to-end tests through a REAL pcscd: a small virtual card is served
//! to vpcd's reader "Virtual PCD 00 00" by `mrtd_sim::vpcd::serve`, and
//! `mrtd-pcsc` talks to it through pcsc-lite exactly as it would to a
//! passport on a USB reader.
//!
//! They need pcscd running with vsmartcard-vpcd installed (see
//! /work/shared/environment.md) and FAIL, never skip, when it is not.
//! All tests share vpcd's reader 0, so each holds [`VPCD`] for its whole
//! run.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use mrtd_iso7816::{CommandApdu, StatusWord, Transport, TransportError, transmit_apdu};
use mrtd_pcsc::{
    PcscTransport, Protocol, ReaderInfo, list_readers, select_reader, wait_for_card,
    wait_for_removal,
};
use mrtd_sim::VirtualCard;
use mrtd_sim::vpcd::{self, ServeOutcome, VpcdOptions};

/// Serialises the tests: vpcd's reader 0 holds one card at a time.
static VPCD: Mutex<()> = Mutex::new(());

const ATR: [u8; 5] = [0x3B, 0x80, 0x80, 0x01, 0x01];
const GET_CHALLENGE: [u8; 5] = [0x00, 0x84, 0x00, 0x00, 0x08];
/// Test-only instruction: answers the command data followed by a counting
/// pattern up to Ne bytes, to check long commands and responses.
const INS_EXTENDED_ECHO: u8 = 0xEE;

fn reader0() -> String {
    vpcd::reader_name(0)
}

fn lock() -> MutexGuard<'static, ()> {
    VPCD.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Fails the test loudly when pcscd or vpcd is missing.
fn require_pcscd() -> Vec<ReaderInfo> {
    let readers = list_readers().unwrap_or_else(|e| {
        panic!(
            "pcscd is not reachable ({e}). These tests need a running pcscd with vsmartcard-vpcd: \
             start it with `pcscd --foreground --error > /tmp/pcscd.log 2>&1 &` and wait until TCP \
             port 35963 listens (see /work/shared/environment.md)"
        )
    });
    for index in 0..2 {
        let name = vpcd::reader_name(index);
        assert!(
            readers.iter().any(|r| r.name == name),
            "pcscd runs but has no reader {name:?} (readers: {readers:?}): install vsmartcard-vpcd and restart pcscd"
        );
    }
    readers
}

/// What the card went through, shared with the test.
#[derive(Debug, Default)]
struct Log {
    power_cycles: u32,
    apdus: u32,
}

/// Answers GET CHALLENGE with a counter that restarts at every power-up,
/// the extended echo, and echoes anything else with 9000.
struct TestCard {
    counter: u8,
    log: Arc<Mutex<Log>>,
}

impl TestCard {
    fn new() -> (Self, Arc<Mutex<Log>>) {
        let log = Arc::new(Mutex::new(Log::default()));
        (
            Self {
                counter: 0,
                log: log.clone(),
            },
            log,
        )
    }
}

impl VirtualCard for TestCard {
    fn power_on(&mut self) -> Vec<u8> {
        self.counter = 0;
        self.log.lock().unwrap().power_cycles += 1;
        ATR.to_vec()
    }
    fn power_off(&mut self) {
        self.counter = 0;
    }
    fn atr(&self) -> Vec<u8> {
        ATR.to_vec()
    }
    fn process_apdu(&mut self, command: &[u8]) -> Vec<u8> {
        self.log.lock().unwrap().apdus += 1;
        if command == GET_CHALLENGE {
            self.counter = self.counter.wrapping_add(1);
            let mut r = vec![self.counter; 8];
            r.extend([0x90, 0x00]);
            return r;
        }
        if command.get(1) == Some(&INS_EXTENDED_ECHO) {
            let Ok(apdu) = CommandApdu::parse(command) else {
                return vec![0x67, 0x00];
            };
            let ne = apdu.ne().unwrap_or(0);
            let mut r = apdu.data().to_vec();
            r.extend((r.len()..ne).map(|i| (i % 251) as u8));
            r.truncate(ne);
            r.extend([0x90, 0x00]);
            return r;
        }
        let mut r = command.to_vec();
        r.extend([0x90, 0x00]);
        r
    }
}

/// A card being served to vpcd on its own thread; dropping it takes the
/// card out and waits until pcscd has seen the removal, so that the next
/// test starts with an empty reader.
struct Inserted {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<io::Result<ServeOutcome>>>,
}

impl Inserted {
    fn new(opts: VpcdOptions) -> (Self, Arc<Mutex<Log>>) {
        let (mut card, log) = TestCard::new();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || vpcd::serve(&mut card, &opts, &flag));
        let mut inserted = Self {
            stop,
            handle: Some(handle),
        };
        if let Err(e) = wait_for_card(&reader0(), Duration::from_secs(10)) {
            let served = inserted.finish();
            panic!(
                "card never appeared in {:?}: {e} (serve: {served:?})",
                reader0()
            );
        }
        (inserted, log)
    }

    /// Stops serving (if still running) and returns why serving ended.
    fn finish(&mut self) -> Option<io::Result<ServeOutcome>> {
        self.stop.store(true, Ordering::Relaxed);
        let outcome = self
            .handle
            .take()
            .map(|h| h.join().expect("serve thread panicked"));
        // pcscd notices within one 0.4 s poll.
        let _ = wait_for_removal(&reader0(), Duration::from_secs(5));
        outcome
    }
}

impl Drop for Inserted {
    fn drop(&mut self) {
        let _ = self.finish();
    }
}

#[test]
fn list_readers_shows_virtual_readers_and_card_presence() {
    let _guard = lock();
    let before = require_pcscd();
    let r0 = before.iter().find(|r| r.name == reader0()).unwrap();
    assert!(
        !r0.card_present,
        "reader 0 should be empty before the test: {r0:?}"
    );
    assert_eq!(r0.atr, None);

    let (_card, _) = Inserted::new(VpcdOptions::default());
    let readers = require_pcscd();
    let r0 = readers.iter().find(|r| r.name == reader0()).unwrap();
    assert!(r0.card_present);
    assert_eq!(r0.atr.as_deref(), Some(&ATR[..]));
    let r1 = readers
        .iter()
        .find(|r| r.name == vpcd::reader_name(1))
        .unwrap();

    // Selection by exact name, case-insensitive unique substring, or the
    // first reader holding a card.
    assert_eq!(
        select_reader(Some("Virtual PCD 00 00")).unwrap().name,
        reader0()
    );
    assert_eq!(
        select_reader(Some("virtual pcd 00 00")).unwrap().name,
        reader0()
    );
    if !r1.card_present {
        assert_eq!(select_reader(None).unwrap().name, reader0());
    }
    match select_reader(Some("virtual pcd")) {
        Err(TransportError::ReaderNotFound { wanted, seen }) => {
            assert_eq!(wanted, "virtual pcd");
            assert!(
                seen.contains(&reader0()) && seen.contains(&vpcd::reader_name(1)),
                "{seen:?}"
            );
        }
        other => panic!("an ambiguous name must not select a reader: {other:?}"),
    }
    assert!(matches!(
        select_reader(Some("no such reader")),
        Err(TransportError::ReaderNotFound { .. })
    ));

    // Waiting on an empty reader ends with Timeout after the time given.
    if !r1.card_present {
        let started = Instant::now();
        assert_eq!(
            wait_for_card(&vpcd::reader_name(1), Duration::from_millis(300)),
            Err(TransportError::Timeout { millis: 300 })
        );
        assert!(started.elapsed() >= Duration::from_millis(250));
    }
}

#[test]
fn wait_for_card_sees_a_card_inserted_later() {
    let _guard = lock();
    require_pcscd();
    let waiter = std::thread::spawn(|| wait_for_card("pcd 00 00", Duration::from_secs(10)));
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        !waiter.is_finished(),
        "wait_for_card returned before the card was inserted"
    );
    let (_card, _) = Inserted::new(VpcdOptions::default());
    let info = waiter
        .join()
        .unwrap()
        .expect("card inserted after the wait began");
    assert_eq!(info.name, reader0());
    assert_eq!(info.atr.as_deref(), Some(&ATR[..]));
}

#[test]
fn apdus_round_trip_and_reset_restarts_the_card() {
    let _guard = lock();
    require_pcscd();
    let (_card, log) = Inserted::new(VpcdOptions::default());
    // A card already there ends even an endless wait at once.
    assert!(
        wait_for_card(&reader0(), Duration::MAX)
            .unwrap()
            .card_present
    );
    let mut t = PcscTransport::connect(&reader0()).unwrap();
    assert_eq!(t.reader(), reader0());
    assert_eq!(t.protocol(), Protocol::T1);
    assert_eq!(t.atr().as_deref(), Some(&ATR[..]));
    assert_eq!(t.capabilities().extended_length, None);

    assert_eq!(
        t.transmit(&GET_CHALLENGE).unwrap(),
        [1, 1, 1, 1, 1, 1, 1, 1, 0x90, 0x00]
    );
    assert_eq!(
        t.transmit(&GET_CHALLENGE).unwrap(),
        [2, 2, 2, 2, 2, 2, 2, 2, 0x90, 0x00]
    );
    let select = [
        0x00, 0xA4, 0x04, 0x0C, 0x07, 0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01,
    ];
    let mut echoed = select.to_vec();
    echoed.extend([0x90, 0x00]);
    assert_eq!(t.transmit(&select).unwrap(), echoed);

    let cmd = CommandApdu::new(0x00, 0x84, 0x00, 0x00).with_ne(8).unwrap();
    let r = transmit_apdu(&mut t, &cmd).unwrap();
    assert_eq!((r.data, r.sw), (vec![3; 8], StatusWord::Success));

    // A reset goes through pcscd to the card, which starts afresh.
    let cycles = log.lock().unwrap().power_cycles;
    assert_eq!(t.reset().unwrap(), ATR);
    assert!(
        log.lock().unwrap().power_cycles > cycles,
        "reset did not reach the card: {:?}",
        log.lock().unwrap()
    );
    assert_eq!(
        t.transmit(&GET_CHALLENGE).unwrap(),
        [1, 1, 1, 1, 1, 1, 1, 1, 0x90, 0x00]
    );
    assert_eq!(t.reconnect().unwrap(), ATR);
    assert_eq!(
        t.transmit(&GET_CHALLENGE).unwrap()[0],
        2,
        "reconnect must not reset the card"
    );
}

#[test]
fn extended_length_apdu_passes_through_vpcd() {
    let _guard = lock();
    require_pcscd();
    let (_card, _) = Inserted::new(VpcdOptions::default());
    let mut t = PcscTransport::connect(&reader0()).unwrap();
    let data: Vec<u8> = (0..300u32).map(|i| (i * 7 % 256) as u8).collect();
    let cmd = CommandApdu::new(0x00, INS_EXTENDED_ECHO, 0, 0)
        .with_data(data.clone())
        .unwrap()
        .with_ne(1000)
        .unwrap();
    assert!(cmd.is_extended());
    let response = t.transmit(&cmd.to_bytes()).unwrap();
    assert_eq!(response.len(), 1002);
    assert_eq!(&response[..300], &data[..]);
    assert_eq!(response[300], (300 % 251) as u8);
    assert_eq!(&response[1000..], [0x90, 0x00]);

    // The largest response the card can frame: Ne = 65535 → 65537 bytes
    // do not fit vpcd's 16-bit length, so ask for 65533 (+ SW = 65535).
    let cmd = CommandApdu::new(0x00, INS_EXTENDED_ECHO, 0, 0)
        .with_data(vec![0x5A])
        .unwrap()
        .with_ne(65_533)
        .unwrap();
    let response = t.transmit(&cmd.to_bytes()).unwrap();
    assert_eq!(response.len(), 65_535);
    assert_eq!(response[0], 0x5A);
    assert_eq!(&response[65_533..], [0x90, 0x00]);
}

#[test]
fn card_removal_is_card_removed_and_reconnect_recovers() {
    let _guard = lock();
    require_pcscd();
    let opts = VpcdOptions {
        remove_after_apdus: Some(3),
        ..VpcdOptions::default()
    };
    let (mut card, _) = Inserted::new(opts);
    let mut t = PcscTransport::connect(&reader0()).unwrap();
    for i in 1..=3u8 {
        assert_eq!(t.transmit(&GET_CHALLENGE).unwrap()[0], i);
    }
    let err = t.transmit(&GET_CHALLENGE).unwrap_err();
    assert_eq!(err, TransportError::CardRemoved);
    assert!(err.is_card_lost());
    assert!(matches!(
        card.finish(),
        Some(Ok(ServeOutcome::CardRemoved { apdus: 3 }))
    ));
    assert_eq!(
        t.transmit(&GET_CHALLENGE).unwrap_err(),
        TransportError::CardRemoved
    );
    assert!(
        matches!(t.reconnect(), Err(TransportError::NoCard { .. })),
        "the reader is empty"
    );

    // The passport is put back: the same transport picks it up again.
    let (_card, _) = Inserted::new(VpcdOptions::default());
    assert_eq!(t.reconnect().unwrap(), ATR);
    assert_eq!(t.transmit(&GET_CHALLENGE).unwrap()[0], 1);
}

#[test]
fn reset_by_another_application_is_card_reset() {
    let _guard = lock();
    require_pcscd();
    let (_card, _) = Inserted::new(VpcdOptions::default());
    let mut ours = PcscTransport::connect(&reader0()).unwrap();
    assert_eq!(ours.transmit(&GET_CHALLENGE).unwrap()[0], 1);
    let mut theirs = PcscTransport::connect(&reader0()).unwrap();
    theirs.reset().unwrap();
    assert_eq!(
        ours.transmit(&GET_CHALLENGE).unwrap_err(),
        TransportError::CardReset
    );
    assert_eq!(ours.reconnect().unwrap(), ATR);
    assert_eq!(
        ours.transmit(&GET_CHALLENGE).unwrap()[0],
        1,
        "the card was reset"
    );
}

#[test]
fn connect_errors_name_the_problem() {
    let _guard = lock();
    require_pcscd();
    match PcscTransport::connect(&reader0()) {
        Err(TransportError::NoCard { reader }) => assert_eq!(reader, reader0()),
        other => panic!("empty reader: {other:?}"),
    }
    match PcscTransport::connect("No Such Reader 00 00") {
        Err(TransportError::ReaderNotFound { wanted, seen }) => {
            assert_eq!(wanted, "No Such Reader 00 00");
            assert!(seen.contains(&reader0()), "{seen:?}");
        }
        other => panic!("unknown reader: {other:?}"),
    }
}

/// The vpcd speed trap (delayed ACK, ~40 ms per APDU) must stay fixed.
#[test]
fn apdu_round_trip_latency() {
    let _guard = lock();
    require_pcscd();
    let (_card, _) = Inserted::new(VpcdOptions::default());
    let mut t = PcscTransport::connect(&reader0()).unwrap();
    t.transmit(&GET_CHALLENGE).unwrap();
    let mut samples = Vec::with_capacity(200);
    for _ in 0..200 {
        let started = Instant::now();
        let r = t.transmit(&GET_CHALLENGE).unwrap();
        samples.push(started.elapsed());
        assert_eq!(r.len(), 10);
    }
    let total: Duration = samples.iter().sum();
    samples.sort();
    let mean = total / 200;
    let (p50, p99, max) = (samples[100], samples[198], samples[199]);
    eprintln!(
        "GET CHALLENGE through pcscd+vpcd, 200 round trips: mean {mean:?}, p50 {p50:?}, p99 {p99:?}, max {max:?}"
    );
    assert!(
        p50 < Duration::from_millis(10),
        "median round trip {p50:?}: TCP_QUICKACK/NODELAY not effective?"
    );
}
