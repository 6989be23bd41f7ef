//! The chip-authentication step of a read (Doc 9303-11 §6): Active
//! Authentication and Chip Authentication run after the files are read,
//! and what they did is recorded as [`ChipEvidence`] — unverified. Whether
//! it proves the chip genuine is decided later, against the files passive
//! authentication verified ([`crate::validate`]).

use mrtd_iso7816::{StatusWord, Transport};
use mrtd_lds::security_infos::SecurityInfo;
use mrtd_lds::{Dg14, Dg15, DgNumber, EfId, ParseOptions, SecurityInfos};
use mrtd_protocol::aa::{self, AaPublicKey};
use mrtd_protocol::ca::{CaConfig, CaProgress, CaProtocol, CaPublicKey, ChipAuthentication};
use mrtd_protocol::pace::Mapping;
use mrtd_trust::authenticity::{
    AaEvidence, CaEvidence, CaOutcome, CamEvidence, ChallengeSource, ChipEvidence, Offered,
};
use rand_core::CryptoRng;
use tracing::{info, warn};

use crate::access::AccessKey;
use crate::link::LinkError;
use crate::reader::{Session, SessionError};

impl<T: Transport + ?Sized> Session<'_, '_, T> {
    /// Records what the chip offers, runs Active Authentication and Chip
    /// Authentication as the options allow, and keeps the evidence in the
    /// report. Failures of the protocols are evidence, not errors; only a
    /// transport failure ends the read.
    pub(crate) fn authenticate_chip<R: CryptoRng + ?Sized>(
        &mut self,
        key: &AccessKey,
        rng: &mut R,
    ) -> Result<(), SessionError> {
        let files = &self.report.files;
        let dg14 = DgNumber::new(14)
            .and_then(|n| files.get(&EfId::Dg(n)))
            .and_then(|b| Dg14::parse(b).ok());
        let dg15 = DgNumber::new(15)
            .and_then(|n| files.get(&EfId::Dg(n)))
            .and_then(|b| Dg15::parse(b).ok());
        let ca_choice = dg14.as_ref().and_then(|d| choose_ca(&d.security_infos));
        let cam_offered = self.card_access_offers_cam || self.report.pace_cam.is_some();
        let mut evidence = ChipEvidence {
            offered: Offered {
                aa: dg15.is_some(),
                ca: ca_choice.is_some(),
                cam: cam_offered,
            },
            ..ChipEvidence::default()
        };
        if let Some(proof) = &self.report.pace_cam {
            evidence.cam = Some(CamEvidence {
                curve: proof.chip_mapping_key().curve().name().to_string(),
                chip_authentication_data: proof.chip_authentication_data().to_vec(),
                chip_mapping_key: proof.chip_mapping_key().to_sec1_uncompressed(),
            });
        }
        if self.options.active_authentication
            && let Some(dg15) = &dg15
        {
            evidence.aa = self.active_authentication(dg15, rng)?;
        }
        // PACE-CAM already authenticated the chip; Chip Authentication
        // would only replace the session keys (Doc 9303-11 §6.2).
        let cam_ran = self.access_mapping() == Some(Mapping::ChipAuthentication);
        if self.options.chip_authentication
            && !cam_ran
            && let Some(config) = ca_choice
        {
            evidence.ca = Some(self.chip_authentication(config, key, rng)?);
        }
        self.report.chip_evidence = evidence;
        Ok(())
    }

    /// INTERNAL AUTHENTICATE with the caller's or a random challenge.
    fn active_authentication<R: CryptoRng + ?Sized>(
        &mut self,
        dg15: &Dg15,
        rng: &mut R,
    ) -> Result<Option<AaEvidence>, SessionError> {
        let signature_len = match AaPublicKey::from_spki_der(dg15.public_key.as_der()) {
            Ok(key) => key.signature_len(),
            Err(e) => {
                // The chip is still asked: the verdict reports the bad key.
                warn!(error = %e, "DG15 holds no usable Active Authentication key");
                512
            }
        };
        let (challenge, challenge_source) = match self.options.active_authentication_challenge {
            Some(c) => (c, ChallengeSource::Caller),
            None => {
                let mut c = [0u8; 8];
                rng.fill_bytes(&mut c);
                (c, ChallengeSource::Random)
            }
        };
        let command = aa::internal_authenticate(&challenge, signature_len);
        let (signature, refused) = match self.link.exchange(&command) {
            Ok(r) if r.sw == StatusWord::Success => (r.data, None),
            Ok(r) => (Vec::new(), Some(format!("{:04X}", u16::from(r.sw)))),
            Err(LinkError::ChannelLost(lost)) => {
                // The channel is gone; the files are already read.
                (Vec::new(), Some(format!("secure messaging broke: {lost}")))
            }
            Err(LinkError::Transport(e)) => return Err(e.into()),
            Err(LinkError::CommandRejected(e)) => {
                return Err(SessionError::Internal(e.to_string()));
            }
        };
        info!(
            signature_len = signature.len(),
            refused = refused.is_some(),
            "Active Authentication"
        );
        Ok(Some(AaEvidence {
            challenge: challenge.to_vec(),
            challenge_source,
            signature,
            refused,
        }))
    }

