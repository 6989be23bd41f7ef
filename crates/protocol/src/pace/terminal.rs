//! The terminal side of PACE as typed states (Doc 9303-11 §4.4.1, Figure 1):
//!
//! [`Pace::start`] → [`AwaitingSetAt`] → [`AwaitingNonce`] →
//! [`AwaitingMapping`] → [`AwaitingKeyAgreement`] → [`AwaitingToken`] →
//! [`PaceOutcome`] (with its [`SecureChannel`]).
//!
//! Each state consumes itself with the chip's response and yields the next
//! command, so the steps can neither be skipped nor repeated, and every
//! secret (the nonce, the ephemeral keys) lives exactly as long as the
//! state that needs it.

use const_oid::ObjectIdentifier;
use mrtd_groups::{DomainParameters, EcPoint};
use mrtd_iso7816::{CommandApdu, ResponseApdu};
use rand_core::CryptoRng;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::PaceError;
use super::group::{Element, Group, Secret};
use super::messages::{self, Step, general_authenticate, response_objects};
use super::password::PacePassword;
use super::prf::integrated_mapping_prf;
use super::protocol::{Mapping, PaceProtocol};
use crate::crypto::{KdfCounter, SymmetricKey, unpad};
use crate::sm::{SecureChannel, Ssc, derive_session_cipher};

/// What PACE runs with.
#[derive(Clone, Debug)]
pub struct PaceConfig {
    /// The protocol (from a PACEInfo of EF.CardAccess).
    pub protocol: PaceProtocol,
    /// The domain parameters (from the PACEInfo's parameter identifier).
    pub domain: DomainParameters,
    /// The parameter identifier to send in `84` of MSE:Set AT, if any.
    /// Doc 9303 requires it only when the chip offers several parameter
    /// sets; some chips require it always, some reject it.
    pub parameter_id: Option<u8>,
    /// The password.
    pub password: PacePassword,
}

/// Entry point of the terminal side.
#[derive(Debug)]
pub struct Pace;

impl Pace {
    /// Starts PACE: returns the state waiting for MSE:Set AT's answer and
    /// the command.
    #[must_use]
    pub fn start(config: PaceConfig) -> (AwaitingSetAt, CommandApdu) {
        let cmd = messages::mse_set_at(
            config.protocol,
            config.password.reference(),
            config.parameter_id,
        );
        (AwaitingSetAt { config }, cmd)
    }
}

/// MSE:Set AT has been sent.
#[derive(Debug)]
pub struct AwaitingSetAt {
    config: PaceConfig,
}

impl AwaitingSetAt {
    /// Checks MSE:Set AT's answer and returns GENERAL AUTHENTICATE 1.
    ///
    /// # Errors
    /// [`PaceError::Refused`] when the chip rejects the protocol, password
    /// or parameters (`6A80`, `6A88`, …).
    pub fn on_response(
        self,
        response: &ResponseApdu,
    ) -> Result<(AwaitingNonce, CommandApdu), PaceError> {
        if !response.sw.is_success() {
            return Err(PaceError::Refused {
                step: Step::SetAuthenticationTemplate,
                sw: response.sw,
            });
        }
        Ok((
            AwaitingNonce {
                config: self.config,
            },
            general_authenticate(&[], false),
        ))
    }

    /// The configuration, e.g. to retry MSE:Set AT with or without `84`
    /// after a chip refused it.
    #[must_use]
    pub fn config(&self) -> &PaceConfig {
        &self.config
    }
}

/// GENERAL AUTHENTICATE 1 (encrypted nonce) has been sent.
#[derive(Debug)]
pub struct AwaitingNonce {
    config: PaceConfig,
}

