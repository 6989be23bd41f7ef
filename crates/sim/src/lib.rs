//! The virtual passport: an LDS1 eMRTD chip simulator that runs in-process
//! (as a [`mrtd_iso7816::Transport`]) or behind real pcscd through the
//! vpcd virtual reader.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod card;
pub mod chip_keys;
pub mod inprocess;
pub mod passport;
pub mod personalise;
pub mod vpcd;

pub use card::VirtualCard;
pub use inprocess::{Faults, InProcessTransport};
pub use passport::{ChipConfig, ChipContent, VirtualPassport};
