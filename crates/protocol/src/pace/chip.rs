//! The chip side of PACE, for the virtual passport and for tests that
//! play the chip (Doc 9303-11 §4.4, the chip's column of Figure 1).

use mrtd_groups::{DomainParameters, EcSecret};
use mrtd_iso7816::tlv::{self, Tag, TlvIter};
use mrtd_iso7816::{CommandApdu, ResponseApdu, StatusWord};
use rand_core::CryptoRng;
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::group::{Element, Group, Secret};
use super::messages::{DynamicAuthenticationData, Step};
use super::password::PacePassword;
use super::prf::integrated_mapping_prf;
use super::protocol::{Mapping, PaceProtocol};
use crate::crypto::{KdfCounter, SymmetricKey, padded};
use crate::sm::{ChipSession, Ssc, derive_session_cipher};

/// One protocol and parameter set the chip offers (one PACEInfo).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfferedPace {
    /// The protocol.
    pub protocol: PaceProtocol,
    /// Its domain parameters.
    pub domain: DomainParameters,
    /// The standardized parameter identifier announced for them.
    pub parameter_id: u8,
}

/// How strictly the chip treats the parameter identifier `84` of MSE:Set AT
/// (real chips differ, §4.4.4.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ParameterIdPolicy {
    /// Accept it present or absent (Doc 9303).
    #[default]
    Optional,
    /// Refuse MSE:Set AT without it (`6A80`).
    Required,
    /// Refuse MSE:Set AT with it (`6A80`).
    Forbidden,
}

/// What the chip is personalised with for PACE.
#[derive(Clone)]
pub struct ChipPaceSetup {
    /// What EF.CardAccess offers.
    pub offered: Vec<OfferedPace>,
    /// The passwords the chip knows (MRZ information, CAN, …).
    pub passwords: Vec<PacePassword>,
    /// The static Chip Authentication key, required for PACE-CAM.
    pub chip_authentication_key: Option<EcSecret>,
    /// Treatment of `84` in MSE:Set AT.
    pub parameter_id_policy: ParameterIdPolicy,
}

impl core::fmt::Debug for ChipPaceSetup {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ChipPaceSetup")
            .field("offered", &self.offered)
            .finish_non_exhaustive()
    }
}

/// The chip's PACE state between commands.
enum State {
    Idle,
    Selected {
        offer: OfferedPace,
        key: SymmetricKey,
    },
    NonceSent {
        offer: OfferedPace,
        s: Zeroizing<Vec<u8>>,
    },
    Mapped {
        offer: OfferedPace,
        generator: Element,
        mapping_secret: Option<Secret>,
    },
    Agreed {
        offer: OfferedPace,
        shared: Zeroizing<Vec<u8>>,
        terminal_key: Element,
        chip_key: Element,
        mapping_secret: Option<Secret>,
    },
}

/// What a GENERAL AUTHENTICATE step produced.
pub enum ChipStep {
    /// Answer and wait for the next step.
    Continue(ResponseApdu),
    /// PACE succeeded: answer (unprotected) and use this session from the
    /// next command on.
    Established(ResponseApdu, ChipSession),
}

/// The chip side of PACE.
pub struct ChipPace {
    setup: ChipPaceSetup,
    state: State,
}

impl core::fmt::Debug for ChipPace {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ChipPace(..)")
    }
}

fn status(sw: StatusWord) -> ResponseApdu {
    ResponseApdu::status(sw)
}

fn objects_response(objects: &[u8]) -> ResponseApdu {
    ResponseApdu::new(tlv::tlv(Tag(0x7C), objects), StatusWord::Success)
}

impl ChipPace {
    /// A chip personalised with `setup`, no protocol selected.
    #[must_use]
    pub fn new(setup: ChipPaceSetup) -> Self {
        Self {
            setup,
            state: State::Idle,
        }
    }

    /// Forgets any run in progress (power off, a failed step).
    pub fn reset(&mut self) {
        self.state = State::Idle;
    }

