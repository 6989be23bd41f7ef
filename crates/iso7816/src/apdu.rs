//! Command and response APDUs (ISO/IEC 7816-4 §5.1–5.3).
//!
//! A [`CommandApdu`] holds the header, the command data and the *expected*
//! response length Ne. The byte encoding (short or extended Lc/Le fields) is
//! chosen when the command is encoded: short whenever both Nc ≤ 255 and
//! Ne ≤ 256 allow it, extended otherwise, or extended on request
//! ([`LengthEncoding::Extended`]).

use core::fmt;

use crate::status::StatusWord;

/// Largest command data length Nc an extended APDU can carry.
pub const MAX_NC_EXTENDED: usize = 65_535;
/// Largest expected response length Ne (extended Le `0000`).
pub const MAX_NE_EXTENDED: usize = 65_536;
/// Largest command data length a short APDU can carry.
pub const MAX_NC_SHORT: usize = 255;
/// Largest expected response length a short APDU can ask for (Le `00`).
pub const MAX_NE_SHORT: usize = 256;

/// How the Lc/Le fields of a command are encoded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LengthEncoding {
    /// Short fields when they suffice, extended otherwise.
    #[default]
    Auto,
    /// Extended fields even where short ones would do.
    Extended,
}

/// Errors building or parsing an APDU.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApduError {
    /// The command data is longer than an extended APDU can carry.
    #[error("command data of {0} bytes exceeds the 65535-byte maximum")]
    DataTooLong(usize),
    /// Ne outside 1..=65536.
    #[error("expected length Ne={0} outside 1..=65536")]
    InvalidNe(usize),
    /// A command APDU shorter than its four header bytes.
    #[error("command APDU of {0} bytes is shorter than the 4-byte header")]
    CommandTooShort(usize),
    /// The body of a command APDU matches none of the ISO 7816-3 cases.
    #[error("command APDU body of {body_len} bytes is malformed: {reason}")]
    MalformedCommand {
        /// Length of the body after the header.
        body_len: usize,
        /// What is inconsistent.
        reason: &'static str,
    },
    /// A response APDU without its two status bytes.
    #[error("response APDU of {0} bytes has no status word")]
    ResponseTooShort(usize),
}

/// A command APDU: header, data and expected response length.
#[derive(Clone, PartialEq, Eq)]
pub struct CommandApdu {
    /// Class byte.
    pub cla: u8,
    /// Instruction byte.
    pub ins: u8,
    /// Parameter 1.
    pub p1: u8,
    /// Parameter 2.
    pub p2: u8,
    data: Vec<u8>,
    ne: Option<usize>,
    encoding: LengthEncoding,
}

impl CommandApdu {
    /// A command without data and without expected response (ISO case 1).
    #[must_use]
    pub fn new(cla: u8, ins: u8, p1: u8, p2: u8) -> Self {
        Self {
            cla,
            ins,
            p1,
            p2,
            data: Vec::new(),
            ne: None,
            encoding: LengthEncoding::Auto,
        }
    }

    /// Sets the command data (Nc = `data.len()`).
    ///
    /// # Errors
    /// [`ApduError::DataTooLong`] when the data exceeds 65 535 bytes.
    pub fn with_data(mut self, data: impl Into<Vec<u8>>) -> Result<Self, ApduError> {
        let data = data.into();
        if data.len() > MAX_NC_EXTENDED {
            return Err(ApduError::DataTooLong(data.len()));
        }
        self.data = data;
        Ok(self)
    }

    /// Sets the expected response length Ne (1..=65536).
    ///
    /// # Errors
    /// [`ApduError::InvalidNe`] outside that range.
    pub fn with_ne(mut self, ne: usize) -> Result<Self, ApduError> {
        if ne == 0 || ne > MAX_NE_EXTENDED {
            return Err(ApduError::InvalidNe(ne));
        }
        self.ne = Some(ne);
        Ok(self)
    }

