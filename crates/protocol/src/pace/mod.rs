//! PACE v2, Password Authenticated Connection Establishment
//! (Doc 9303-11 §4.4, BSI TR-03110-2 §3.2): Generic, Integrated and Chip
//! Authentication Mapping, over finite-field and elliptic-curve groups,
//! with MRZ, CAN, PIN or PUK.
//!
//! The terminal side is [`Pace`] and its typed states; the chip side, for
//! the virtual passport, is [`chip::ChipPace`].

pub mod chip;
pub mod group;
pub mod messages;
pub mod password;
pub mod prf;
pub mod protocol;
pub mod terminal;

#[cfg(test)]
mod worked_examples;

use mrtd_iso7816::StatusWord;

pub use messages::Step;
pub use password::PacePassword;
pub use protocol::{KeyAgreement, Mapping, PaceProtocol};
pub use terminal::{CamProof, Pace, PaceConfig, PaceOutcome};

/// Why PACE did not establish a session.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PaceError {
    /// The chip refused a step. At mutual authentication (`6300`, `63CX`)
    /// this means the password is wrong.
    #[error("the chip refused {step} with status {sw}")]
    Refused {
        /// The step.
        step: Step,
        /// The status word.
        sw: StatusWord,
    },
    /// The chip's answer is not what the step expects.
    #[error("{step}: malformed answer: {what}")]
    Malformed {
        /// The step.
        step: Step,
        /// What is wrong.
        what: String,
    },
    /// A mandatory data object is missing from the chip's answer.
    #[error("{step}: data object {tag:02X} missing from the chip's answer")]
    MissingObject {
        /// The step.
        step: Step,
        /// The tag.
        tag: u8,
    },
    /// A public key or mapped generator is not a valid group element.
    #[error("{step}: invalid group element: {error}")]
    InvalidElement {
        /// The step.
        step: Step,
        /// What the group layer said.
        error: String,
    },
    /// The chip answered with the terminal's own public key.
    #[error("{step}: the chip's public key equals the terminal's")]
    IdenticalPublicKeys {
        /// The step.
        step: Step,
    },
    /// The chip's authentication token T_IC does not verify: the chip does
    /// not know the password, or the exchange was tampered with.
    #[error("the chip's authentication token does not verify")]
    TokenMismatch,
    /// PACE-CAM without encrypted chip authentication data (`8A`).
    #[error("PACE-CAM: the chip sent no encrypted chip authentication data")]
    CamDataMissing,
    /// PACE-CAM data that does not decrypt to a padded value.
    #[error("PACE-CAM: the chip authentication data is malformed")]
    CamDataMalformed,
}

impl PaceError {
    fn group(step: Step, error: mrtd_groups::GroupError) -> Self {
        Self::InvalidElement {
            step,
            error: error.to_string(),
        }
    }

    /// `true` when the chip refused the password (Doc 9303-11 §4.4.4.2:
    /// `6300` at mutual authentication; PIN-capable chips send `63CX`).
    #[must_use]
    pub fn is_wrong_password(&self) -> bool {
        matches!(
            self,
            Self::Refused {
                step: Step::MutualAuthentication,
                sw: StatusWord::VerificationFailed
                    | StatusWord::Counter(_)
                    | StatusWord::SecurityStatusNotSatisfied,
            }
        )
    }
}