    /// MSE:Set AT (`00 22 C1 A4`): selects protocol, password and
    /// parameters for the next GENERAL AUTHENTICATE chain.
    pub fn mse_set_at(&mut self, command: &CommandApdu) -> ResponseApdu {
        self.state = State::Idle;
        let (mut oid, mut password_ref, mut parameter_id) = (None, None, None);
        for item in TlvIter::new(command.data()) {
            let Ok((_, obj)) = item else {
                return status(StatusWord::IncorrectData);
            };
            match obj.tag {
                Tag(0x80) => oid = const_oid::ObjectIdentifier::from_bytes(obj.value).ok(),
                Tag(0x83) => password_ref = obj.value.first().copied(),
                Tag(0x84) => parameter_id = obj.value.first().copied(),
                // §4.4.4.1 Note 2: unknown objects are ignored.
                _ => {}
            }
        }
        match (self.setup.parameter_id_policy, parameter_id) {
            (ParameterIdPolicy::Required, None) | (ParameterIdPolicy::Forbidden, Some(_)) => {
                return status(StatusWord::IncorrectData);
            }
            _ => {}
        }
        let Some(protocol) = oid.as_ref().and_then(PaceProtocol::from_oid) else {
            return status(StatusWord::IncorrectData);
        };
        let offer = self
            .setup
            .offered
            .iter()
            .find(|o| o.protocol == protocol && parameter_id.is_none_or(|id| id == o.parameter_id))
            .cloned();
        let Some(offer) = offer else {
            return status(StatusWord::ReferencedDataNotFound);
        };
        let Some(password) = self
            .setup
            .passwords
            .iter()
            .find(|p| Some(p.reference()) == password_ref)
        else {
            return status(StatusWord::ReferencedDataNotFound);
        };
        if offer.protocol.mapping == Mapping::ChipAuthentication
            && self.setup.chip_authentication_key.is_none()
        {
            return status(StatusWord::ReferencedDataNotFound);
        }
        let key = password.key(offer.protocol.cipher);
        self.state = State::Selected { offer, key };
        status(StatusWord::Success)
    }

    /// One GENERAL AUTHENTICATE of the PACE chain.
    pub fn general_authenticate<R: CryptoRng + ?Sized>(
        &mut self,
        command: &CommandApdu,
        rng: &mut R,
    ) -> ChipStep {
        let state = core::mem::replace(&mut self.state, State::Idle);
        match self.step(state, command, rng) {
            Ok((next, step)) => {
                self.state = next;
                step
            }
            // Any failure ends the run; the terminal must start over.
            Err(sw) => ChipStep::Continue(status(sw)),
        }
    }

