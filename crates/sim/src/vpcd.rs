//! The vpcd bridge: puts any [`VirtualCard`] behind a real pcscd, so that
//! every PC/SC application (ours, `pcsc_scan`, `opensc-tool`, JMRTD…) sees
//! it as a card in the reader "Virtual PCD 00 00".
//!
//! vpcd (from vsmartcard) is a pcscd reader driver that listens on TCP; a
//! virtual card is a client that connects to it. Both directions carry
//! frames of a 2-byte big-endian length followed by the payload:
//!
//! * reader → card, 1-byte payload = control: `00` power off, `01` power on,
//!   `02` reset, `04` get ATR. Any other length is a command APDU.
//! * card → reader: exactly one frame answering `04` (the ATR) and each
//!   command APDU (data ‖ SW1 SW2); nothing for `00`, `01`, `02`.
//!
//! Closing the socket is a card removal for pcscd; connecting is an
//! insertion.
//!
//! Speed: vpcd writes the length and the body of a frame in two `send`
//! calls, so with Nagle on its side and delayed ACKs on ours every APDU
//! would wait ~40 ms for the ACK timer. We set `TCP_NODELAY` and re-arm
//! `TCP_QUICKACK` before every read (Linux clears it after use), which
//! brings a round trip through pcscd down to about a millisecond. Each of
//! our frames goes out in a single write for the same reason.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Shutdown, SocketAddr, SocketAddrV4, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use tracing::{debug, warn};

use crate::card::VirtualCard;

/// TCP port of vpcd's first reader ("Virtual PCD 00 00"); reader `i`
/// listens on `VPCD_BASE_PORT + i`.
pub const VPCD_BASE_PORT: u16 = 35963;

/// Largest payload a vpcd frame can carry (the length prefix is 16 bits).
pub const MAX_FRAME_PAYLOAD: usize = 0xFFFF;

/// Control byte: power the card off.
const CTRL_POWER_OFF: u8 = 0x00;
/// Control byte: power the card on.
const CTRL_POWER_ON: u8 = 0x01;
/// Control byte: warm reset.
const CTRL_RESET: u8 = 0x02;
/// Control byte: send the ATR.
const CTRL_GET_ATR: u8 = 0x04;

/// Status word sent instead of a response too long for a vpcd frame:
/// ISO/IEC 7816-4 `6F00` "no precise diagnosis".
const SW_NO_PRECISE_DIAGNOSIS: [u8; 2] = [0x6F, 0x00];

/// The TCP port on which vpcd listens for the card of reader `index`
/// (35963 for reader 0, 35964 for reader 1 in Debian's configuration).
#[must_use]
pub fn vpcd_port(index: u8) -> u16 {
    VPCD_BASE_PORT + u16::from(index)
}

/// The PC/SC name pcscd gives vpcd's reader `index`, e.g.
/// `"Virtual PCD 00 00"` for reader 0.
#[must_use]
pub fn reader_name(index: u8) -> String {
    format!("Virtual PCD 00 {index:02}")
}

/// How [`serve`] connects to vpcd and behaves once connected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VpcdOptions {
    /// Where vpcd listens: 127.0.0.1:35963 for reader 0 (the default),
    /// 127.0.0.1:35964 for reader 1.
    pub addr: SocketAddr,
    /// Fault injection: after answering this many command APDUs, the next
    /// one is not answered and the socket is closed, which pcscd sees as
    /// the card being pulled out of the reader mid-command.
    pub remove_after_apdus: Option<u64>,
    /// How long to keep retrying while vpcd is not listening yet (pcscd not
    /// started, or still loading its drivers).
    pub connect_timeout: Duration,
    /// Pause between two connection attempts.
    pub connect_retry_interval: Duration,
    /// Read timeout of the socket: how often the `stop` flag is checked
    /// while vpcd is silent.
    pub poll_interval: Duration,
}

impl VpcdOptions {
    /// Options for vpcd's reader `index` on this machine, other fields at
    /// their defaults.
    #[must_use]
    pub fn reader(index: u8) -> Self {
        Self {
            addr: SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, vpcd_port(index))),
            ..Self::default()
        }
    }
}

impl Default for VpcdOptions {
    fn default() -> Self {
        Self {
            addr: SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::LOCALHOST, VPCD_BASE_PORT)),
            remove_after_apdus: None,
            connect_timeout: Duration::from_secs(10),
            connect_retry_interval: Duration::from_millis(100),
            poll_interval: Duration::from_millis(150),
        }
    }
}

