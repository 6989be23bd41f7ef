//! The machine readable zone of ICAO Doc 9303 travel documents, as text.
//!
//! - [`check_digit`]: the Doc 9303-3 §4.9 check digit.
//! - [`Mrz`] ([`Td1`], [`Td2`], [`Td3`]): typed parsing of the three
//!   formats (Doc 9303-4/-5/-6), including the TD1/TD2 long document
//!   number rule. Wrong check digits are [`CheckDigitVerdict`]s, not
//!   errors; text that is not an MRZ is a [`MrzError`] with its position.
//! - Encoding: [`Td3::encode`] (and TD1/TD2) builds the exact MRZ text for
//!   given [`MrzFields`], computing every check digit.
//! - [`AccessFields`]: the BAC/PACE key input and its "MRZ information"
//!   string (Doc 9303-11 §4.3, §9.7.2).
//!
//! Pure text: no BER-TLV (DG1 framing lives in `mrtd-lds`), no I/O. The MRZ
//! is personal data and the BAC secret, so `Debug` output never shows it
//! and stored text is wiped on drop.
//!
//! ```
//! use mrtd_mrz::{AccessFields, Mrz, Sex};
//!
//! // Doc 9303-4 Appendix B specimen.
//! let mrz = Mrz::parse(
//!     "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\n\
//!      L898902C36UTO7408122F1204159ZE184226B<<<<<10",
//! )?;
//! assert_eq!(mrz.primary_identifier(), "ERIKSSON");
//! assert_eq!(mrz.secondary_identifier(), "ANNA MARIA");
//! assert_eq!(mrz.sex(), Sex::Female);
//! assert!(mrz.check_digits().all_valid());
//!
//! // The BAC key seed input.
//! let access = AccessFields::from_mrz(&mrz)?;
//! assert_eq!(&*access.mrz_information(), "L898902C3674081221204159");
//! # Ok::<(), mrtd_mrz::MrzError>(())
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod access;
pub mod check_digit;
mod date;
mod error;
mod fields;
mod layout;
mod mrz;
mod number;
mod td;
mod text;

pub use access::AccessFields;
pub use check_digit::{CheckDigitVerdict, check_digit, check_digit_char};
pub use date::MrzDate;
pub use error::{MrzError, MrzField};
pub use fields::{MrzFields, Sex};
pub use layout::CheckDigits;
pub use mrz::Mrz;
pub use td::{Td1, Td2, Td3};
pub use text::MrzFormat;

#[cfg(test)]
mod tests;
