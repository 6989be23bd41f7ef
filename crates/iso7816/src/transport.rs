//! The transport abstraction: something that carries APDU bytes to a chip
//! and back (a PC/SC reader, the in-process virtual passport, a recorded
//! transcript, later a remote tunnel).
//!
//! The trait works on raw bytes so that an implementation never needs to
//! understand what it carries; [`transmit_apdu`] adds the ISO/IEC 7816-4
//! transmission rules (`61XX` GET RESPONSE and `6CXX` retry) on top.

use crate::apdu::{ApduError, CommandApdu, ResponseApdu};
use crate::status::StatusWord;

/// Why an exchange with the chip did not complete.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransportError {
    /// No reader is connected.
    #[error("no smart-card reader found")]
    NoReaders,
    /// The named reader does not exist.
    #[error("reader {wanted:?} not found (readers seen: {seen:?})")]
    ReaderNotFound {
        /// The reader that was asked for.
        wanted: String,
        /// The readers that exist.
        seen: Vec<String>,
    },
    /// No card is present in the reader.
    #[error("no card in reader {reader:?}")]
    NoCard {
        /// The reader.
        reader: String,
    },
    /// The card was removed (or lost power) during the session.
    #[error("the card was removed from the reader")]
    CardRemoved,
    /// The card was reset by another application or a power glitch.
    #[error("the card was reset")]
    CardReset,
    /// The card did not answer in time.
    #[error("the card did not answer within {millis} ms")]
    Timeout {
        /// The time waited.
        millis: u64,
    },
    /// The card answered with fewer than two bytes.
    #[error("malformed response from the card: {0}")]
    MalformedResponse(#[from] ApduError),
    /// The chip keeps announcing more bytes (`61XX`) beyond any sensible
    /// size or number of GET RESPONSE commands.
    #[error("response chaining went on too long ({0} bytes received)")]
    ResponseTooLong(usize),
    /// A replayed transcript received a command other than the recorded one.
    #[error("replay mismatch at exchange {index}: {detail}")]
    ReplayMismatch {
        /// Zero-based index of the exchange.
        index: usize,
        /// What differed.
        detail: String,
    },
    /// The PC/SC service or another transport-specific failure.
    #[error("{context}: {message}")]
    Other {
        /// Which operation failed.
        context: &'static str,
        /// The underlying error text.
        message: String,
    },
}

impl TransportError {
    /// `true` when the card is gone (removed or reset) rather than the
    /// reader or service being broken: a caller may wait for it to return.
    #[must_use]
    pub fn is_card_lost(&self) -> bool {
        matches!(
            self,
            Self::CardRemoved | Self::CardReset | Self::NoCard { .. }
        )
    }
}

/// What a transport can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Capabilities {
    /// Whether extended-length APDUs pass through: `Some(false)` when the
    /// transport is known not to carry them, `None` when unknown (the reader
    /// must probe).
    pub extended_length: Option<bool>,
    /// The largest response (data and status) the transport can return.
    pub max_response_len: usize,
}

impl Default for Capabilities {
    fn default() -> Self {
        Self {
            extended_length: None,
            max_response_len: 65_536 + 2,
        }
    }
}

/// A channel to one chip.
pub trait Transport {
    /// Sends one encoded command APDU and returns the encoded response
    /// (data ‖ SW1 SW2), without interpreting either.
    ///
    /// # Errors
    /// Any [`TransportError`]; a lost card is [`TransportError::CardRemoved`].
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError>;

    /// The answer-to-reset of the card currently connected, if known.
    fn atr(&self) -> Option<Vec<u8>> {
        None
    }

    /// What this transport can carry.
    fn capabilities(&self) -> Capabilities {
        Capabilities::default()
    }

    /// Resets the card (a warm reset): every session state on the chip,
    /// including secure messaging, is lost. Returns the new ATR.
    ///
    /// # Errors
    /// Any [`TransportError`].
    fn reset(&mut self) -> Result<Vec<u8>, TransportError>;
}

impl<T: Transport + ?Sized> Transport for &mut T {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        (**self).transmit(command)
    }
    fn atr(&self) -> Option<Vec<u8>> {
        (**self).atr()
    }
    fn capabilities(&self) -> Capabilities {
        (**self).capabilities()
    }
    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        (**self).reset()
    }
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        (**self).transmit(command)
    }
    fn atr(&self) -> Option<Vec<u8>> {
        (**self).atr()
    }
    fn capabilities(&self) -> Capabilities {
        (**self).capabilities()
    }
    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        (**self).reset()
    }
}