/// Why [`serve`] returned. Each variant carries the number of command
/// APDUs answered during the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ServeOutcome {
    /// The `stop` flag was raised (the socket was closed, so pcscd sees the
    /// card removed).
    Stopped {
        /// Command APDUs answered.
        apdus: u64,
    },
    /// vpcd closed the connection (pcscd stopped, or the reader was
    /// reconfigured).
    ReaderClosed {
        /// Command APDUs answered.
        apdus: u64,
    },
    /// The card was pulled out by [`VpcdOptions::remove_after_apdus`].
    CardRemoved {
        /// Command APDUs answered before the removal.
        apdus: u64,
    },
}

impl ServeOutcome {
    /// Command APDUs answered during the connection.
    #[must_use]
    pub fn apdus(&self) -> u64 {
        match *self {
            Self::Stopped { apdus }
            | Self::ReaderClosed { apdus }
            | Self::CardRemoved { apdus } => apdus,
        }
    }
}

/// Inserts `card` into the vpcd reader at `opts.addr` and answers pcscd
/// until `stop` is raised, vpcd hangs up, or the removal fault fires.
///
/// Blocks the calling thread; run it on its own thread. It may be called
/// again with the same card to re-insert it.
///
/// # Errors
/// vpcd unreachable for [`VpcdOptions::connect_timeout`] (is pcscd
/// running with `vsmartcard-vpcd` installed?), or a socket error other
/// than vpcd hanging up.
pub fn serve<C: VirtualCard + ?Sized>(
    card: &mut C,
    opts: &VpcdOptions,
    stop: &AtomicBool,
) -> io::Result<ServeOutcome> {
    let Some(mut stream) = connect_with_retry(opts, stop)? else {
        return Ok(ServeOutcome::Stopped { apdus: 0 });
    };
    stream.set_nodelay(true)?;
    // A zero duration is rejected by `set_read_timeout`.
    stream.set_read_timeout(Some(opts.poll_interval.max(Duration::from_millis(1))))?;
    debug!(addr = %opts.addr, "virtual card inserted into vpcd reader");

    let mut apdus: u64 = 0;
    let outcome = loop {
        if stop.load(Ordering::Relaxed) {
            break ServeOutcome::Stopped { apdus };
        }
        let payload = match read_frame(&mut stream, stop)? {
            FrameRead::Frame(payload) => payload,
            FrameRead::Idle => continue,
            FrameRead::Closed => break ServeOutcome::ReaderClosed { apdus },
            FrameRead::Stopped => break ServeOutcome::Stopped { apdus },
        };
        let reply = match payload.as_slice() {
            [CTRL_POWER_OFF] => {
                debug!("vpcd: power off");
                card.power_off();
                None
            }
            [CTRL_POWER_ON] => {
                debug!("vpcd: power on");
                card.power_on();
                None
            }
            [CTRL_RESET] => {
                debug!("vpcd: reset");
                card.reset();
                None
            }
            [CTRL_GET_ATR] => {
                // pcscd polls this about every 0.4 s: trace, not debug.
                tracing::trace!("vpcd: get ATR");
                Some(card.atr())
            }
            [other] => {
                warn!(control = other, "vpcd: unknown control byte ignored");
                None
            }
            command => {
                if opts.remove_after_apdus.is_some_and(|n| apdus >= n) {
                    debug!(apdus, "fault injection: card removed instead of answering");
                    // A card pulled out of the field loses power and state.
                    card.power_off();
                    // The socket is dropped below anyway; shutdown makes the
                    // close immediate even if a clone were alive.
                    let _ = stream.shutdown(Shutdown::Both);
                    break ServeOutcome::CardRemoved { apdus };
                }
                let mut response = card.process_apdu(command);
                if response.len() > MAX_FRAME_PAYLOAD {
                    warn!(
                        len = response.len(),
                        "response longer than a vpcd frame can carry; answering 6F00"
                    );
                    response = SW_NO_PRECISE_DIAGNOSIS.to_vec();
                }
                apdus += 1;
                debug!(
                    command_len = command.len(),
                    response_len = response.len(),
                    "vpcd: APDU"
                );
                Some(response)
            }
        };
        if let Some(reply) = reply {
            match write_frame(&mut stream, &reply) {
                Ok(()) => {}
                Err(e) if is_disconnect(&e) => break ServeOutcome::ReaderClosed { apdus },
                Err(e) => return Err(e),
            }
        }
    };
    debug!(?outcome, "virtual card left the vpcd reader");
    Ok(outcome)
}

