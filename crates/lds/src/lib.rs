//! The Logical Data Structure of an eMRTD (ICAO Doc 9303-10): file
//! identifiers and typed models of every LDS1 file, parsed and encoded.
//!
//! - [`EfCom`] (§4.6.1), [`Dg1`] (§4.7.1, the MRZ through `mrtd-mrz`),
//!   [`Dg2`] (§4.7.2, ISO/IEC 19794-5 and 39794-5 faces),
//!   [`BiometricGroup`] (DG3/DG4, structure only), [`DisplayedImages`]
//!   (DG5–DG7), [`Dg11`], [`Dg12`], [`Dg13`], [`Dg14`], [`Dg15`],
//!   [`Dg16`] — each parses and encodes, and `parse(encode(x)) == x`.
//! - [`SecurityInfos`] (Doc 9303-11 §9.2, TR-03110-3 §A.1): EF.CardAccess,
//!   the eContent of [`CardSecurity`], DG14; every OID a named constant in
//!   [`security_infos::oid`].
//! - [`Sod`] (§4.6.2): the CMS SignedData around the [`LdsSecurityObject`],
//!   with the original bytes kept for signature checks and the structural
//!   rules in [`Sod::check_structure`].
//! - [`lenient`]: defects real chips carry are parsed and reported as
//!   [`LdsWarning`]s (file, offset, [`Defect`]) in lenient mode, errors in
//!   strict mode ([`ParseOptions`]); [`parse_file`] takes any file by its
//!   [`EfId`].
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

pub mod biometric;
pub mod com;
pub mod dg1;
pub mod dg11;
pub mod dg12;
pub mod dg13_15;
pub mod dg14;
pub mod dg16;
pub mod dg2;
pub mod displayed;
pub mod ef;
mod error;
pub mod fields;
pub mod file;
pub mod image_format;
pub mod lenient;
mod objects;
pub mod public_key;
pub mod security_infos;
pub mod sod;

pub use biometric::{BiometricData, BiometricGroup, BlockFormat};
pub use com::{EfCom, LdsVersion, UnicodeVersion};
pub use dg1::Dg1;
pub use dg2::{
    BiometricHeader, Dg2, FaceData, FaceImage, FaceRecord, FacialImage, FacialRecord, ImageDataType,
};
pub use dg11::Dg11;
pub use dg12::Dg12;
pub use dg13_15::{Dg13, Dg15};
pub use dg14::Dg14;
pub use dg16::{Dg16, PersonToNotify};
pub use displayed::DisplayedImages;
pub use ef::{DgNumber, EfId, Location};
pub use error::LdsError;
pub use fields::{LdsDate, Name};
pub use file::{LdsFile, parse_file};
pub use image_format::ImageFormat;
pub use lenient::{Defect, LdsWarning, ParseOptions, Parsed, TrailingData};
pub use public_key::{AlgorithmParameters, DomainParameters, KeyAlgorithm, PublicKeyInfo};
pub use security_infos::{CardSecurity, SecurityInfo, SecurityInfos};
pub use sod::{LdsSecurityObject, Sod, SodDefect};
