//! The sans-I/O protocol core of mrtd: Basic Access Control, secure
//! messaging and the file-reading state machine of ICAO Doc 9303-11.
//!
//! Every protocol step is a value: it takes the chip's response and yields
//! the next command or the finished result. Nothing here touches a reader,
//! a clock or the operating system's random source — randomness is a
//! [`rand_core::CryptoRng`] parameter — so the same code runs over PC/SC,
//! over the in-process virtual passport, over a recorded transcript and
//! (later) over asynchronous or remote transports.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod aa;
pub mod bac;
pub mod ca;
pub mod crypto;
pub mod pace;
pub mod read;
pub mod sm;

#[cfg(test)]
mod appendix_d_tests;
#[cfg(test)]
mod test_rng;

pub use bac::{Bac, BacError, BacKey};
pub use crypto::SmAlgorithm;
pub use sm::{ChannelLost, SecureChannel, SmError};