    fn step<R: CryptoRng + ?Sized>(
        &self,
        state: State,
        command: &CommandApdu,
        rng: &mut R,
    ) -> Result<(State, ChipStep), StatusWord> {
        let bad = |_| StatusWord::IncorrectData;
        match state {
            State::Idle => Err(StatusWord::ConditionsOfUseNotSatisfied),
            State::Selected { offer, key } => {
                DynamicAuthenticationData::parse(command.data(), Step::EncryptedNonce)
                    .map_err(bad)?;
                // s: the smallest multiple of the block size ≥ the key size.
                let cipher = offer.protocol.cipher;
                let len = cipher.key_len().div_ceil(cipher.block_size()) * cipher.block_size();
                let mut s = Zeroizing::new(vec![0u8; len.max(16)]);
                rng.fill_bytes(&mut s);
                let z = key
                    .encrypt_zero_iv(&s)
                    .map_err(|_| StatusWord::ExecutionError)?;
                Ok((
                    State::NonceSent { offer, s },
                    ChipStep::Continue(objects_response(&tlv::tlv(Tag(0x80), &z))),
                ))
            }
            State::NonceSent { offer, s } => {
                let objects = DynamicAuthenticationData::parse(command.data(), Step::MapNonce)
                    .map_err(bad)?;
                let data = objects.get(0x81).ok_or(StatusWord::IncorrectData)?;
                let group = Group::from(offer.domain);
                match offer.protocol.mapping {
                    Mapping::Generic | Mapping::ChipAuthentication => {
                        let terminal_key =
                            group.decode(data).map_err(|_| StatusWord::IncorrectData)?;
                        let secret = group.random_secret(rng);
                        let public = secret
                            .public_on(&group.generator())
                            .map_err(|_| StatusWord::ExecutionError)?;
                        let h = secret
                            .agree(&terminal_key)
                            .map_err(|_| StatusWord::IncorrectData)?;
                        let generator = group
                            .map_generic(&s, &h)
                            .map_err(|_| StatusWord::IncorrectData)?;
                        let answer = objects_response(&tlv::tlv(Tag(0x82), &public.encode()));
                        Ok((
                            State::Mapped {
                                offer,
                                generator,
                                mapping_secret: Some(secret),
                            },
                            ChipStep::Continue(answer),
                        ))
                    }
                    Mapping::Integrated => {
                        let r = integrated_mapping_prf(
                            offer.protocol.cipher,
                            &s,
                            data,
                            group.prime_bits(),
                        )
                        .map_err(|_| StatusWord::IncorrectData)?;
                        let generator = group
                            .map_integrated(&r)
                            .map_err(|_| StatusWord::IncorrectData)?;
                        let answer = objects_response(&tlv::tlv(Tag(0x82), &[]));
                        Ok((
                            State::Mapped {
                                offer,
                                generator,
                                mapping_secret: None,
                            },
                            ChipStep::Continue(answer),
                        ))
                    }
                }
            }
            State::Mapped {
                offer,
                generator,
                mapping_secret,
            } => {
                let objects = DynamicAuthenticationData::parse(command.data(), Step::KeyAgreement)
                    .map_err(bad)?;
                let data = objects.get(0x83).ok_or(StatusWord::IncorrectData)?;
                let group = Group::from(offer.domain);
                let terminal_key = group.decode(data).map_err(|_| StatusWord::IncorrectData)?;
                let secret = group.random_secret(rng);
                let chip_key = secret
                    .public_on(&generator)
                    .map_err(|_| StatusWord::ExecutionError)?;
                if chip_key == terminal_key {
                    return Err(StatusWord::IncorrectData);
                }
                let shared = secret
                    .agree(&terminal_key)
                    .map_err(|_| StatusWord::IncorrectData)?
                    .shared_secret();
                let answer = objects_response(&tlv::tlv(Tag(0x84), &chip_key.encode()));
                Ok((
                    State::Agreed {
                        offer,
                        shared,
                        terminal_key,
                        chip_key,
                        mapping_secret,
                    },
                    ChipStep::Continue(answer),
                ))
            }
            State::Agreed {
                offer,
                shared,
                terminal_key,
                chip_key,
                mapping_secret,
            } => {
                let objects =
                    DynamicAuthenticationData::parse(command.data(), Step::MutualAuthentication)
                        .map_err(bad)?;
                let t_ifd = objects.get(0x85).ok_or(StatusWord::IncorrectData)?;
                let cipher = offer.protocol.cipher;
                let oid = offer.protocol.oid();
                let ks_mac = SymmetricKey::derive(cipher, &shared, KdfCounter::Mac);
                let expected = ks_mac.mac_unpadded(&chip_key.public_key_data_object(&oid));
                if !bool::from(expected.ct_eq(t_ifd)) {
                    // §4.4.4.2: "authentication failed".
                    return Err(StatusWord::VerificationFailed);
                }
                let mut answer = tlv::tlv(
                    Tag(0x86),
                    &ks_mac.mac_unpadded(&terminal_key.public_key_data_object(&oid)),
                );
                if offer.protocol.mapping == Mapping::ChipAuthentication {
                    let a_ic = self.chip_authentication_data(
                        &shared,
                        offer.protocol,
                        mapping_secret.as_ref(),
                    )?;
                    answer.extend(tlv::tlv(Tag(0x8A), &a_ic));
                }
                let ssc = Ssc::zero(cipher.block_size()).ok_or(StatusWord::ExecutionError)?;
                let session = ChipSession::new(derive_session_cipher(cipher, &shared), ssc);
                Ok((
                    State::Idle,
                    ChipStep::Established(objects_response(&answer), session),
                ))
            }
        }
    }

    /// A_IC = E(KS_enc, pad(CA_IC)) with IV = E(KS_enc, -1), where
    /// CA_IC = SK_IC⁻¹ · SK_Map,IC mod n (§4.4.3.5.1).
    fn chip_authentication_data(
        &self,
        shared: &[u8],
        protocol: PaceProtocol,
        mapping_secret: Option<&Secret>,
    ) -> Result<Vec<u8>, StatusWord> {
        let (Some(static_key), Some(Secret::Ec(mapping))) =
            (&self.setup.chip_authentication_key, mapping_secret)
        else {
            return Err(StatusWord::ConditionsOfUseNotSatisfied);
        };
        let ca_ic = static_key
            .invert()
            .mul_mod_n(mapping)
            .map_err(|_| StatusWord::ExecutionError)?;
        let SymmetricKey::Aes(ks_enc) =
            SymmetricKey::derive(protocol.cipher, shared, KdfCounter::Enc)
        else {
            return Err(StatusWord::ConditionsOfUseNotSatisfied);
        };
        let iv = ks_enc.encrypt_block(&[0xFF; 16]);
        let plain = Zeroizing::new(padded(&ca_ic.to_bytes(), 16));
        ks_enc
            .encrypt_cbc(&iv, &plain)
            .map_err(|_| StatusWord::ExecutionError)
    }
}