impl AwaitingNonce {
    /// Decrypts the nonce s = D(K_π, z) and starts the mapping: a mapping
    /// key pair (GM, CAM) or the nonce t (IM) goes out in `81`.
    ///
    /// # Errors
    /// [`PaceError`] for a refused step or a malformed nonce.
    pub fn on_response<R: CryptoRng + ?Sized>(
        self,
        response: &ResponseApdu,
        rng: &mut R,
    ) -> Result<(AwaitingMapping, CommandApdu), PaceError> {
        let step = Step::EncryptedNonce;
        let objects = response_objects(response, step)?.only(&[0x80], step)?;
        let z = objects.require(0x80, step)?;
        let cipher = self.config.protocol.cipher;
        let k_pi = self.config.password.key(cipher);
        let s = Zeroizing::new(k_pi.decrypt_zero_iv(z).map_err(|_| PaceError::Malformed {
            step,
            what: format!(
                "encrypted nonce of {} bytes is not a multiple of the cipher block",
                z.len()
            ),
        })?);
        if s.is_empty() {
            return Err(PaceError::Malformed {
                step,
                what: "empty nonce".into(),
            });
        }
        let group = Group::from(self.config.domain);
        let (mapping, data) = match self.config.protocol.mapping {
            Mapping::Generic | Mapping::ChipAuthentication => {
                let secret = group.random_secret(rng);
                let public = secret
                    .public_on(&group.generator())
                    .map_err(|e| PaceError::group(step, e))?;
                (MappingSecret::Generic(secret), public.encode())
            }
            Mapping::Integrated => {
                let mut t = Zeroizing::new(vec![0u8; cipher.key_len()]);
                rng.fill_bytes(&mut t);
                let data = t.to_vec();
                (MappingSecret::Integrated(t), data)
            }
        };
        let cmd = general_authenticate(
            &mrtd_iso7816::tlv::tlv(mrtd_iso7816::Tag(0x81), &data),
            false,
        );
        Ok((
            AwaitingMapping {
                config: self.config,
                group,
                s,
                mapping,
                terminal_mapping_data: data,
            },
            cmd,
        ))
    }
}

/// The terminal's part of the mapping.
enum MappingSecret {
    /// The mapping key pair's secret (GM, CAM).
    Generic(Secret),
    /// The nonce t (IM).
    Integrated(Zeroizing<Vec<u8>>),
}

/// GENERAL AUTHENTICATE 2 (map nonce) has been sent.
pub struct AwaitingMapping {
    config: PaceConfig,
    group: Group,
    s: Zeroizing<Vec<u8>>,
    mapping: MappingSecret,
    terminal_mapping_data: Vec<u8>,
}

impl core::fmt::Debug for AwaitingMapping {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AwaitingMapping(..)")
    }
}

impl AwaitingMapping {
    /// Computes the mapped generator Ĝ and sends the terminal's ephemeral
    /// public key on it in `83`.
    ///
    /// # Errors
    /// [`PaceError`] for a refused step or an invalid chip mapping key.
    pub fn on_response<R: CryptoRng + ?Sized>(
        self,
        response: &ResponseApdu,
        rng: &mut R,
    ) -> Result<(AwaitingKeyAgreement, CommandApdu), PaceError> {
        let step = Step::MapNonce;
        let objects = response_objects(response, step)?.only(&[0x82], step)?;
        let chip_data = objects.require(0x82, step)?;
        let (generator, chip_mapping_key) = match &self.mapping {
            MappingSecret::Generic(secret) => {
                let chip_key = self
                    .group
                    .decode(chip_data)
                    .map_err(|e| PaceError::group(step, e))?;
                // The chip must not echo our own mapping key back.
                if bool::from(chip_data.ct_eq(&self.terminal_mapping_data)) {
                    return Err(PaceError::IdenticalPublicKeys { step });
                }
                let h = secret
                    .agree(&chip_key)
                    .map_err(|e| PaceError::group(step, e))?;
                let generator = self
                    .group
                    .map_generic(&self.s, &h)
                    .map_err(|e| PaceError::group(step, e))?;
                (generator, Some(chip_key))
            }
            MappingSecret::Integrated(t) => {
                // The chip has nothing to contribute to the Integrated
                // Mapping: its mapping data is empty.
                if !chip_data.is_empty() {
                    return Err(PaceError::Malformed {
                        step,
                        what: "non-empty mapping data for the Integrated Mapping".into(),
                    });
                }
                let r = integrated_mapping_prf(
                    self.config.protocol.cipher,
                    &self.s,
                    t,
                    self.group.prime_bits(),
                )
                .map_err(|e| PaceError::Malformed {
                    step,
                    what: e.to_string(),
                })?;
                (
                    self.group
                        .map_integrated(&r)
                        .map_err(|e| PaceError::group(step, e))?,
                    None,
                )
            }
        };
        let secret = self.group.random_secret(rng);
        let public = secret
            .public_on(&generator)
            .map_err(|e| PaceError::group(step, e))?;
        let cmd = general_authenticate(
            &mrtd_iso7816::tlv::tlv(mrtd_iso7816::Tag(0x83), &public.encode()),
            false,
        );
        Ok((
            AwaitingKeyAgreement {
                config: self.config,
                group: self.group,
                secret,
                public,
                chip_mapping_key,
            },
            cmd,
        ))
    }
}