    /// Chip Authentication, then a read under the new keys to confirm it.
    fn chip_authentication<R: CryptoRng + ?Sized>(
        &mut self,
        choice: CaChoice,
        _key: &AccessKey,
        rng: &mut R,
    ) -> Result<CaEvidence, SessionError> {
        let CaChoice { config, spki } = choice;
        let protocol = config.protocol;
        let key_id = config.key_id;
        let mut evidence = CaEvidence {
            protocol: protocol.oid().to_string(),
            key_id,
            chip_public_key: spki,
            terminal_ephemeral_key: Vec::new(),
            outcome: CaOutcome::Refused {
                error: String::new(),
            },
        };
        let (mut state, mut command) = match ChipAuthentication::start(config, rng) {
            Ok(start) => start,
            Err(e) => {
                evidence.outcome = CaOutcome::Refused {
                    error: format!("cannot start: {e}"),
                };
                return Ok(evidence);
            }
        };
        let outcome = loop {
            let response = match self.link.exchange(&command) {
                Ok(r) => r,
                Err(LinkError::ChannelLost(lost)) => {
                    evidence.outcome = CaOutcome::Refused {
                        error: format!("secure messaging broke: {lost}"),
                    };
                    return Ok(evidence);
                }
                Err(LinkError::Transport(e)) => return Err(e.into()),
                Err(LinkError::CommandRejected(e)) => {
                    return Err(SessionError::Internal(e.to_string()));
                }
            };
            match state.on_response(&response) {
                Ok(CaProgress::Continue(next, cmd)) => {
                    state = next;
                    command = cmd;
                }
                Ok(CaProgress::Established(outcome)) => break outcome,
                Err(e) => {
                    evidence.outcome = CaOutcome::Refused {
                        error: e.to_string(),
                    };
                    return Ok(evidence);
                }
            }
        };
        // Secure messaging restarts with the keys of K = KA(ephemeral, PK_IC);
        // only a protected command that succeeds under them proves the chip
        // holds the private key (Doc 9303-11 §6.2.1).
        evidence.terminal_ephemeral_key = outcome.terminal_ephemeral_key;
        self.link.secure(outcome.channel);
        let before = self.report.files.get(&EfId::Com).cloned();
        let confirm = self.reread(EfId::Com);
        evidence.outcome = match confirm {
            Ok(data) if Some(&data) == before.as_ref() => CaOutcome::Confirmed {
                confirmed_by: "EF.COM".into(),
            },
            Ok(_) => CaOutcome::Failed {
                error: "EF.COM read under the new keys differs from the first read".into(),
            },
            Err(e) => CaOutcome::Failed { error: e },
        };
        info!(protocol = %protocol.name(), outcome = ?evidence.outcome, "Chip Authentication");
        Ok(evidence)
    }
}

/// A Chip Authentication the chip offers, resolved.
pub(crate) struct CaChoice {
    config: CaConfig,
    /// The SubjectPublicKeyInfo of the chip key, DER as in DG14.
    spki: Vec<u8>,
}

/// Picks the Chip Authentication protocol and key from DG14
/// (Doc 9303-11 §9.2.6–9.2.7): a ChipAuthenticationInfo whose key id (if
/// any) matches a ChipAuthenticationPublicKeyInfo of the same key
/// agreement; AES before 3DES.
fn choose_ca(infos: &SecurityInfos) -> Option<CaChoice> {
    let keys: Vec<_> = infos
        .infos
        .iter()
        .filter_map(|i| match i {
            SecurityInfo::ChipAuthenticationPublicKey(k) => Some(k),
            _ => None,
        })
        .collect();
    let mut candidates: Vec<CaChoice> = infos
        .infos
        .iter()
        .filter_map(|i| match i {
            SecurityInfo::ChipAuthentication(info) => Some(info),
            _ => None,
        })
        .filter_map(|info| {
            let protocol = CaProtocol::from_oid(&info.protocol.oid())?;
            let key = keys.iter().find(|k| match (info.key_id, k.key_id) {
                (Some(a), Some(b)) => a == b,
                (None, _) => keys.len() == 1 || k.key_id.is_none(),
                (Some(_), None) => keys.len() == 1,
            })?;
            let chip_key = CaPublicKey::from_spki_der(key.public_key.as_der()).ok()?;
            Some(CaChoice {
                config: CaConfig {
                    protocol,
                    chip_key,
                    key_id: info.key_id,
                },
                spki: key.public_key.as_der().to_vec(),
            })
        })
        .collect();
    candidates.sort_by_key(|c| std::cmp::Reverse(c.config.protocol.cipher.key_len()));
    // DG14s without a ChipAuthenticationInfo (CA v1 with 3DES implied,
    // Doc 9303-11 §9.2.6) are rare; they are reported as not offered.
    candidates.into_iter().next()
}

/// Whether EF.CardAccess offers PACE-CAM.
pub(crate) fn card_access_offers_cam(bytes: &[u8]) -> bool {
    SecurityInfos::parse_file(EfId::CardAccess, bytes, ParseOptions::LENIENT)
        .map(|p| {
            p.value.pace_infos().any(|i| {
                mrtd_protocol::pace::PaceProtocol::from_oid(&i.protocol.oid())
                    .is_some_and(|p| p.mapping == Mapping::ChipAuthentication)
            })
        })
        .unwrap_or(false)
}
