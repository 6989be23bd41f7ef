//! Chip authenticity (Doc 9303-11 §6 and §4.4.3.5): Active Authentication,
//! Chip Authentication and PACE-CAM, bound to passive authentication.
//!
//! - [`VerifiedFile`]s come only from [`passive_authentication_outcome`]
//!   and [`card_security_outcome`]: the keys the protocols are checked
//!   against cannot come from anywhere else.
//! - [`ChipEvidence`] is what a read recorded (AA challenge and signature,
//!   the CA run, the PACE-CAM data); [`evaluate`] turns it into an
//!   [`AuthenticityReport`] with checks `chip.cam`, `chip.ca`, `chip.aa`,
//!   `chip.key-source` and a [`AuthenticityVerdict`].
//! - [`reverify`] checks a report again elsewhere, with the verifier's own
//!   nonce and verified files.

mod evaluate;
mod evidence;
mod report;
mod reverify;
mod verified;

pub use evaluate::{AuthenticityPolicy, ChipProtocol, VerifiedKeys, evaluate};
pub use evidence::{
    AaEvidence, CaEvidence, CaOutcome, CamEvidence, ChallengeSource, ChipEvidence, Offered,
};
pub use report::{AuthenticityReport, AuthenticityVerdict};
pub use reverify::{ReverifyError, reverify, to_json};
pub use verified::{
    PaOutcome, VerifiedFile, card_security_outcome, passive_authentication_outcome,
    verify_files_outcome,
};
