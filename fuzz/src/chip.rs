//! Hostile chips for the session targets, and the checks every read must
//! pass.
//!
//! - [`ScriptedChip`] answers from the fuzz input alone: any ATR, any
//!   capabilities, any responses. It holds no keys, but a seed recorded
//!   from the virtual passport replays a whole successful session (the
//!   terminal's randomness is fixed), so mutations start deep inside
//!   secure messaging.
//! - [`CorruptingChip`] is the real virtual passport behind a man in the
//!   middle who spoils chosen responses.
//! - [`check_read`]: the read ends, within a bounded number of APDUs, in
//!   `Ok` or a typed error that is not an internal error; with
//!   [`Integrity::Checked`], every application file reported (complete or
//!   incomplete) is what the chip was personalised with.

use std::collections::BTreeMap;

use mrtd_iso7816::tlv::{self, TlvIter};
use mrtd_iso7816::{Capabilities, Transport, TransportError};
use mrtd_lds::{EfId, Location};
use mrtd_session::observer::NoObserver;
use mrtd_session::{ReadOptions, ReadReport, SessionError, read_document};
use mrtd_sim::{ChipConfig, InProcessTransport, VirtualPassport};

use crate::fixtures;
use crate::input::{Input, Writer};

/// Read options from one flags byte and one Le byte:
/// bit 0 extended length, bit 1 EF.CardAccess, bit 2 probe every DG,
/// bits 3–4 the number of re-authentications allowed; Le 0 = no cap.
#[must_use]
pub fn options_from(flags: u8, max_short_le: u8) -> ReadOptions {
    ReadOptions {
        extended_length: flags & 1 != 0,
        card_access: flags & 2 != 0,
        probe_all_data_groups: flags & 4 != 0,
        max_reauthentications: u32::from((flags >> 3) & 3),
        max_short_le: (max_short_le != 0).then_some(usize::from(max_short_le)),
        // The rest (no APDU tracing, options added later) as by default.
        ..ReadOptions::default()
    }
}

/// The flags byte of [`options_from`] for `options`.
#[must_use]
pub fn options_flags(options: &ReadOptions) -> (u8, u8) {
    let flags = u8::from(options.extended_length)
        | u8::from(options.card_access) << 1
        | u8::from(options.probe_all_data_groups) << 2
        | (options.max_reauthentications.min(3) as u8) << 3;
    let le = options.max_short_le.map_or(0, |l| l.min(255) as u8);
    (flags, le)
}

/// A chip that answers from a script: the responses in order, then a
/// removed card.
#[derive(Debug)]
pub struct ScriptedChip {
    atr: Option<Vec<u8>>,
    capabilities: Capabilities,
    responses: Vec<Vec<u8>>,
    /// Commands received (including those after the script ran out).
    pub transmits: usize,
}

/// A scripted session: the chip and the read options.
#[derive(Debug)]
pub struct ScriptedSession {
    /// The chip.
    pub chip: ScriptedChip,
    /// How the terminal reads.
    pub options: ReadOptions,
}

impl ScriptedSession {
    /// Decodes the `session` target's input:
    ///
    /// ```text
    /// options flags u8, max short Le u8        (see options_from)
    /// transport u8: bit 0 ATR present, bits 1-2 extended length
    ///               (0 unknown, 1 no, 2-3 yes)
    /// max response u8 (0: 65 538 bytes, n: 256 n + 2)
    /// [ATR: u8 length, bytes]                   (if present)
    /// responses: u16 length, bytes; until the input ends
    /// ```
    #[must_use]
    pub fn decode(data: &[u8]) -> Self {
        let mut input = Input::new(data);
        let (flags, le) = (input.u8(), input.u8());
        let transport = input.u8();
        let max_response = input.u8();
        let atr = (transport & 1 != 0).then(|| input.bytes_u8().to_vec());
        let capabilities = Capabilities {
            extended_length: match (transport >> 1) & 3 {
                0 => None,
                1 => Some(false),
                _ => Some(true),
            },
            max_response_len: match max_response {
                0 => 65_538,
                n => usize::from(n) * 256 + 2,
            },
        };
        let mut responses = Vec::new();
        while !input.is_empty() {
            responses.push(input.bytes_u16().to_vec());
        }
        Self {
            chip: ScriptedChip {
                atr,
                capabilities,
                responses,
                transmits: 0,
            },
            options: options_from(flags, le),
        }
    }

