//! The chip-authenticity verdict from the recorded evidence and the files
//! passive authentication verified.
//!
//! Each protocol's key is taken from a [`VerifiedFile`] only: DG15 for
//! Active Authentication, DG14 for Chip Authentication (and the ECDSA
//! hash of Active Authentication), EF.CardSecurity for PACE-CAM. A
//! protocol that succeeded with a key from a file passive authentication
//! did not verify counts for nothing (`unknown`), a protocol that failed
//! counts against the chip (`clone-suspected`).

use mrtd_groups::{CurveId, EcPoint, PublicKey};
use mrtd_lds::security_infos::SecurityInfo;
use mrtd_lds::{CardSecurity, Dg14, Dg15, SecurityInfos};
use mrtd_protocol::aa::{self, AaDigest, AaPublicKey, AaScheme};
use serde::{Deserialize, Serialize};

use super::evidence::{CaOutcome, ChipEvidence};
use super::report::{AuthenticityReport, AuthenticityVerdict};
use super::verified::VerifiedFile;
use crate::report::Checks;

/// What is acceptable; serialised into the report so that a verifier
/// elsewhere evaluates with the same rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthenticityPolicy {
    /// Which protocol decides when several proved the chip: the default is
    /// PACE-CAM, then Chip Authentication, then Active Authentication.
    pub preference: Vec<ChipProtocol>,
    /// RSA Active Authentication keys shorter than this fail.
    pub rsa_min_bits: usize,
    /// RSA Active Authentication keys shorter than this warn.
    pub rsa_warn_bits: usize,
    /// The hashes Active Authentication may use; a signature with another
    /// hash is rejected by policy (the check fails, the chip is not
    /// suspected). The chip, not the terminal, chooses the hash: DG15's
    /// key has one scheme, so SHA-1 is allowed by default where the chip
    /// offers nothing else.
    pub aa_digests: Vec<AaDigest>,
    /// SHA-1 in Active Authentication warns.
    pub warn_sha1: bool,
    /// Whether a chip that offers none of the protocols is acceptable
    /// ([`AuthenticityReport::acceptable`]). Doc 9303 makes all three
    /// optional, so older passports have none; a desk that must exclude
    /// copies sets this to `false`.
    pub accept_not_supported: bool,
}

impl Default for AuthenticityPolicy {
    fn default() -> Self {
        Self {
            preference: vec![ChipProtocol::PaceCam, ChipProtocol::Ca, ChipProtocol::Aa],
            rsa_min_bits: 1024,
            rsa_warn_bits: 2048,
            aa_digests: AaDigest::ALL.to_vec(),
            warn_sha1: true,
            accept_not_supported: true,
        }
    }
}

/// The three chip-authentication protocols.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ChipProtocol {
    /// PACE with the Chip Authentication Mapping.
    #[serde(rename = "PACE-CAM")]
    PaceCam,
    /// Chip Authentication.
    #[serde(rename = "CA")]
    Ca,
    /// Active Authentication.
    #[serde(rename = "AA")]
    Aa,
}

impl ChipProtocol {
    /// `PACE-CAM`, `CA` or `AA`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::PaceCam => "PACE-CAM",
            Self::Ca => "CA",
            Self::Aa => "AA",
        }
    }

    fn check_id(self) -> &'static str {
        match self {
            Self::PaceCam => "chip.cam",
            Self::Ca => "chip.ca",
            Self::Aa => "chip.aa",
        }
    }
}

/// The verified files the keys come from.
#[derive(Clone, Copy, Debug, Default)]
pub struct VerifiedKeys<'a> {
    /// DG14, verified.
    pub dg14: Option<&'a VerifiedFile>,
    /// DG15, verified.
    pub dg15: Option<&'a VerifiedFile>,
    /// EF.CardSecurity, verified.
    pub card_security: Option<&'a VerifiedFile>,
}

/// How one protocol came out.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Outcome {
    /// It did not run.
    NotRun(String),
    /// It proved a key from a verified file; `anchored` as that file.
    Proven {
        anchored: bool,
        source: &'static str,
    },
    /// It ran, but its key file is not verified.
    KeyUnverified(String),
    /// It failed: the chip does not have the key the document vouches for.
    Failed(String),
    /// It proved the key, but the policy does not accept the key or hash.
    Rejected(String),
}

