//! PACE v2, Password Authenticated Connection Establishment
//! (Doc 9303-11 §4.4, BSI TR-03110-2 §3.2): Generic, Integrated and Chip
//! Authentication Mapping, over finite-field and elliptic-curve groups,
//! with MRZ, CAN, PIN or PUK.

pub mod password;
pub mod prf;
pub mod protocol;

pub use password::PacePassword;
pub use protocol::{KeyAgreement, Mapping, PaceProtocol};