    /// Encodes a session for the `session` target (the seed generator's
    /// side of [`ScriptedSession::decode`]).
    #[must_use]
    pub fn encode(
        options: &ReadOptions,
        atr: Option<&[u8]>,
        capabilities: Capabilities,
        responses: &[Vec<u8>],
    ) -> Vec<u8> {
        let mut w = Writer::default();
        let (flags, le) = options_flags(options);
        let ext = match capabilities.extended_length {
            None => 0u8,
            Some(false) => 1,
            Some(true) => 2,
        };
        w.u8(flags).u8(le).u8(u8::from(atr.is_some()) | ext << 1);
        w.u8(if capabilities.max_response_len >= 65_538 {
            0
        } else {
            ((capabilities.max_response_len / 256).clamp(1, 255)) as u8
        });
        if let Some(atr) = atr {
            w.bytes_u8(atr);
        }
        for r in responses {
            w.bytes_u16(r);
        }
        w.finish()
    }
}

impl ScriptedChip {
    /// Number of scripted responses.
    #[must_use]
    pub fn script_len(&self) -> usize {
        self.responses.len()
    }
}

impl Transport for ScriptedChip {
    fn transmit(&mut self, _command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let i = self.transmits;
        self.transmits += 1;
        self.responses
            .get(i)
            .cloned()
            .ok_or(TransportError::CardRemoved)
    }
    fn atr(&self) -> Option<Vec<u8>> {
        self.atr.clone()
    }
    fn capabilities(&self) -> Capabilities {
        self.capabilities
    }
    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        Err(TransportError::CardRemoved)
    }
}

/// One way the man in the middle spoils a response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Corruption {
    /// XOR one byte (position modulo the length; a zero mask flips bit 0).
    FlipByte {
        /// Position.
        at: u16,
        /// XOR mask.
        mask: u8,
    },
    /// Keep a prefix (length modulo the length).
    Truncate(u16),
    /// Append bytes after the status word.
    Append(Vec<u8>),
    /// Only a status word.
    BareStatus(u16),
    /// A `DO'87'` with a huge length field (0–4 length bytes), the status kept.
    HugeDo87(u8),
    /// Rotate the data objects of the data field.
    SwapDoOrder(u8),
    /// An empty frame.
    Empty,
    /// The data with another status word (`61XX`, `6CXX` …).
    ReplaceSw(u16),
    /// The response given `n` exchanges earlier.
    ReplayEarlier(u8),
    /// Any bytes at all.
    Replace(Vec<u8>),
}

impl Corruption {
    /// Decodes one corruption (after its index).
    pub fn decode(input: &mut Input<'_>) -> Self {
        match input.u8() % 10 {
            0 => Self::FlipByte {
                at: input.u16(),
                mask: input.u8(),
            },
            1 => Self::Truncate(input.u16()),
            2 => Self::Append(input.bytes_u8().to_vec()),
            3 => Self::BareStatus(input.u16()),
            4 => Self::HugeDo87(input.u8() % 5),
            5 => Self::SwapDoOrder(input.u8()),
            6 => Self::Empty,
            7 => Self::ReplaceSw(input.u16()),
            8 => Self::ReplayEarlier(input.u8()),
            _ => Self::Replace(input.bytes_u16().to_vec()),
        }
    }

    /// Encodes one corruption (the seed generator's side).
    pub fn encode(&self, w: &mut Writer) {
        match self {
            Self::FlipByte { at, mask } => w.u8(0).u16(*at).u8(*mask),
            Self::Truncate(n) => w.u8(1).u16(*n),
            Self::Append(b) => w.u8(2).bytes_u8(b),
            Self::BareStatus(sw) => w.u8(3).u16(*sw),
            Self::HugeDo87(n) => w.u8(4).u8(*n),
            Self::SwapDoOrder(n) => w.u8(5).u8(*n),
            Self::Empty => w.u8(6),
            Self::ReplaceSw(sw) => w.u8(7).u16(*sw),
            Self::ReplayEarlier(n) => w.u8(8).u8(*n),
            Self::Replace(b) => w.u8(9).bytes_u16(b),
        };
    }