    /// Removes the expected response length (no Le field).
    #[must_use]
    pub fn without_ne(mut self) -> Self {
        self.ne = None;
        self
    }

    /// Forces or relaxes the length-field encoding.
    #[must_use]
    pub fn with_encoding(mut self, encoding: LengthEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// The command data field.
    #[must_use]
    pub fn data(&self) -> &[u8] {
        &self.data
    }

    /// The expected response length, if any.
    #[must_use]
    pub fn ne(&self) -> Option<usize> {
        self.ne
    }

    /// The requested length-field encoding.
    #[must_use]
    pub fn encoding(&self) -> LengthEncoding {
        self.encoding
    }

    /// `true` when the encoded APDU uses extended length fields (a case 1
    /// command has no length fields and is never extended).
    #[must_use]
    pub fn is_extended(&self) -> bool {
        let has_length_fields = !self.data.is_empty() || self.ne.is_some();
        (self.encoding == LengthEncoding::Extended && has_length_fields)
            || self.data.len() > MAX_NC_SHORT
            || self.ne.is_some_and(|ne| ne > MAX_NE_SHORT)
    }

    /// The four header bytes.
    #[must_use]
    pub fn header(&self) -> [u8; 4] {
        [self.cla, self.ins, self.p1, self.p2]
    }

    /// Encodes the APDU (ISO 7816-3 §12.1.3 cases 1, 2S/E, 3S/E, 4S/E).
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + 3 + self.data.len() + 3);
        out.extend_from_slice(&self.header());
        let extended = self.is_extended();
        let nc = self.data.len();
        if nc > 0 {
            if extended {
                // Constructors keep Nc ≤ 65535, so it fits in two bytes.
                let [hi, lo] = (nc as u16).to_be_bytes();
                out.extend_from_slice(&[0x00, hi, lo]);
            } else {
                out.push(nc as u8);
            }
            out.extend_from_slice(&self.data);
        }
        if let Some(ne) = self.ne {
            if extended {
                // Le 0000 means 65536.
                let [hi, lo] = ((ne % MAX_NE_EXTENDED) as u16).to_be_bytes();
                if nc == 0 {
                    out.push(0x00);
                }
                out.extend_from_slice(&[hi, lo]);
            } else {
                // Le 00 means 256.
                out.push((ne % MAX_NE_SHORT) as u8);
            }
        }
        out
    }

    /// Parses an encoded command APDU (the card side of the exchange).
    ///
    /// # Errors
    /// [`ApduError::CommandTooShort`] or [`ApduError::MalformedCommand`] when
    /// the bytes match none of the ISO 7816-3 cases.
    pub fn parse(bytes: &[u8]) -> Result<Self, ApduError> {
        let (header, body) = match bytes.split_first_chunk::<4>() {
            Some(split) => split,
            None => return Err(ApduError::CommandTooShort(bytes.len())),
        };
        let [cla, ins, p1, p2] = *header;
        let mut cmd = Self::new(cla, ins, p1, p2);
        let malformed = |reason| ApduError::MalformedCommand {
            body_len: body.len(),
            reason,
        };
        match body {
            // Case 1.
            [] => {}
            // Case 2S.
            [le] => cmd.ne = Some(short_ne(*le)),
            // A first body byte of 00 can only start extended fields: a short
            // Lc of zero is not allowed (ISO 7816-3 §12.1.3).
            [0x00, hi, lo, rest @ ..] => {
                let n = usize::from(u16::from_be_bytes([*hi, *lo]));
                cmd.encoding = LengthEncoding::Extended;
                if rest.is_empty() {
                    // Case 2E: 00 Le1 Le2.
                    cmd.ne = Some(extended_ne(n));
                } else {
                    // Case 3E / 4E: 00 Lc1 Lc2 data [Le1 Le2].
                    if n == 0 {
                        return Err(malformed("extended Lc of zero"));
                    }
                    match rest.len().checked_sub(n) {
                        Some(0) => cmd.data = rest.to_vec(),
                        Some(2) => {
                            cmd.data = rest[..n].to_vec();
                            let le = u16::from_be_bytes([rest[n], rest[n + 1]]);
                            cmd.ne = Some(extended_ne(usize::from(le)));
                        }
                        _ => return Err(malformed("extended Lc does not match the body length")),
                    }
                }
            }
            [0x00, ..] => return Err(malformed("truncated extended length field")),
            // Case 3S / 4S: Lc data [Le].
            [lc, rest @ ..] => {
                let nc = usize::from(*lc);
                if nc == 0 {
                    return Err(malformed("short Lc of zero"));
                }
                match rest.len().checked_sub(nc) {
                    Some(0) => cmd.data = rest.to_vec(),
                    Some(1) => {
                        cmd.data = rest[..nc].to_vec();
                        cmd.ne = Some(short_ne(rest[nc]));
                    }
                    _ => return Err(malformed("short Lc does not match the body length")),
                }
            }
        }
        Ok(cmd)
    }
}