/// Evaluates the evidence against the verified files.
#[must_use]
pub fn evaluate(
    evidence: &ChipEvidence,
    keys: VerifiedKeys<'_>,
    policy: &AuthenticityPolicy,
) -> AuthenticityReport {
    let mut checks = Checks::default();
    let cam = cam_outcome(evidence, keys);
    let ca = ca_outcome(evidence, keys);
    let aa = aa_outcome(evidence, keys, policy, &mut checks);
    let mut outcomes = [
        (ChipProtocol::PaceCam, cam),
        (ChipProtocol::Ca, ca),
        (ChipProtocol::Aa, aa),
    ];
    outcomes.sort_by_key(|(p, _)| {
        policy
            .preference
            .iter()
            .position(|q| q == p)
            .unwrap_or(usize::MAX)
    });

    for (protocol, outcome) in &outcomes {
        let id = protocol.check_id();
        // A policy warning about the AA key was already recorded for chip.aa.
        if checks.get(id).is_some() {
            continue;
        }
        match outcome {
            Outcome::NotRun(why) => checks.not_checked(id, why.clone()),
            Outcome::Proven { source, .. } => {
                checks.pass(
                    id,
                    format!(
                        "{} proved the chip holds the private key of the key in {source}",
                        protocol.name()
                    ),
                );
            }
            Outcome::KeyUnverified(why) => checks.not_checked(id, why.clone()),
            Outcome::Failed(why) | Outcome::Rejected(why) => checks.fail(id, why.clone()),
        }
    }

    let failed: Vec<_> = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Failed(_)))
        .map(|(p, _)| *p)
        .collect();
    let proven = outcomes
        .iter()
        .find(|(_, o)| matches!(o, Outcome::Proven { .. }));
    let offered = evidence.offered.aa || evidence.offered.ca || evidence.offered.cam;
    let (verdict, decided_by) = if let Some(first) = failed.first() {
        checks.fail(
            "chip.key-source",
            format!("{} failed: the chip may be a copy", first.name()),
        );
        (AuthenticityVerdict::CloneSuspected, Some(first.name()))
    } else if let Some((protocol, Outcome::Proven { anchored, source })) = proven {
        if *anchored {
            checks.pass("chip.key-source", format!("{}'s key comes from {source}, verified by passive authentication up to a trusted CSCA", protocol.name()));
            (AuthenticityVerdict::Genuine, Some(protocol.name()))
        } else {
            checks.warn(
                "chip.key-source",
                format!(
                    "{}'s key comes from {source}, which is intact but signed by a Document Signer without a trust anchor: import the issuing state's CSCA",
                    protocol.name()
                ),
            );
            (AuthenticityVerdict::Unknown, Some(protocol.name()))
        }
    } else if let Some((protocol, Outcome::Rejected(_))) = outcomes
        .iter()
        .find(|(_, o)| matches!(o, Outcome::Rejected(_)))
    {
        checks.not_checked(
            "chip.key-source",
            format!(
                "{} was rejected by policy and no other protocol proved the chip",
                protocol.name()
            ),
        );
        (AuthenticityVerdict::Unknown, None)
    } else if !offered {
        checks.not_checked(
            "chip.key-source",
            "the chip offers none of PACE-CAM, Chip Authentication and Active Authentication",
        );
        (AuthenticityVerdict::NotSupported, None)
    } else {
        checks.not_checked(
            "chip.key-source",
            "no protocol proved a key that passive authentication verified (DG14, DG15 or EF.CardSecurity missing, unverified or not covered by the SOD)",
        );
        (AuthenticityVerdict::Unknown, None)
    };
    AuthenticityReport {
        schema: AuthenticityReport::SCHEMA,
        verdict,
        decided_by,
        checks,
        evidence: evidence.clone(),
        policy: policy.clone(),
    }
}