    /// Applies the corruption to `response`; `history` holds the responses
    /// delivered before.
    #[must_use]
    pub fn apply(&self, response: Vec<u8>, history: &[Vec<u8>]) -> Vec<u8> {
        let (data, sw) = match response.split_last_chunk::<2>() {
            Some((data, sw)) => (data.to_vec(), *sw),
            None => (Vec::new(), [0x6F, 0x00]),
        };
        match self {
            Self::FlipByte { at, mask } if !response.is_empty() => {
                let mut r = response;
                let i = usize::from(*at) % r.len();
                r[i] ^= if *mask == 0 { 1 } else { *mask };
                r
            }
            Self::Truncate(keep) if !response.is_empty() => {
                let keep = usize::from(*keep) % response.len();
                response[..keep].to_vec()
            }
            Self::Append(extra) => [response.as_slice(), extra].concat(),
            Self::BareStatus(sw) => sw.to_be_bytes().to_vec(),
            Self::HugeDo87(n) => {
                let mut r = if *n == 0 {
                    vec![0x87, 0x7F]
                } else {
                    let mut r = vec![0x87, 0x80 | n];
                    r.extend(std::iter::repeat_n(0xFF, usize::from(*n)));
                    r
                };
                r.push(0x01);
                r.extend_from_slice(&sw);
                r
            }
            Self::SwapDoOrder(rotate) => {
                let mut objects: Vec<Vec<u8>> = TlvIter::new(&data)
                    .map_while(Result::ok)
                    .map(|(_, t)| tlv::tlv(t.tag, t.value))
                    .collect();
                let n = objects.len();
                if n < 2 {
                    return response;
                }
                objects.rotate_left(1 + usize::from(*rotate) % (n - 1));
                let mut r = objects.concat();
                r.extend_from_slice(&sw);
                r
            }
            Self::Empty => Vec::new(),
            Self::ReplaceSw(new) => [data.as_slice(), &new.to_be_bytes()].concat(),
            Self::ReplayEarlier(back) => history
                .len()
                .checked_sub(usize::from(*back).max(1))
                .map_or(response, |i| history[i].clone()),
            Self::Replace(bytes) => bytes.clone(),
            Self::FlipByte { .. } | Self::Truncate(_) => response,
        }
    }
}

/// Smallest Le the corrupted sessions use (chip limit and reader cap).
const MIN_LE: usize = 0x80;

/// The virtual passport behind a man in the middle.
#[derive(Debug)]
pub struct CorruptingChip {
    inner: InProcessTransport<VirtualPassport>,
    plan: BTreeMap<usize, Vec<Corruption>>,
    history: Vec<Vec<u8>>,
    /// Commands received.
    pub transmits: usize,
    cap: usize,
}

/// A corrupted session: chip behaviour, read options and the corruptions.
#[derive(Debug)]
pub struct CorruptedSession {
    /// The chip's behaviour.
    pub config: ChipConfig,
    /// How the terminal reads.
    pub options: ReadOptions,
    /// Corruptions by response index.
    pub plan: BTreeMap<usize, Vec<Corruption>>,
}

impl CorruptedSession {
    /// Decodes the `session_corrupted` target's input:
    ///
    /// ```text
    /// chip u8: bit 0 extended length, bit 1 short EF identifiers,
    ///          bit 2 announces extended length, bit 3 EF.ATR/INFO
    /// chip max short Le u8 (0: 256; at least 128)
    /// options flags u8, max short Le u8 (at least 128; see options_from)
    /// corruptions: response index u16, kind u8, parameters; until the end
    /// ```
    #[must_use]
    pub fn decode(data: &[u8]) -> Self {
        let mut input = Input::new(data);
        let chip = input.u8();
        let chip_le = input.u8();
        let config = ChipConfig {
            extended_length: chip & 1 != 0,
            short_ef_identifiers: chip & 2 != 0,
            announce_extended_length: chip & 4 != 0,
            ef_atr_info: chip & 8 != 0,
            // At least 128: a chip that serves a few bytes per READ BINARY
            // is honest but slow, and would blur the APDU bound.
            max_short_le: if chip_le == 0 {
                256
            } else {
                usize::from(chip_le).max(MIN_LE)
            },
            ..ChipConfig::default()
        };
        let (flags, le) = (input.u8(), input.u8());
        let mut options = options_from(flags, le);
        options.max_short_le = options.max_short_le.map(|l| l.max(MIN_LE));
        let mut plan = BTreeMap::<usize, Vec<Corruption>>::new();
        while !input.is_empty() {
            let index = usize::from(input.u16());
            plan.entry(index)
                .or_default()
                .push(Corruption::decode(&mut input));
        }
        Self {
            config,
            options,
            plan,
        }
    }

