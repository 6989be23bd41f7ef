//! The terminal side of Chip Authentication v1 (Doc 9303-11 §6.2.1,
//! §6.2.4; BSI TR-03110-3 §B.1, §B.11.1–B.11.2).
//!
//! [`ChipAuthentication::start`] draws the ephemeral key pair, computes
//! K = KA(SK_PCD, PK_IC) at once (the chip's static key is known from
//! DG14) and drops the ephemeral secret; then
//!
//! - 3DES: MSE:Set KAT → [`CaOutcome`];
//! - AES: MSE:Set AT → GENERAL AUTHENTICATE → [`CaOutcome`].
//!
//! The commands are plain: the caller protects them with its current
//! secure channel (BAC or PACE) and hands the unprotected answers back.
//! CA v1 has no key confirmation: the chip proves its key only when a
//! command protected with the new keys succeeds, which the caller must
//! check (and a chip with another key fails exactly there).

use mrtd_iso7816::tlv::{self, Tag, TlvIter};
use mrtd_iso7816::{CommandApdu, ResponseApdu};
use rand_core::CryptoRng;
use zeroize::Zeroizing;

use super::keys::{CaPrivateKey, CaPublicKey};
use super::messages::{self, Step};
use super::{CaError, CaProtocol};
use crate::sm::{SecureChannel, Ssc, derive_session_cipher};

/// What Chip Authentication runs with: from DG14's `ChipAuthenticationInfo`
/// and `ChipAuthenticationPublicKeyInfo` (whose integrity passive
/// authentication must have proved).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CaConfig {
    /// The protocol (`ChipAuthenticationInfo.protocol`).
    pub protocol: CaProtocol,
    /// The chip's static public key PK_IC.
    pub chip_key: CaPublicKey,
    /// The key identifier, sent in `84` when the chip has several keys
    /// (Doc 9303-11 §6.2.4: required only then).
    pub key_id: Option<u32>,
}

/// Entry point of the terminal side.
#[derive(Debug)]
pub struct ChipAuthentication;

impl ChipAuthentication {
    /// Starts Chip Authentication: draws the ephemeral key pair in the
    /// chip key's group, computes K and returns the state waiting for the
    /// first answer with the first command:
    ///
    /// - 3DES: MSE:Set KAT (`00 22 41 A6`, data `91` ephemeral public key
    ///   `[84` key id`]`);
    /// - AES: MSE:Set AT (`00 22 41 A4`, data `80` CA OID `[84` key id`]`).
    ///
    /// # Errors
    /// [`CaError::KeyAgreementMismatch`] when the protocol's key agreement
    /// is not that of the chip's key (a DH protocol with an EC key);
    /// [`CaError::InvalidKey`] if the key agreement fails.
    pub fn start<R: CryptoRng + ?Sized>(
        config: CaConfig,
        rng: &mut R,
    ) -> Result<(AwaitingCaResponse, CommandApdu), CaError> {
        let CaConfig {
            protocol,
            chip_key,
            key_id,
        } = config;
        if protocol.key_agreement != chip_key.key_agreement() {
            return Err(CaError::KeyAgreementMismatch {
                protocol,
                key: chip_key.key_agreement(),
            });
        }
        let ephemeral = CaPrivateKey::random(chip_key.domain(), rng);
        let ephemeral_public = ephemeral.public_key().encode();
        let shared = ephemeral
            .agree(&chip_key)
            .map_err(|e| CaError::InvalidKey {
                what: e.to_string(),
            })?;
        // The ephemeral secret is no longer needed: K is all that remains.
        drop(ephemeral);
        let (stage, command) = if protocol.uses_set_kat() {
            (
                Step::SetKeyAgreementTemplate,
                messages::mse_set_kat(&ephemeral_public, key_id),
            )
        } else {
            (
                Step::SetAuthenticationTemplate,
                messages::mse_set_at(protocol, key_id),
            )
        };
        Ok((
            AwaitingCaResponse {
                stage,
                protocol,
                key_id,
                shared,
                ephemeral_public,
            },
            command,
        ))
    }
}

/// A Chip Authentication command is on its way; only the chip's answer
/// (unprotected by the caller) can follow.
pub struct AwaitingCaResponse {
    stage: Step,
    protocol: CaProtocol,
    key_id: Option<u32>,
    shared: Zeroizing<Vec<u8>>,
    ephemeral_public: Vec<u8>,
}

