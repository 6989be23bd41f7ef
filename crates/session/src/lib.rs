//! Reading sessions: from a transport and an access key to the files of a
//! passport, with progress events, statistics, and dump folders.
//!
//! This is the library behind `mrtd read`; a kiosk or a server calls
//! [`read_document`] directly with its own [`mrtd_iso7816::Transport`].
//!
//! ```no_run
//! # fn demo(transport: &mut dyn mrtd_iso7816::Transport) -> Result<(), Box<dyn std::error::Error>> {
//! use mrtd_session::{AccessKey, ReadOptions, read_document, observer::NoObserver};
//! let key = AccessKey::Mrz(mrtd_mrz::AccessFields::new("L898902C", "690806", "940623")?);
//! let mut rng = rand::rngs::SysRng;
//! let report = read_document(transport, &key, &ReadOptions::default(), &mut rand_core::UnwrapErr(rng), &mut NoObserver)?;
//! println!("{} files, {} APDUs", report.files.len(), report.totals.apdus);
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod access;
pub mod access_plan;
mod chip_auth;
pub mod dump;
pub mod link;
mod listing;
pub mod observer;
pub mod reader;
pub mod report;
pub mod validate;

pub use access::AccessKey;
pub use reader::{ReadFailure, ReadOptions, SessionError, read_document};
pub use report::ReadReport;
pub use validate::{
    Validation, ValidationRules, validate, validate_files, validate_files_with, validate_with,
};
