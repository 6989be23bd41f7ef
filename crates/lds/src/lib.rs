//! The Logical Data Structure of an eMRTD (ICAO Doc 9303-10): file
//! identifiers and typed models of EF.COM, the data groups and EF.SOD.
//!
//! - [`EfCom`] (Doc 9303-10 §4.6.1), [`Dg1`] (§4.7.1, the MRZ through
//!   `mrtd-mrz`), [`Dg2`] (§4.7.2, faces in ISO/IEC 19794-5 records) — each
//!   parses and encodes, and `parse(encode(x)) == x`.
//! - [`Sod`] (§4.6.2): the CMS SignedData around the [`LdsSecurityObject`],
//!   with the original bytes kept for signature checks and the structural
//!   rules in [`Sod::check_structure`].
//! - [`LdsError`]: one error type naming the file and the offset.
//!
//! No I/O: every parser takes bytes, every encoder returns bytes. Every
//! parser treats its input as hostile: lengths are checked against the
//! bytes present, nothing panics, nothing allocates from an unchecked
//! length.
//!
//! ```
//! use mrtd_lds::{DgNumber, EfCom, LdsVersion};
//!
//! // EF.COM of Doc 9303-11 Appendix D: LDS 1.6, DG1 and DG2.
//! let bytes = [
//!     0x60, 0x14, 0x5F, 0x01, 0x04, b'0', b'1', b'0', b'6', 0x5F, 0x36, 0x06,
//!     b'0', b'4', b'0', b'0', b'0', b'0', 0x5C, 0x02, 0x61, 0x75,
//! ];
//! let com = EfCom::parse(&bytes)?;
//! assert_eq!(com.lds_version, LdsVersion::new(1, 6).unwrap());
//! assert_eq!(com.data_groups, [DgNumber::new(1).unwrap(), DgNumber::new(2).unwrap()]);
//! assert_eq!(com.to_bytes(), bytes);
//! # Ok::<(), mrtd_lds::LdsError>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod com;
pub mod dg1;
pub mod dg2;
pub mod ef;
mod error;
mod objects;
pub mod sod;

pub use com::{EfCom, LdsVersion, UnicodeVersion};
pub use dg1::Dg1;
pub use dg2::{
    BiometricHeader, Dg2, FaceData, FaceImage, FaceRecord, FacialImage, FacialRecord, ImageDataType,
};
pub use ef::{DgNumber, EfId, Location};
pub use error::LdsError;
pub use sod::{LdsSecurityObject, Sod, SodDefect};
