//! PC/SC transport for eMRTD reading: reader discovery and selection,
//! waiting for a passport to be placed on the reader, and
//! [`PcscTransport`], an [`mrtd_iso7816::Transport`] over a PC/SC card
//! connection (pcsc-lite on Linux and macOS, `WinSCard` on Windows).
//!
//! Every PC/SC failure is mapped to a precise
//! [`TransportError`](mrtd_iso7816::TransportError): a card taken off the
//! reader is `CardRemoved`, a card reset by another application is
//! `CardReset`, a stopped PC/SC service names pcscd, and so on. Nothing in
//! this crate panics on a reader's or card's behaviour.
//!
//! Logging (`tracing`, debug level) names readers, ATRs, protocols and
//! APDU *lengths* only: APDU bytes carry MRZ-derived keys, personal data
//! and face images and never appear in logs.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod error;
mod hex_serde;
pub mod reader;
pub mod transport;

pub use reader::{
    ReaderInfo, choose_reader, list_readers, select_reader, wait_for_any_card, wait_for_card,
    wait_for_removal,
};
pub use transport::{ConnectOptions, PcscTransport, Protocol, ShareMode};