    /// Encodes the header of a `session_corrupted` input for a chip and
    /// options; corruptions follow as `u16 index` + [`Corruption::encode`].
    #[must_use]
    pub fn encode_header(config: &ChipConfig, options: &ReadOptions) -> Writer {
        let mut w = Writer::default();
        let chip = u8::from(config.extended_length)
            | u8::from(config.short_ef_identifiers) << 1
            | u8::from(config.announce_extended_length) << 2
            | u8::from(config.ef_atr_info) << 3;
        let (flags, le) = options_flags(options);
        w.u8(chip)
            .u8((config.max_short_le % 256) as u8)
            .u8(flags)
            .u8(le);
        w
    }

    /// The chip, ready to be read, that reports the card removed after
    /// `cap` commands.
    #[must_use]
    pub fn chip(&self, cap: usize) -> CorruptingChip {
        CorruptingChip {
            inner: InProcessTransport::new(fixtures::passport(self.config.clone())),
            plan: self.plan.clone(),
            history: Vec::new(),
            transmits: 0,
            cap,
        }
    }
}

impl Transport for CorruptingChip {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.transmits += 1;
        if self.transmits > self.cap {
            return Err(TransportError::CardRemoved);
        }
        let mut response = self.inner.transmit(command)?;
        let index = self.history.len();
        for c in self.plan.get(&index).into_iter().flatten() {
            response = c.apply(response, &self.history);
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

/// Whether the files read can be compared with the personalised ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Integrity {
    /// The chip is the built-in virtual passport, answering live: every
    /// application file reported must be byte-identical to its content.
    Checked,
    /// The answers come from a script; only structure is checked.
    ///
    /// A script replaying a recorded session can make the terminal accept
    /// a recorded protected answer for a different command (secure
    /// messaging binds a response to the SSC, not to the command), which
    /// only works because the terminal's randomness, and so the session
    /// key, is the recorded one — never the case with a real terminal.
    Unchecked,
}

/// Runs `read_document` over `transport`, checks the read, and returns
/// its result.
///
/// # Panics
/// On a violated property (that is the point).
pub fn check_read<T: Transport>(
    transport: &mut T,
    options: &ReadOptions,
    integrity: Integrity,
) -> Result<ReadReport, SessionError> {
    let mut rng = fixtures::session_rng();
    let result = read_document(
        transport,
        &fixtures::access_key(),
        options,
        &mut rng,
        &mut NoObserver,
    );
    let (report, error) = match result {
        Ok(report) => (report, None),
        Err(failure) => (*failure.report, Some(failure.error)),
    };
    if let Some(e) = &error {
        assert!(
            !matches!(e, SessionError::Internal(_)),
            "internal error: {e}"
        );
        assert!(!e.to_string().is_empty());
    }
    check_report(&report, integrity);
    match error {
        None => Ok(report),
        Some(e) => Err(e),
    }
}

fn check_report(report: &ReadReport, integrity: Integrity) {
    // The report serialises (it is what `mrtd read --json` prints).
    serde_json::to_string(report).expect("the read report serialises");
    let _ = format!("{report:?}");
    let expected: &BTreeMap<EfId, Vec<u8>> = &fixtures::passport_content().files;
    for (ef, bytes) in &report.files {
        assert!(
            bytes.len() <= mrtd_protocol::read::DEFAULT_MAX_FILE_LEN,
            "{ef}: {} bytes",
            bytes.len()
        );
        if integrity == Integrity::Checked && ef.location() == Location::Application {
            assert!(
                expected.get(ef) == Some(bytes),
                "{ef} accepted with content the chip was not personalised with"
            );
        }
    }
    if let Some(incomplete) = &report.incomplete {
        assert_eq!(incomplete.read, incomplete.data.len());
        if let Some(total) = incomplete.total {
            assert!(
                incomplete.read <= total,
                "more read than the header announced"
            );
        }
        if integrity == Integrity::Checked && incomplete.ef.location() == Location::Application {
            assert!(
                expected
                    .get(&incomplete.ef)
                    .is_some_and(|f| f.starts_with(&incomplete.data))
                    // Nothing read: trivially nothing wrong accepted (the
                    // session reports an empty incomplete file when access
                    // control fails again before the first byte).
                    || incomplete.data.is_empty(),
                "the incomplete {} is not a prefix of the personalised file",
                incomplete.ef
            );
        }
    }
}