fn short_ne(le: u8) -> usize {
    if le == 0 {
        MAX_NE_SHORT
    } else {
        usize::from(le)
    }
}

fn extended_ne(le: usize) -> usize {
    if le == 0 { MAX_NE_EXTENDED } else { le }
}

/// The debug view shows the header and lengths only: command data may be
/// key material or personal data and must not reach a log by accident.
impl fmt::Debug for CommandApdu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "CommandApdu {{ {:02X} {:02X} {:02X} {:02X}, nc: {}, ne: {:?}{} }}",
            self.cla,
            self.ins,
            self.p1,
            self.p2,
            self.data.len(),
            self.ne,
            if self.is_extended() { ", extended" } else { "" }
        )
    }
}

/// A response APDU: data and status word.
#[derive(Clone, PartialEq, Eq)]
pub struct ResponseApdu {
    /// The response data field.
    pub data: Vec<u8>,
    /// SW1 SW2.
    pub sw: StatusWord,
}

impl ResponseApdu {
    /// A response with data and a status word.
    #[must_use]
    pub fn new(data: Vec<u8>, sw: StatusWord) -> Self {
        Self { data, sw }
    }

    /// A response that is only a status word.
    #[must_use]
    pub fn status(sw: StatusWord) -> Self {
        Self {
            data: Vec::new(),
            sw,
        }
    }

    /// Splits `data ‖ SW1 SW2`.
    ///
    /// # Errors
    /// [`ApduError::ResponseTooShort`] for fewer than two bytes.
    pub fn parse(bytes: &[u8]) -> Result<Self, ApduError> {
        match bytes.split_last_chunk::<2>() {
            Some((data, [sw1, sw2])) => Ok(Self {
                data: data.to_vec(),
                sw: StatusWord::from_bytes(*sw1, *sw2),
            }),
            None => Err(ApduError::ResponseTooShort(bytes.len())),
        }
    }

    /// Encodes `data ‖ SW1 SW2`.
    #[must_use]
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.data.len() + 2);
        out.extend_from_slice(&self.data);
        out.extend_from_slice(&self.sw.to_bytes());
        out
    }
}

/// The debug view shows the status and length only (see [`CommandApdu`]).
impl fmt::Debug for ResponseApdu {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ResponseApdu {{ sw: {}, len: {} }}",
            self.sw,
            self.data.len()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    #[test]
    fn short_cases_encode() {
        let c1 = CommandApdu::new(0x00, 0xA4, 0x04, 0x0C);
        assert_eq!(c1.to_bytes(), h("00A4040C"));
        let c2 = CommandApdu::new(0x00, 0x84, 0, 0).with_ne(8).unwrap();
        assert_eq!(c2.to_bytes(), h("0084000008"));
        let c2_256 = CommandApdu::new(0x00, 0xB0, 0, 0).with_ne(256).unwrap();
        assert_eq!(c2_256.to_bytes(), h("00B0000000"));
        let c3 = CommandApdu::new(0x00, 0xA4, 0x04, 0x0C)
            .with_data(h("A0000002471001"))
            .unwrap();
        assert_eq!(c3.to_bytes(), h("00A4040C07A0000002471001"));
        let c4 = CommandApdu::new(0x00, 0x82, 0, 0)
            .with_data(vec![1; 40])
            .unwrap()
            .with_ne(40)
            .unwrap();
        assert_eq!(c4.to_bytes().len(), 4 + 1 + 40 + 1);
        assert_eq!(*c4.to_bytes().last().unwrap(), 40);
    }