impl core::fmt::Debug for AwaitingCaResponse {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AwaitingCaResponse")
            .field("step", &self.stage)
            .field("protocol", &self.protocol)
            .finish_non_exhaustive()
    }
}

/// What a Chip Authentication answer leads to.
#[derive(Debug)]
pub enum CaProgress {
    /// Send this command (plain; protect it with the current channel) and
    /// hand its answer to the state.
    Continue(AwaitingCaResponse, CommandApdu),
    /// The chip accepted the last command: from now on use the new channel.
    Established(CaOutcome),
}

impl AwaitingCaResponse {
    /// The command whose answer is awaited.
    #[must_use]
    pub fn step(&self) -> Step {
        self.stage
    }

    /// The protocol that runs.
    #[must_use]
    pub fn protocol(&self) -> CaProtocol {
        self.protocol
    }

    /// Takes the chip's answer (already unprotected with the channel the
    /// command went out on).
    ///
    /// # Errors
    /// [`CaError::Refused`] for any status other than `9000` (e.g. `6A80`:
    /// the chip rejects the key or the protocol, `6A88`: unknown key id);
    /// [`CaError::Malformed`] for a GENERAL AUTHENTICATE answer that is
    /// neither empty nor an empty `7C` template.
    pub fn on_response(self, response: &ResponseApdu) -> Result<CaProgress, CaError> {
        let step = self.stage;
        if !response.sw.is_success() {
            return Err(CaError::Refused {
                step,
                sw: response.sw,
            });
        }
        match step {
            // MSE has no response data; stray data changes nothing (as for
            // PACE's MSE:Set AT).
            Step::SetAuthenticationTemplate => {
                let command = messages::general_authenticate(&self.ephemeral_public);
                Ok(CaProgress::Continue(
                    Self {
                        stage: Step::GeneralAuthenticate,
                        ..self
                    },
                    command,
                ))
            }
            Step::SetKeyAgreementTemplate => Ok(CaProgress::Established(self.finish()?)),
            Step::GeneralAuthenticate => {
                check_empty_dynamic_authentication_data(&response.data)?;
                Ok(CaProgress::Established(self.finish()?))
            }
        }
    }

    /// The new secure channel: keys KDF(K, 1), KDF(K, 2) for the protocol's
    /// cipher, SSC 0 (Doc 9303-11 §6.2.4, §9.7.1, §9.8.2).
    fn finish(self) -> Result<CaOutcome, CaError> {
        let cipher = self.protocol.cipher;
        let ssc = Ssc::zero(cipher.block_size()).ok_or(CaError::Malformed {
            step: self.stage,
            what: "send sequence counter".into(),
        })?;
        let channel = SecureChannel::new(derive_session_cipher(cipher, &self.shared), ssc);
        Ok(CaOutcome {
            channel,
            terminal_ephemeral_key: self.ephemeral_public,
            protocol: self.protocol,
            key_id: self.key_id,
        })
    }
}

/// CA v1's GENERAL AUTHENTICATE answer carries no data objects
/// (Doc 9303-11 §6.2.4.2): either no data or an empty `7C` template.
/// Anything else (e.g. the nonce and token of CA v2) would mean other
/// session keys; it is refused rather than ignored.
fn check_empty_dynamic_authentication_data(data: &[u8]) -> Result<(), CaError> {
    if data.is_empty() {
        return Ok(());
    }
    let step = Step::GeneralAuthenticate;
    let outer = tlv::parse_single(data, Tag(0x7C)).map_err(|e| CaError::Malformed {
        step,
        what: format!("dynamic authentication data: {e}"),
    })?;
    if let Some(item) = TlvIter::new(outer.value).next() {
        let what = match item {
            Ok((_, obj)) => format!(
                "unexpected data object {} (CA v1 answers with an empty 7C)",
                obj.tag
            ),
            Err(e) => format!("dynamic authentication data: {e}"),
        };
        return Err(CaError::Malformed { step, what });
    }
    Ok(())
}

/// What a completed Chip Authentication yields.
#[derive(Debug)]
pub struct CaOutcome {
    /// The new secure channel (keys from K, SSC 0). Only a protected
    /// command that succeeds on it proves the chip's key.
    pub channel: SecureChannel,
    /// The terminal's ephemeral public key PK_PCD as sent (plain value),
    /// for the report.
    pub terminal_ephemeral_key: Vec<u8>,
    /// The protocol that ran.
    pub protocol: CaProtocol,
    /// The key identifier sent, if any.
    pub key_id: Option<u32>,
}
