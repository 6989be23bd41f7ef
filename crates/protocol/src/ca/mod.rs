//! Chip Authentication v1 (Doc 9303-11 §6.2; BSI TR-03110-3 §B.1, the
//! "CA v1" of TR-03110 v1.11): the chip proves possession of the private
//! key of the static public key in DG14 by agreeing on new secure-messaging
//! keys with an ephemeral key of the terminal.
//!
//! - Terminal: [`ChipAuthentication::start`] → [`AwaitingCaResponse`] →
//!   … → [`CaOutcome`] (a new [`crate::sm::SecureChannel`]).
//! - Chip (virtual passport): [`ChipCa`].
//! - Keys: [`CaPublicKey`] from DG14's `ChipAuthenticationPublicKeyInfo`,
//!   [`CaPrivateKey`] from PKCS#8.
//!
//! Chip Authentication v1 has no key confirmation: a cloned chip (the
//! signed DG14 of one chip, the private key of another) completes the
//! commands and is exposed only when the first command protected with the
//! new keys fails. The caller must send one (e.g. READ BINARY) and treat
//! its success as the proof; and the static key counts only if passive
//! authentication proved DG14's integrity.
//!
//! CA v2 (TR-03110 v2, after Terminal Authentication) shares the key
//! agreement K = KA(SK_PCD, PK_PICC) but adds a chip nonce r_PICC to the
//! key derivation, KDF(K ‖ r_PICC, c), and an authentication token T_PICC;
//! it is not implemented here.

pub mod chip;
pub mod keys;
pub mod messages;
pub mod protocol;
pub mod terminal;

#[cfg(test)]
mod worked_examples;

use mrtd_iso7816::StatusWord;

pub use chip::{ChipCa, ChipCaStep};
pub use keys::{CaPrivateKey, CaPublicKey};
pub use messages::Step;
pub use protocol::{CaProtocol, ID_CA, ID_PK_DH, ID_PK_ECDH, key_agreement_of_public_key_oid};
pub use terminal::{AwaitingCaResponse, CaConfig, CaOutcome, CaProgress, ChipAuthentication};

use crate::pace::KeyAgreement;

/// Why Chip Authentication did not complete.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CaError {
    /// The chip refused a command (`6A80`: key or protocol rejected,
    /// `6A88`: unknown key id, …).
    #[error("the chip refused {step} with status {sw}")]
    Refused {
        /// The command.
        step: Step,
        /// The status word.
        sw: StatusWord,
    },
    /// The chip's answer is not what the command expects.
    #[error("{step}: malformed answer: {what}")]
    Malformed {
        /// The command.
        step: Step,
        /// What is wrong.
        what: String,
    },
    /// A key is unusable: a malformed key container, parameters outside
    /// the whitelist, an invalid point or element, a failed key agreement.
    #[error("invalid Chip Authentication key: {what}")]
    InvalidKey {
        /// What is wrong.
        what: String,
    },
    /// The protocol's key agreement does not match the chip's key (e.g. a
    /// DH protocol with an EC key).
    #[error("{protocol} cannot run with a {key:?} key")]
    KeyAgreementMismatch {
        /// The protocol asked for.
        protocol: CaProtocol,
        /// The key's kind.
        key: KeyAgreement,
    },
}