    #[test]
    fn extended_cases_encode() {
        let c2e = CommandApdu::new(0x00, 0xB0, 0, 0).with_ne(1000).unwrap();
        assert_eq!(c2e.to_bytes(), h("00B000000003E8"));
        let c2max = CommandApdu::new(0x00, 0xB0, 0, 0).with_ne(65536).unwrap();
        assert_eq!(c2max.to_bytes(), h("00B00000000000"));
        let forced = CommandApdu::new(0x0C, 0xB0, 0, 0)
            .with_data(h("970100"))
            .unwrap()
            .with_ne(256)
            .unwrap()
            .with_encoding(LengthEncoding::Extended);
        assert_eq!(
            forced.to_bytes(),
            h("0CB0000000000397010001 00".replace(' ', "").as_str())
        );
    }

    #[test]
    fn rejects_bad_lengths() {
        assert_eq!(
            CommandApdu::new(0, 0, 0, 0).with_ne(0),
            Err(ApduError::InvalidNe(0))
        );
        assert_eq!(
            CommandApdu::new(0, 0, 0, 0).with_ne(65537),
            Err(ApduError::InvalidNe(65537))
        );
        assert!(
            CommandApdu::new(0, 0, 0, 0)
                .with_data(vec![0; 65536])
                .is_err()
        );
        assert!(CommandApdu::parse(&h("00B0")).is_err());
        assert!(CommandApdu::parse(&h("00A4040C05A000")).is_err());
        assert!(ResponseApdu::parse(&h("90")).is_err());
    }

    #[test]
    fn parses_the_ambiguous_short_case_starting_with_zero_data() {
        // Case 3S whose single data byte is 00: Lc=01, data=00.
        let cmd = CommandApdu::parse(&h("00A4020C0100")).unwrap();
        assert_eq!(cmd.data(), &[0x00]);
        assert_eq!(cmd.ne(), None);
    }

    fn arb_command() -> impl Strategy<Value = CommandApdu> {
        (
            any::<[u8; 4]>(),
            prop_oneof![Just(0usize), 1usize..300, 65_000usize..65_535],
            prop::option::of(prop_oneof![1usize..=256, 257usize..=65_536]),
            any::<bool>(),
        )
            .prop_map(|(hd, nc, ne, ext)| {
                let mut c = CommandApdu::new(hd[0], hd[1], hd[2], hd[3])
                    .with_data(vec![0x5A; nc])
                    .unwrap();
                if let Some(ne) = ne {
                    c = c.with_ne(ne).unwrap();
                }
                if ext {
                    c.with_encoding(LengthEncoding::Extended)
                } else {
                    c
                }
            })
    }

    proptest! {
        #[test]
        fn encode_parse_round_trip(cmd in arb_command()) {
            let parsed = CommandApdu::parse(&cmd.to_bytes()).unwrap();
            prop_assert_eq!(parsed.header(), cmd.header());
            prop_assert_eq!(parsed.data(), cmd.data());
            prop_assert_eq!(parsed.ne(), cmd.ne());
            prop_assert_eq!(parsed.is_extended(), cmd.is_extended());
        }

        #[test]
        fn parse_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
            if let Ok(cmd) = CommandApdu::parse(&bytes) {
                // Whatever parses re-encodes to the same bytes.
                prop_assert_eq!(cmd.to_bytes(), bytes.clone());
            }
            let _ = ResponseApdu::parse(&bytes);
        }
    }
}