/// Connects to vpcd, retrying while it is not listening. `None` when
/// `stop` was raised first.
fn connect_with_retry(opts: &VpcdOptions, stop: &AtomicBool) -> io::Result<Option<TcpStream>> {
    // `checked_add`: a caller may pass `Duration::MAX` for "forever".
    let deadline = Instant::now().checked_add(opts.connect_timeout);
    let mut attempts: u32 = 0;
    loop {
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        attempts = attempts.saturating_add(1);
        let remaining = deadline.map_or(Duration::MAX, |d| {
            d.saturating_duration_since(Instant::now())
        });
        let attempt_timeout = remaining.clamp(Duration::from_millis(1), Duration::from_secs(1));
        let error = match TcpStream::connect_timeout(&opts.addr, attempt_timeout) {
            Ok(stream) => {
                debug!(addr = %opts.addr, attempts, "connected to vpcd");
                return Ok(Some(stream));
            }
            Err(e) => e,
        };
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(io::Error::new(
                error.kind(),
                format!(
                    "vpcd not reachable at {} after {} attempt(s) in {:?} \
                     (is pcscd running with vsmartcard-vpcd installed?): {error}",
                    opts.addr, attempts, opts.connect_timeout
                ),
            ));
        }
        debug!(addr = %opts.addr, %error, "vpcd not listening yet; retrying");
        let pause = opts
            .connect_retry_interval
            .min(deadline.map_or(Duration::MAX, |d| {
                d.saturating_duration_since(Instant::now())
            }));
        std::thread::sleep(pause);
    }
}

/// The result of one attempt to read a frame.
enum FrameRead {
    /// A complete frame payload.
    Frame(Vec<u8>),
    /// Nothing arrived within the poll interval.
    Idle,
    /// vpcd hung up.
    Closed,
    /// `stop` was raised while a frame was half read.
    Stopped,
}

/// Reads one frame. Returns [`FrameRead::Idle`] only when not a single byte
/// of a new frame has arrived: once the first byte is in, the frame is read
/// to its end across read timeouts, so a slow sender never desynchronises
/// the stream.
fn read_frame(stream: &mut TcpStream, stop: &AtomicBool) -> io::Result<FrameRead> {
    let mut header = [0u8; 2];
    match read_full(stream, &mut header, stop, true)? {
        Fill::Done => {}
        Fill::Idle => return Ok(FrameRead::Idle),
        Fill::Closed => return Ok(FrameRead::Closed),
        Fill::Stopped => return Ok(FrameRead::Stopped),
    }
    // At most 0xFFFF bytes: the length is bounded by its 16-bit encoding.
    let mut payload = vec![0u8; usize::from(u16::from_be_bytes(header))];
    match read_full(stream, &mut payload, stop, false)? {
        Fill::Done => Ok(FrameRead::Frame(payload)),
        Fill::Idle => Ok(FrameRead::Idle), // unreachable: idle_allowed is false
        Fill::Closed => {
            warn!("vpcd closed the connection in the middle of a frame");
            Ok(FrameRead::Closed)
        }
        Fill::Stopped => Ok(FrameRead::Stopped),
    }
}

/// Outcome of [`read_full`].
enum Fill {
    Done,
    Idle,
    Closed,
    Stopped,
}

/// Fills `buf` completely. A read timeout before the first byte gives
/// [`Fill::Idle`] when `idle_allowed`; any later timeout only checks `stop`.
fn read_full(
    stream: &mut TcpStream,
    buf: &mut [u8],
    stop: &AtomicBool,
    idle_allowed: bool,
) -> io::Result<Fill> {
    let mut filled = 0;
    while filled < buf.len() {
        arm_quickack(stream);
        let Some(rest) = buf.get_mut(filled..) else {
            break;
        };
        match stream.read(rest) {
            Ok(0) => return Ok(Fill::Closed),
            Ok(n) => filled += n,
            Err(e) if is_timeout(&e) => {
                if idle_allowed && filled == 0 {
                    return Ok(Fill::Idle);
                }
                if stop.load(Ordering::Relaxed) {
                    return Ok(Fill::Stopped);
                }
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) if is_disconnect(&e) => return Ok(Fill::Closed),
            Err(e) => return Err(e),
        }
    }
    Ok(Fill::Done)
}

