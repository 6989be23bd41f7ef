//! Recorded transcripts: a [`RecordingTransport`] writes down every exchange,
//! a [`ReplayTransport`] plays one back and checks that the commands match.
//!
//! A replay makes a read reproducible byte for byte in a test, provided the
//! randomness of the terminal is replayed too (the protocol layer takes its
//! random numbers as a parameter for exactly this reason).

use serde::{Deserialize, Serialize};

use crate::transport::{Transport, TransportError};

/// One command and the response the chip gave to it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    /// The encoded command APDU.
    #[serde(with = "hex_bytes")]
    pub command: Vec<u8>,
    /// The encoded response APDU (data ‖ SW1 SW2).
    #[serde(with = "hex_bytes")]
    pub response: Vec<u8>,
}

/// Exchanges may carry key material: the debug view shows lengths only.
impl core::fmt::Debug for Exchange {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "Exchange {{ command: {} bytes, response: {} bytes }}",
            self.command.len(),
            self.response.len()
        )
    }
}

/// The ATR of the card and an ordered list of exchanges.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    /// The card's answer-to-reset when the recording started (a reader
    /// decides from it whether to probe extended length, so a replay must
    /// present the same one).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "opt_hex_bytes"
    )]
    pub atr: Option<Vec<u8>>,
    /// The exchanges in the order they happened.
    pub exchanges: Vec<Exchange>,
}

/// Plays a [`Transcript`] back. A command that differs from the recorded one
/// is a [`TransportError::ReplayMismatch`]; running past the end is a
/// [`TransportError::CardRemoved`] (the recording ended there).
#[derive(Debug, Clone)]
pub struct ReplayTransport {
    transcript: Transcript,
    next: usize,
}

impl ReplayTransport {
    /// Replays `transcript` from its first exchange.
    #[must_use]
    pub fn new(transcript: Transcript) -> Self {
        Self {
            transcript,
            next: 0,
        }
    }

    /// `true` once every recorded exchange has been replayed.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        self.next == self.transcript.exchanges.len()
    }

    /// How many exchanges have been replayed.
    #[must_use]
    pub fn position(&self) -> usize {
        self.next
    }
}

impl Transport for ReplayTransport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let index = self.next;
        let Some(exchange) = self.transcript.exchanges.get(index) else {
            return Err(TransportError::CardRemoved);
        };
        if exchange.command != command {
            return Err(TransportError::ReplayMismatch {
                index,
                detail: format!(
                    "expected a {}-byte command with header {}, got {} bytes with header {}",
                    exchange.command.len(),
                    hex::encode_upper(exchange.command.get(..4).unwrap_or_default()),
                    command.len(),
                    hex::encode_upper(command.get(..4).unwrap_or_default()),
                ),
            });
        }
        self.next += 1;
        Ok(exchange.response.clone())
    }

    fn atr(&self) -> Option<Vec<u8>> {
        self.transcript.atr.clone()
    }

    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        Err(TransportError::Other {
            context: "replay",
            message: "a transcript cannot reset the card".into(),
        })
    }
}

/// Wraps a transport and records every successful exchange.
#[derive(Debug)]
pub struct RecordingTransport<T> {
    inner: T,
    transcript: Transcript,
}

impl<T: Transport> RecordingTransport<T> {
    /// Records what passes through `inner`.
    pub fn new(inner: T) -> Self {
        let atr = inner.atr();
        Self {
            inner,
            transcript: Transcript {
                atr,
                exchanges: Vec::new(),
            },
        }
    }

    /// The exchanges recorded so far.
    pub fn transcript(&self) -> &Transcript {
        &self.transcript
    }

    /// Ends the recording and returns the transport and the transcript.
    pub fn into_parts(self) -> (T, Transcript) {
        (self.inner, self.transcript)
    }
}

impl<T: Transport> Transport for RecordingTransport<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        let response = self.inner.transmit(command)?;
        self.transcript.exchanges.push(Exchange {
            command: command.to_vec(),
            response: response.clone(),
        });
        Ok(response)
    }
    fn atr(&self) -> Option<Vec<u8>> {
        self.inner.atr()
    }
    fn capabilities(&self) -> crate::transport::Capabilities {
        self.inner.capabilities()
    }
    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        self.inner.reset()
    }
}

mod opt_hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &Option<Vec<u8>>, s: S) -> Result<S::Ok, S::Error> {
        match bytes {
            Some(b) => s.serialize_str(&hex::encode_upper(b)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Vec<u8>>, D::Error> {
        Option::<String>::deserialize(d)?
            .map(|s| hex::decode(s.as_bytes()).map_err(serde::de::Error::custom))
            .transpose()
    }
}

mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode_upper(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        hex::decode(s.as_bytes()).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mismatch_is_reported_with_its_index() {
        let t = Transcript {
            atr: None,
            exchanges: vec![Exchange {
                command: vec![0, 0x84, 0, 0, 8],
                response: vec![1, 2, 0x90, 0],
            }],
        };
        let mut replay = ReplayTransport::new(t.clone());
        assert_eq!(
            replay.transmit(&[0, 0x84, 0, 0, 8]).unwrap(),
            vec![1, 2, 0x90, 0]
        );
        assert_eq!(replay.transmit(&[0]), Err(TransportError::CardRemoved));
        let mut replay = ReplayTransport::new(t);
        assert!(matches!(
            replay.transmit(&[0, 0xB0, 0, 0, 8]),
            Err(TransportError::ReplayMismatch { index: 0, .. })
        ));
    }

    #[test]
    fn transcript_json_round_trip() {
        let t = Transcript {
            atr: None,
            exchanges: vec![Exchange {
                command: vec![0, 0x84, 0, 0, 8],
                response: vec![0x90, 0],
            }],
        };
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(
            json,
            r#"{"exchanges":[{"command":"0084000008","response":"9000"}]}"#
        );
        assert_eq!(serde_json::from_str::<Transcript>(&json).unwrap(), t);
    }
}