fn cam_outcome(evidence: &ChipEvidence, keys: VerifiedKeys<'_>) -> Outcome {
    let Some(cam) = &evidence.cam else {
        return Outcome::NotRun(if evidence.offered.cam {
            "the chip offers PACE-CAM but it did not run".into()
        } else {
            "PACE-CAM not offered".into()
        });
    };
    let Some(file) = keys.card_security else {
        return Outcome::KeyUnverified(
            "PACE-CAM ran, but EF.CardSecurity was not read or its signature did not verify: the chip's key cannot be checked".into(),
        );
    };
    let Some(curve) = CurveId::ALL.into_iter().find(|c| c.name() == cam.curve) else {
        return Outcome::Failed(format!("PACE-CAM on an unknown curve {:?}", cam.curve));
    };
    let infos = match CardSecurity::parse(file.bytes()) {
        Ok(cs) => cs.security_infos().clone(),
        Err(e) => {
            return Outcome::Failed(format!(
                "EF.CardSecurity verified but its SecurityInfos do not parse: {e}"
            ));
        }
    };
    let Ok(mapping_key) = EcPoint::from_sec1(curve, &cam.chip_mapping_key) else {
        return Outcome::Failed(
            "the chip's PACE-CAM mapping key is not a point of the curve".into(),
        );
    };
    let static_keys = ec_chip_keys(&infos, curve);
    if static_keys.is_empty() {
        return Outcome::Failed(format!(
            "EF.CardSecurity has no Chip Authentication key on {}",
            curve.name()
        ));
    }
    // §4.4.3.5.2: PK_Map,IC = CA_IC · PK_IC.
    let matches = static_keys.iter().any(|pk| {
        pk.mul_public(&cam.chip_authentication_data)
            .is_ok_and(|p| p == mapping_key)
    });
    if matches {
        Outcome::Proven {
            anchored: file.anchored(),
            source: "EF.CardSecurity",
        }
    } else {
        Outcome::Failed("the chip's PACE-CAM data does not match the Chip Authentication key in EF.CardSecurity: it does not hold the signed key".into())
    }
}

/// The EC Chip Authentication public keys of `infos` on `curve`.
fn ec_chip_keys(infos: &SecurityInfos, curve: CurveId) -> Vec<EcPoint> {
    infos
        .infos
        .iter()
        .filter_map(|i| match i {
            SecurityInfo::ChipAuthenticationPublicKey(k) => Some(k.public_key.as_der().to_vec()),
            _ => None,
        })
        .filter_map(|der| spki_public_key(&der))
        .filter_map(|k| match k {
            PublicKey::Ec(p) if p.curve() == curve => Some(p),
            _ => None,
        })
        .collect()
}

fn spki_public_key(der: &[u8]) -> Option<PublicKey> {
    use der::Decode;
    let spki = spki::SubjectPublicKeyInfoRef::from_der(der).ok()?;
    mrtd_groups::public_key_from_spki(&spki).ok()
}

fn ca_outcome(evidence: &ChipEvidence, keys: VerifiedKeys<'_>) -> Outcome {
    let Some(ca) = &evidence.ca else {
        return Outcome::NotRun(if evidence.offered.ca {
            "the chip offers Chip Authentication but it did not run".into()
        } else {
            "Chip Authentication not offered (no DG14 key)".into()
        });
    };
    match &ca.outcome {
        CaOutcome::Failed { error } => {
            return Outcome::Failed(format!(
                "Chip Authentication failed: {error}; the chip does not hold the DG14 key"
            ));
        }
        CaOutcome::Refused { error } => {
            return Outcome::Failed(format!(
                "the chip refused Chip Authentication although DG14 offers it: {error}"
            ));
        }
        CaOutcome::Confirmed { .. } => {}
    }
    let Some(file) = keys.dg14 else {
        return Outcome::KeyUnverified(
            "Chip Authentication succeeded, but DG14 is not covered by a verified EF.SOD: the key it used is not vouched for".into(),
        );
    };
    let Ok(dg14) = Dg14::parse(file.bytes()) else {
        return Outcome::Failed("DG14 verified but does not parse".into());
    };
    let listed = dg14.security_infos.infos.iter().any(|i| match i {
        SecurityInfo::ChipAuthenticationPublicKey(k) => {
            k.public_key.as_der() == ca.chip_public_key.as_slice()
        }
        _ => false,
    });
    if listed {
        Outcome::Proven {
            anchored: file.anchored(),
            source: "DG14",
        }
    } else {
        Outcome::Failed(
            "Chip Authentication ran with a key that the verified DG14 does not contain".into(),
        )
    }
}