/// GENERAL AUTHENTICATE 3 (key agreement) has been sent.
pub struct AwaitingKeyAgreement {
    config: PaceConfig,
    group: Group,
    secret: Secret,
    public: Element,
    chip_mapping_key: Option<Element>,
}

impl core::fmt::Debug for AwaitingKeyAgreement {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AwaitingKeyAgreement(..)")
    }
}

impl AwaitingKeyAgreement {
    /// Agrees on K with the chip's ephemeral key, derives the session keys
    /// and sends the terminal's authentication token T_IFD in `85`.
    ///
    /// # Errors
    /// [`PaceError`] for a refused step, an invalid key, or a chip key equal
    /// to ours (§4.4.1 step 3: PK_IC ≠ PK_IFD).
    pub fn on_response(
        self,
        response: &ResponseApdu,
    ) -> Result<(AwaitingToken, CommandApdu), PaceError> {
        let step = Step::KeyAgreement;
        let objects = response_objects(response, step)?.only(&[0x84], step)?;
        let chip_bytes = objects.require(0x84, step)?;
        let chip_key = self
            .group
            .decode(chip_bytes)
            .map_err(|e| PaceError::group(step, e))?;
        if chip_key == self.public {
            return Err(PaceError::IdenticalPublicKeys { step });
        }
        let shared = self
            .secret
            .agree(&chip_key)
            .map_err(|e| PaceError::group(step, e))?
            .shared_secret();
        let cipher = self.config.protocol.cipher;
        let ks_mac = SymmetricKey::derive(cipher, &shared, KdfCounter::Mac);
        let oid = self.config.protocol.oid();
        let t_ifd = ks_mac.mac_unpadded(&chip_key.public_key_data_object(&oid));
        let cmd = general_authenticate(
            &mrtd_iso7816::tlv::tlv(mrtd_iso7816::Tag(0x85), &t_ifd),
            true,
        );
        Ok((
            AwaitingToken {
                protocol: self.config.protocol,
                oid,
                shared,
                ks_mac,
                terminal_public: self.public,
                chip_public: chip_key,
                chip_mapping_key: self.chip_mapping_key,
            },
            cmd,
        ))
    }
}

/// GENERAL AUTHENTICATE 4 (mutual authentication) has been sent.
pub struct AwaitingToken {
    protocol: PaceProtocol,
    oid: ObjectIdentifier,
    shared: Zeroizing<Vec<u8>>,
    ks_mac: SymmetricKey,
    terminal_public: Element,
    chip_public: Element,
    chip_mapping_key: Option<Element>,
}

impl core::fmt::Debug for AwaitingToken {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AwaitingToken(..)")
    }
}

/// IV of the encrypted chip authentication data: E(KS_enc, -1), the
/// all-ones block (§4.4.3.5.4).
const CAM_IV_INPUT: [u8; 16] = [0xFF; 16];

