//! ISO/IEC 7816-4 building blocks for eMRTD readers: command and response
//! APDUs, status words, BER-TLV data objects, and the [`Transport`]
//! abstraction with a recorded-transcript implementation.
//!
//! This crate does no I/O of its own: a transport is handed in by the
//! application (PC/SC in `mrtd-pcsc`, the virtual passport in `mrtd-sim`).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod apdu;
pub mod atr;
pub mod replay;
pub mod status;
pub mod tlv;
pub mod transport;

pub use apdu::{ApduError, CommandApdu, LengthEncoding, ResponseApdu};
pub use replay::{Exchange, RecordingTransport, ReplayTransport, Transcript};
pub use status::StatusWord;
pub use tlv::{Tag, Tlv, TlvError, TlvHeader};
pub use transport::{Capabilities, Transport, TransportError, transmit_apdu};