fn aa_outcome(
    evidence: &ChipEvidence,
    keys: VerifiedKeys<'_>,
    policy: &AuthenticityPolicy,
    checks: &mut Checks,
) -> Outcome {
    let Some(ev) = &evidence.aa else {
        return Outcome::NotRun(if evidence.offered.aa {
            "the chip offers Active Authentication but it did not run".into()
        } else {
            "Active Authentication not offered (no DG15)".into()
        });
    };
    if let Some(sw) = &ev.refused {
        return Outcome::Failed(format!(
            "the chip refused INTERNAL AUTHENTICATE ({sw}) although DG15 offers Active Authentication"
        ));
    }
    let Some(file) = keys.dg15 else {
        return Outcome::KeyUnverified("Active Authentication ran, but DG15 is not covered by a verified EF.SOD: its key is not vouched for".into());
    };
    let key = match Dg15::parse(file.bytes())
        .map_err(|e| e.to_string())
        .and_then(|d| AaPublicKey::from_spki_der(d.public_key.as_der()).map_err(|e| e.to_string()))
    {
        Ok(k) => k,
        Err(e) => return Outcome::Failed(format!("the verified DG15 holds no usable key: {e}")),
    };
    // ECDSA needs the hash DG14's ActiveAuthenticationInfo names, and DG14
    // must be verified for that choice to count.
    let ecdsa_digest = match (&key, keys.dg14) {
        (AaPublicKey::Ec(_), Some(dg14)) => Dg14::parse(dg14.bytes())
            .ok()
            .and_then(|d| {
                d.security_infos
                    .active_authentication()
                    .map(|i| i.signature_algorithm)
            })
            .and_then(|oid| AaDigest::from_signature_algorithm_oid(&oid)),
        _ => None,
    };
    if matches!(key, AaPublicKey::Ec(_)) && ecdsa_digest.is_none() {
        return Outcome::KeyUnverified(
            "DG15 holds an EC key, but no verified DG14 names the ECDSA hash (ActiveAuthenticationInfo)".into(),
        );
    }
    match aa::verify(&key, &ev.challenge, &ev.signature, ecdsa_digest) {
        Ok(v) => {
            let mut notes = Vec::new();
            if let AaPublicKey::Rsa(_) = key {
                if v.key_bits < policy.rsa_min_bits {
                    return Outcome::Rejected(format!(
                        "RSA Active Authentication key of {} bits (policy minimum {})",
                        v.key_bits, policy.rsa_min_bits
                    ));
                }
                if v.key_bits < policy.rsa_warn_bits {
                    notes.push(format!(
                        "RSA key of {} bits (under {})",
                        v.key_bits, policy.rsa_warn_bits
                    ));
                }
            }
            let digest = match v.scheme {
                AaScheme::Iso9796_2 { digest, .. } | AaScheme::EcdsaPlain { digest } => digest,
            };
            if !policy.aa_digests.contains(&digest) {
                return Outcome::Rejected(format!(
                    "Active Authentication with {digest}, which the policy does not allow"
                ));
            }
            if digest == AaDigest::Sha1 && policy.warn_sha1 {
                notes.push("SHA-1".into());
            }
            if !notes.is_empty() {
                checks.warn(
                    "chip.aa",
                    format!(
                        "AA proved the chip holds the DG15 key, with reservations: {}",
                        notes.join(", ")
                    ),
                );
            }
            Outcome::Proven {
                anchored: file.anchored(),
                source: "DG15",
            }
        }
        Err(e) => Outcome::Failed(format!(
            "the chip's Active Authentication signature does not verify with the DG15 key: {e}"
        )),
    }
}