/// Sends one frame (length and payload) in a single write.
fn write_frame(stream: &mut TcpStream, payload: &[u8]) -> io::Result<()> {
    let len = u16::try_from(payload.len()).map_err(|_| {
        io::Error::new(
            io::ErrorKind::InvalidInput,
            format!("{} bytes do not fit a vpcd frame", payload.len()),
        )
    })?;
    let mut frame = Vec::with_capacity(payload.len() + 2);
    frame.extend_from_slice(&len.to_be_bytes());
    frame.extend_from_slice(payload);
    stream.write_all(&frame)
}

/// Asks Linux to acknowledge the next segment at once instead of arming
/// the delayed-ACK timer; the kernel clears the flag again, so this is
/// done before every read (see the module documentation).
#[cfg(any(target_os = "linux", target_os = "android"))]
fn arm_quickack(stream: &TcpStream) {
    if let Err(e) = socket2::SockRef::from(stream).set_tcp_quickack(true) {
        tracing::trace!(%e, "TCP_QUICKACK not set");
    }
}

/// Other systems have no `TCP_QUICKACK`; `TCP_NODELAY` is all we can do.
#[cfg(not(any(target_os = "linux", target_os = "android")))]
fn arm_quickack(_stream: &TcpStream) {}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

fn is_disconnect(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe
            | io::ErrorKind::UnexpectedEof
            | io::ErrorKind::NotConnected
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::sync::Arc;
    use std::thread::JoinHandle;

    const ATR: [u8; 5] = [0x3B, 0x80, 0x80, 0x01, 0x01];

    /// Records what the reader did to it; answers every APDU with
    /// `INS ‖ len(command) as u16 ‖ 90 00`.
    #[derive(Default)]
    struct EventCard {
        events: Vec<&'static str>,
    }

    impl VirtualCard for EventCard {
        fn power_on(&mut self) -> Vec<u8> {
            self.events.push("on");
            ATR.to_vec()
        }
        fn power_off(&mut self) {
            self.events.push("off");
        }
        fn reset(&mut self) -> Vec<u8> {
            self.events.push("reset");
            ATR.to_vec()
        }
        fn atr(&self) -> Vec<u8> {
            ATR.to_vec()
        }
        fn process_apdu(&mut self, command: &[u8]) -> Vec<u8> {
            self.events.push("apdu");
            let len = u16::try_from(command.len()).unwrap().to_be_bytes();
            vec![
                command.get(1).copied().unwrap_or(0),
                len[0],
                len[1],
                0x90,
                0x00,
            ]
        }
    }

    /// The reader side: a listener standing in for vpcd.
    struct FakeVpcd {
        listener: TcpListener,
    }

    impl FakeVpcd {
        fn new() -> Self {
            Self {
                listener: TcpListener::bind("127.0.0.1:0").unwrap(),
            }
        }
        fn opts(&self) -> VpcdOptions {
            VpcdOptions {
                addr: self.listener.local_addr().unwrap(),
                connect_timeout: Duration::from_secs(5),
                poll_interval: Duration::from_millis(20),
                ..VpcdOptions::default()
            }
        }
        fn accept(&self) -> TcpStream {
            let (s, _) = self.listener.accept().unwrap();
            s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
            s
        }
    }

    type Served = (EventCard, io::Result<ServeOutcome>);

    fn spawn_card(opts: VpcdOptions, stop: Arc<AtomicBool>) -> JoinHandle<Served> {
        std::thread::spawn(move || {
            let mut card = EventCard::default();
            let r = serve(&mut card, &opts, &stop);
            (card, r)
        })
    }

    fn send(s: &mut TcpStream, payload: &[u8]) {
        let mut f = u16::try_from(payload.len()).unwrap().to_be_bytes().to_vec();
        f.extend_from_slice(payload);
        s.write_all(&f).unwrap();
    }

    fn recv(s: &mut TcpStream) -> Vec<u8> {
        let mut h = [0u8; 2];
        s.read_exact(&mut h).unwrap();
        let mut p = vec![0u8; usize::from(u16::from_be_bytes(h))];
        s.read_exact(&mut p).unwrap();
        p
    }

    #[test]
    fn names_and_ports() {
        assert_eq!(reader_name(0), "Virtual PCD 00 00");
        assert_eq!(reader_name(1), "Virtual PCD 00 01");
        assert_eq!(vpcd_port(0), 35963);
        assert_eq!(vpcd_port(1), 35964);
        assert_eq!(VpcdOptions::default().addr.to_string(), "127.0.0.1:35963");
        assert_eq!(VpcdOptions::reader(1).addr.to_string(), "127.0.0.1:35964");
    }

    #[test]
    fn control_bytes_atr_and_apdus() {
        let vpcd = FakeVpcd::new();
        let stop = Arc::new(AtomicBool::new(false));
        let handle = spawn_card(vpcd.opts(), stop.clone());
        let mut s = vpcd.accept();

        // Power on, reset and power off are not answered: the next frame
        // received must be the ATR.
        send(&mut s, &[CTRL_POWER_ON]);
        send(&mut s, &[CTRL_RESET]);
        send(&mut s, &[CTRL_GET_ATR]);
        assert_eq!(recv(&mut s), ATR);

        send(&mut s, &[0x00, 0x84, 0x00, 0x00, 0x08]);
        assert_eq!(recv(&mut s), [0x84, 0x00, 0x05, 0x90, 0x00]);

        // An extended APDU of 4 + 3 + 300 + 2 bytes.
        let mut ext = vec![0x00, 0xD6, 0x00, 0x00, 0x00, 0x01, 0x2C];
        ext.extend(std::iter::repeat_n(0xA5, 300));
        ext.extend([0x03, 0xE8]);
        send(&mut s, &ext);
        assert_eq!(recv(&mut s), [0xD6, 0x01, 0x35, 0x90, 0x00]);

        send(&mut s, &[CTRL_POWER_OFF]);
        send(&mut s, &[CTRL_GET_ATR]);
        assert_eq!(recv(&mut s), ATR);

        drop(s);
        let (card, outcome) = handle.join().unwrap();
        assert_eq!(outcome.unwrap(), ServeOutcome::ReaderClosed { apdus: 2 });
        assert_eq!(card.events, ["on", "reset", "apdu", "apdu", "off"]);
    }

    #[test]
    fn frame_split_across_read_timeouts_is_not_lost() {
        let vpcd = FakeVpcd::new();
        let stop = Arc::new(AtomicBool::new(false));
        let handle = spawn_card(vpcd.opts(), stop.clone());
        let mut s = vpcd.accept();
        s.set_nodelay(true).unwrap();

        // First header byte, then a pause of several poll intervals, then
        // the rest of the header and half the body, another pause, the end.
        let apdu = [0x00, 0xB0, 0x00, 0x00, 0x10];
        s.write_all(&[0x00]).unwrap();
        std::thread::sleep(Duration::from_millis(120));
        s.write_all(&[0x05, 0x00, 0xB0]).unwrap();
        std::thread::sleep(Duration::from_millis(120));
        s.write_all(&apdu[2..]).unwrap();
        assert_eq!(recv(&mut s), [0xB0, 0x00, 0x05, 0x90, 0x00]);

        stop.store(true, Ordering::Relaxed);
        let (_, outcome) = handle.join().unwrap();
        assert_eq!(outcome.unwrap(), ServeOutcome::Stopped { apdus: 1 });
    }

    #[test]
    fn removal_fault_closes_without_answering() {
        let vpcd = FakeVpcd::new();
        let stop = Arc::new(AtomicBool::new(false));
        let opts = VpcdOptions {
            remove_after_apdus: Some(2),
            ..vpcd.opts()
        };
        let handle = spawn_card(opts, stop.clone());
        let mut s = vpcd.accept();

        for _ in 0..2 {
            send(&mut s, &[0x00, 0x84, 0x00, 0x00, 0x08]);
            assert_eq!(recv(&mut s), [0x84, 0x00, 0x05, 0x90, 0x00]);
        }
        // ATR polls do not count as APDUs.
        send(&mut s, &[CTRL_GET_ATR]);
        assert_eq!(recv(&mut s), ATR);
        send(&mut s, &[0x00, 0x84, 0x00, 0x00, 0x08]);
        let mut byte = [0u8; 1];
        assert_eq!(
            s.read(&mut byte).unwrap(),
            0,
            "expected the card to hang up"
        );

        let (card, outcome) = handle.join().unwrap();
        assert_eq!(outcome.unwrap(), ServeOutcome::CardRemoved { apdus: 2 });
        assert_eq!(card.events, ["apdu", "apdu", "off"]);
    }

    #[test]
    fn stop_flag_ends_an_idle_connection() {
        let vpcd = FakeVpcd::new();
        let stop = Arc::new(AtomicBool::new(false));
        let handle = spawn_card(vpcd.opts(), stop.clone());
        let mut s = vpcd.accept();
        send(&mut s, &[CTRL_GET_ATR]);
        assert_eq!(recv(&mut s), ATR);

        let raised = Instant::now();
        stop.store(true, Ordering::Relaxed);
        let (_, outcome) = handle.join().unwrap();
        assert_eq!(outcome.unwrap(), ServeOutcome::Stopped { apdus: 0 });
        assert!(
            raised.elapsed() < Duration::from_secs(2),
            "stop took {:?}",
            raised.elapsed()
        );
        // The card side closed the socket: pcscd would see a removal.
        let mut byte = [0u8; 1];
        assert_eq!(s.read(&mut byte).unwrap(), 0);
    }

    #[test]
    fn connection_is_retried_until_vpcd_listens() {
        // Reserve a free port, release it, and start listening only later.
        let addr = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let opts = VpcdOptions {
            addr,
            connect_timeout: Duration::from_secs(5),
            connect_retry_interval: Duration::from_millis(20),
            poll_interval: Duration::from_millis(20),
            ..VpcdOptions::default()
        };
        let handle = spawn_card(opts, stop.clone());
        std::thread::sleep(Duration::from_millis(200));
        let listener = TcpListener::bind(addr).unwrap();
        let (mut s, _) = listener.accept().unwrap();
        send(&mut s, &[CTRL_GET_ATR]);
        assert_eq!(recv(&mut s), ATR);
        drop(s);
        let (_, outcome) = handle.join().unwrap();
        assert_eq!(outcome.unwrap(), ServeOutcome::ReaderClosed { apdus: 0 });
    }

    #[test]
    fn unreachable_vpcd_is_a_clear_error() {
        let addr = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let opts = VpcdOptions {
            addr,
            connect_timeout: Duration::from_millis(150),
            connect_retry_interval: Duration::from_millis(20),
            ..VpcdOptions::default()
        };
        let err = serve(&mut EventCard::default(), &opts, &AtomicBool::new(false)).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("vpcd not reachable") && msg.contains("pcscd"),
            "{msg}"
        );
    }

    #[test]
    fn stop_flag_ends_connection_retries() {
        let addr = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let opts = VpcdOptions {
            addr,
            connect_timeout: Duration::from_mins(1),
            ..VpcdOptions::default()
        };
        let stop = AtomicBool::new(true);
        let outcome = serve(&mut EventCard::default(), &opts, &stop).unwrap();
        assert_eq!(outcome, ServeOutcome::Stopped { apdus: 0 });
    }

    #[test]
    fn endless_connect_timeout_retries_until_stopped() {
        let addr = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap();
        let opts = VpcdOptions {
            addr,
            connect_timeout: Duration::MAX,
            connect_retry_interval: Duration::from_millis(10),
            ..VpcdOptions::default()
        };
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || serve(&mut EventCard::default(), &opts, &flag));
        std::thread::sleep(Duration::from_millis(100));
        assert!(!handle.is_finished());
        stop.store(true, Ordering::Relaxed);
        assert_eq!(
            handle.join().unwrap().unwrap(),
            ServeOutcome::Stopped { apdus: 0 }
        );
    }

    #[test]
    fn oversized_response_becomes_6f00() {
        struct Big;
        impl VirtualCard for Big {
            fn power_on(&mut self) -> Vec<u8> {
                ATR.to_vec()
            }
            fn power_off(&mut self) {}
            fn atr(&self) -> Vec<u8> {
                ATR.to_vec()
            }
            fn process_apdu(&mut self, _: &[u8]) -> Vec<u8> {
                vec![0; 65_538]
            }
        }
        let vpcd = FakeVpcd::new();
        let opts = vpcd.opts();
        let stop = Arc::new(AtomicBool::new(false));
        let stop2 = stop.clone();
        let handle = std::thread::spawn(move || serve(&mut Big, &opts, &stop2));
        let mut s = vpcd.accept();
        send(&mut s, &[0x00, 0xB0, 0x00, 0x00, 0x00, 0x00, 0x00]);
        assert_eq!(recv(&mut s), [0x6F, 0x00]);
        stop.store(true, Ordering::Relaxed);
        assert_eq!(
            handle.join().unwrap().unwrap(),
            ServeOutcome::Stopped { apdus: 1 }
        );
    }
}