/// Upper bound on a response assembled from `61XX` chunks: the largest
/// extended response plus slack for secure-messaging overhead.
pub const MAX_CHAINED_RESPONSE: usize = 65_536 + 64;

/// Most GET RESPONSE commands one exchange may take.
pub const MAX_GET_RESPONSES: usize = MAX_CHAINED_RESPONSE / 256 + 1;

/// Sends `command` and applies the ISO/IEC 7816-4 §5.3.4 transmission rules:
/// `61XX` fetches the rest with GET RESPONSE (concatenating the data), and
/// `6CXX` re-sends the command once with Le = `XX`.
///
/// Both rules act on the bytes on the wire, so they also apply to
/// secure-messaging APDUs (the protected response is what gets chained).
///
/// # Errors
/// Transport failures, a response without status word, or a chain longer
/// than [`MAX_CHAINED_RESPONSE`].
pub fn transmit_apdu<T: Transport + ?Sized>(
    transport: &mut T,
    command: &CommandApdu,
) -> Result<ResponseApdu, TransportError> {
    let mut response = ResponseApdu::parse(&transport.transmit(&command.to_bytes())?)?;
    if let StatusWord::WrongLe(exact) = response.sw {
        let ne = if exact == 0 { 256 } else { usize::from(exact) };
        // Ne is within 1..=256, which `with_ne` always accepts.
        if let Ok(retry) = command.clone().with_ne(ne) {
            response = ResponseApdu::parse(&transport.transmit(&retry.to_bytes())?)?;
        }
    }
    let mut data = core::mem::take(&mut response.data);
    let mut get_responses = 0usize;
    while let StatusWord::BytesAvailable(n) = response.sw {
        // A chip that keeps announcing bytes without sending them must not
        // keep us here: the longest legitimate chain is 65 536 / 256 steps.
        get_responses += 1;
        if get_responses > MAX_GET_RESPONSES {
            return Err(TransportError::ResponseTooLong(data.len()));
        }
        let ne = if n == 0 { 256 } else { usize::from(n) };
        let get_response = [0x00, 0xC0, 0x00, 0x00, (ne % 256) as u8];
        response = ResponseApdu::parse(&transport.transmit(&get_response)?)?;
        if data.len() + response.data.len() > MAX_CHAINED_RESPONSE {
            return Err(TransportError::ResponseTooLong(MAX_CHAINED_RESPONSE));
        }
        data.append(&mut response.data);
    }
    Ok(ResponseApdu::new(data, response.sw))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::{Exchange, ReplayTransport, Transcript};

    fn ex(c: &str, r: &str) -> Exchange {
        Exchange {
            command: hex::decode(c).unwrap(),
            response: hex::decode(r).unwrap(),
        }
    }

    #[test]
    fn get_response_chaining_and_wrong_le() {
        let transcript = Transcript {
            atr: None,
            exchanges: vec![
                ex("00B0000010", "6C04"),
                ex("00B0000004", "0102610A"),
                ex(
                    "00C000000A",
                    "0304050607080910111261 02".replace(' ', "").as_str(),
                ),
                ex("00C0000002", "AABB9000"),
            ],
        };
        let mut t = ReplayTransport::new(transcript);
        let cmd = CommandApdu::new(0x00, 0xB0, 0, 0).with_ne(16).unwrap();
        let r = transmit_apdu(&mut t, &cmd).unwrap();
        assert_eq!(r.sw, StatusWord::Success);
        assert_eq!(
            hex::encode_upper(&r.data),
            "0102030405060708091011 12AABB".replace(' ', "")
        );
        assert!(t.is_finished());
    }

    #[test]
    fn short_response_is_an_error() {
        let mut t = ReplayTransport::new(Transcript {
            atr: None,
            exchanges: vec![ex("00840000 08".replace(' ', "").as_str(), "90")],
        });
        let cmd = CommandApdu::new(0x00, 0x84, 0, 0).with_ne(8).unwrap();
        assert!(matches!(
            transmit_apdu(&mut t, &cmd),
            Err(TransportError::MalformedResponse(_))
        ));
    }
}