impl AwaitingToken {
    /// Verifies the chip's token T_IC (and, for CAM, decrypts its chip
    /// authentication data) and opens secure messaging with SSC 0.
    ///
    /// # Errors
    /// [`PaceError::Refused`] when the chip rejected our token (`6300`: the
    /// password is wrong), [`PaceError::TokenMismatch`] when the chip's
    /// token does not verify, the CAM variants for a missing or malformed
    /// `8A`.
    pub fn on_response(self, response: &ResponseApdu) -> Result<PaceOutcome, PaceError> {
        let step = Step::MutualAuthentication;
        // 87/88: certification authority references (Terminal
        // Authentication), 8A: encrypted chip authentication data (CAM).
        let objects = response_objects(response, step)?.only(&[0x86, 0x87, 0x88, 0x8A], step)?;
        let t_ic = objects.require(0x86, step)?;
        let expected = self
            .ks_mac
            .mac_unpadded(&self.terminal_public.public_key_data_object(&self.oid));
        if !bool::from(expected.ct_eq(t_ic)) {
            return Err(PaceError::TokenMismatch);
        }
        let cipher = self.protocol.cipher;
        let cam = match (self.protocol.mapping, &self.chip_mapping_key) {
            (Mapping::ChipAuthentication, Some(Element::Ec(chip_mapping_key))) => {
                let a_ic = objects.get(0x8A).ok_or(PaceError::CamDataMissing)?;
                let ks_enc = SymmetricKey::derive(cipher, &self.shared, KdfCounter::Enc);
                let ca_ic = decrypt_cam_data(&ks_enc, a_ic)?;
                Some(CamProof {
                    ca_ic,
                    chip_mapping_key: chip_mapping_key.clone(),
                })
            }
            (Mapping::ChipAuthentication, _) => return Err(PaceError::CamDataMissing),
            _ => None,
        };
        let ssc = Ssc::zero(cipher.block_size()).ok_or(PaceError::Malformed {
            step,
            what: "SSC".into(),
        })?;
        let channel = SecureChannel::new(derive_session_cipher(cipher, &self.shared), ssc);
        Ok(PaceOutcome {
            channel,
            protocol: self.protocol,
            chip_ephemeral_key: self.chip_public.encode(),
            cam,
        })
    }
}

/// Decrypts A_IC with AES-CBC, IV = E(KS_enc, -1), and removes the padding.
fn decrypt_cam_data(ks_enc: &SymmetricKey, a_ic: &[u8]) -> Result<Vec<u8>, PaceError> {
    let SymmetricKey::Aes(key) = ks_enc else {
        return Err(PaceError::CamDataMalformed);
    };
    let iv = key.encrypt_block(&CAM_IV_INPUT);
    let plain = Zeroizing::new(
        key.decrypt_cbc(&iv, a_ic)
            .map_err(|_| PaceError::CamDataMalformed)?,
    );
    unpad(&plain, 16)
        .map(<[u8]>::to_vec)
        .ok_or(PaceError::CamDataMalformed)
}

/// What a completed PACE run yields.
pub struct PaceOutcome {
    /// The secure channel (SSC 0).
    pub channel: SecureChannel,
    /// The protocol that ran.
    pub protocol: PaceProtocol,
    /// The chip's ephemeral public key PK_DH,IC (needed later by Terminal
    /// and Chip Authentication).
    pub chip_ephemeral_key: Vec<u8>,
    /// For PACE-CAM: the chip's proof, to be checked against the chip's
    /// static key from a verified EF.CardSecurity.
    pub cam: Option<CamProof>,
}

impl core::fmt::Debug for PaceOutcome {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("PaceOutcome")
            .field("protocol", &self.protocol)
            .field("cam", &self.cam.is_some())
            .finish()
    }
}

/// The chip authentication data of PACE-CAM (§4.4.3.5): CA_IC and the
/// chip's ephemeral mapping key PK_Map,IC.
#[derive(Clone)]
pub struct CamProof {
    ca_ic: Vec<u8>,
    chip_mapping_key: EcPoint,
}

impl CamProof {
    /// §4.4.3.5.2: the chip is authenticated when PK_Map,IC = CA_IC · PK_IC
    /// for its static public key PK_IC. Only meaningful once PK_IC comes
    /// from an EF.CardSecurity whose signature passive authentication
    /// verified.
    #[must_use]
    pub fn verify(&self, static_key: &EcPoint) -> bool {
        if static_key.curve() != self.chip_mapping_key.curve() {
            return false;
        }
        static_key
            .mul_public(&self.ca_ic)
            .is_ok_and(|p| p == self.chip_mapping_key)
    }

    /// CA_IC as sent by the chip.
    #[must_use]
    pub fn chip_authentication_data(&self) -> &[u8] {
        &self.ca_ic
    }

    /// The chip's ephemeral mapping key PK_Map,IC.
    #[must_use]
    pub fn chip_mapping_key(&self) -> &EcPoint {
        &self.chip_mapping_key
    }
}

impl core::fmt::Debug for CamProof {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("CamProof(..)")
    }
}
