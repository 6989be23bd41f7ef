//! PACE protocol identifiers (Doc 9303-11 §9.2.3 and Tables 2–3, BSI
//! TR-03110-3 §A.1.1): which key agreement, which mapping, which cipher.

use core::fmt;

use const_oid::ObjectIdentifier;
use serde::Serialize;

use crate::crypto::SmAlgorithm;

/// id-PACE: `bsi-de protocols(2) smartcard(2) 4`.
pub const ID_PACE: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.4");

/// Diffie-Hellman over a prime field or over an elliptic curve.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum KeyAgreement {
    /// Finite-field Diffie-Hellman.
    #[serde(rename = "DH")]
    Dh,
    /// Elliptic-curve Diffie-Hellman.
    #[serde(rename = "ECDH")]
    Ecdh,
}

/// How the nonce is mapped to an ephemeral generator (§4.4.3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Mapping {
    /// Generic Mapping: an anonymous Diffie-Hellman gives H; Ĝ = s·G + H.
    #[serde(rename = "GM")]
    Generic,
    /// Integrated Mapping: Ĝ = f_G(R_p(s, t)).
    #[serde(rename = "IM")]
    Integrated,
    /// Chip Authentication Mapping: Generic Mapping plus the chip's proof of
    /// its static key (ECDH and AES only).
    #[serde(rename = "CAM")]
    ChipAuthentication,
}

/// A PACE protocol: key agreement, mapping and secure-messaging cipher.
/// It serialises as its [name](PaceProtocol::name), e.g. `"ECDH-GM-AES-128"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct PaceProtocol {
    /// DH or ECDH.
    pub key_agreement: KeyAgreement,
    /// GM, IM or CAM.
    pub mapping: Mapping,
    /// The cipher of the tokens and of secure messaging.
    pub cipher: SmAlgorithm,
}

impl PaceProtocol {
    /// Every protocol Doc 9303-11 Tables 2 and 3 define.
    #[must_use]
    pub fn all() -> Vec<PaceProtocol> {
        let mut all = Vec::new();
        for key_agreement in [KeyAgreement::Dh, KeyAgreement::Ecdh] {
            for mapping in [
                Mapping::Generic,
                Mapping::Integrated,
                Mapping::ChipAuthentication,
            ] {
                for cipher in [
                    SmAlgorithm::Tdes,
                    SmAlgorithm::Aes128,
                    SmAlgorithm::Aes192,
                    SmAlgorithm::Aes256,
                ] {
                    let p = PaceProtocol {
                        key_agreement,
                        mapping,
                        cipher,
                    };
                    if p.is_defined() {
                        all.push(p);
                    }
                }
            }
        }
        all
    }

    /// CAM exists only with ECDH and AES (§4.4.3, Note 1).
    fn is_defined(self) -> bool {
        self.mapping != Mapping::ChipAuthentication
            || (self.key_agreement == KeyAgreement::Ecdh && self.cipher != SmAlgorithm::Tdes)
    }

    /// The protocol an OID names, if it is a PACE OID this crate knows.
    #[must_use]
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        let arcs: Vec<u32> = oid.arcs().collect();
        let (prefix, rest) = arcs.split_at_checked(arcs.len().checked_sub(2)?)?;
        if ObjectIdentifier::from_arcs(prefix.iter().copied()).ok()? != ID_PACE {
            return None;
        }
        let (key_agreement, mapping) = match rest[0] {
            1 => (KeyAgreement::Dh, Mapping::Generic),
            2 => (KeyAgreement::Ecdh, Mapping::Generic),
            3 => (KeyAgreement::Dh, Mapping::Integrated),
            4 => (KeyAgreement::Ecdh, Mapping::Integrated),
            6 => (KeyAgreement::Ecdh, Mapping::ChipAuthentication),
            _ => return None,
        };
        let cipher = match rest[1] {
            1 => SmAlgorithm::Tdes,
            2 => SmAlgorithm::Aes128,
            3 => SmAlgorithm::Aes192,
            4 => SmAlgorithm::Aes256,
            _ => return None,
        };
        let p = PaceProtocol {
            key_agreement,
            mapping,
            cipher,
        };
        p.is_defined().then_some(p)
    }

    /// The protocol's OID, e.g. `0.4.0.127.0.7.2.2.4.2.2` for
    /// id-PACE-ECDH-GM-AES-CBC-CMAC-128.
    #[must_use]
    pub fn oid(self) -> ObjectIdentifier {
        let family = match (self.key_agreement, self.mapping) {
            (KeyAgreement::Dh, Mapping::Generic) => 1,
            (KeyAgreement::Ecdh, Mapping::Generic) => 2,
            (KeyAgreement::Dh, Mapping::Integrated) => 3,
            (KeyAgreement::Ecdh, Mapping::Integrated) => 4,
            // DH-CAM does not exist; `is_defined` keeps it out of `all()`.
            (_, Mapping::ChipAuthentication) => 6,
        };
        let cipher = match self.cipher {
            SmAlgorithm::Tdes => 1,
            SmAlgorithm::Aes128 => 2,
            SmAlgorithm::Aes192 => 3,
            SmAlgorithm::Aes256 => 4,
        };
        // `ID_PACE` has room for two more arcs; this cannot fail.
        ID_PACE
            .push_arc(family)
            .and_then(|o| o.push_arc(cipher))
            .unwrap_or(ID_PACE)
    }

    /// A ranking for choosing among offered protocols: CAM over IM over GM,
    /// ECDH over DH, stronger ciphers first.
    #[must_use]
    pub fn strength(self) -> u32 {
        let mapping = match self.mapping {
            Mapping::ChipAuthentication => 300,
            Mapping::Integrated => 200,
            Mapping::Generic => 100,
        };
        let ka = match self.key_agreement {
            KeyAgreement::Ecdh => 20,
            KeyAgreement::Dh => 10,
        };
        let cipher = match self.cipher {
            SmAlgorithm::Tdes => 0,
            SmAlgorithm::Aes128 => 1,
            SmAlgorithm::Aes192 => 2,
            SmAlgorithm::Aes256 => 3,
        };
        mapping + ka + cipher
    }
}

/// Whether `protocol` can run on `domain`: the Integrated Mapping's point
/// encoding (Doc 9303-11 Appendix B, Brier et al.) needs p ≡ 3 mod 4, which
/// rules out P-224 among the standardized curves.
#[must_use]
pub fn is_usable(protocol: PaceProtocol, domain: mrtd_groups::DomainParameters) -> bool {
    let key_agreement_matches = matches!(
        (protocol.key_agreement, domain),
        (KeyAgreement::Dh, mrtd_groups::DomainParameters::Dh(_))
            | (KeyAgreement::Ecdh, mrtd_groups::DomainParameters::Ec(_))
    );
    key_agreement_matches
        && !(protocol.mapping == Mapping::Integrated
            && domain == mrtd_groups::DomainParameters::Ec(mrtd_groups::CurveId::P224))
}

impl PaceProtocol {
    /// The short name used in profiles and on the command line, e.g.
    /// `ECDH-GM-AES-128`, `DH-IM-3DES`, `ECDH-CAM-AES-256`.
    #[must_use]
    pub fn name(self) -> String {
        let ka = match self.key_agreement {
            KeyAgreement::Dh => "DH",
            KeyAgreement::Ecdh => "ECDH",
        };
        let mapping = match self.mapping {
            Mapping::Generic => "GM",
            Mapping::Integrated => "IM",
            Mapping::ChipAuthentication => "CAM",
        };
        format!("{ka}-{mapping}-{}", self.cipher)
    }
}

impl fmt::Display for PaceProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PACE {}", self.name())
    }
}

impl From<PaceProtocol> for String {
    fn from(p: PaceProtocol) -> String {
        p.name()
    }
}

impl TryFrom<String> for PaceProtocol {
    type Error = UnknownPaceProtocol;
    fn try_from(s: String) -> Result<Self, UnknownPaceProtocol> {
        s.parse()
    }
}

/// A name that is not a PACE protocol.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown PACE protocol {0:?} (expected e.g. ECDH-GM-AES-128, DH-IM-3DES, ECDH-CAM-AES-256)"
)]
pub struct UnknownPaceProtocol(pub String);

impl core::str::FromStr for PaceProtocol {
    type Err = UnknownPaceProtocol;

    /// Parses [`PaceProtocol::name`] forms, case-insensitively, with or
    /// without a `PACE-` prefix.
    fn from_str(s: &str) -> Result<Self, UnknownPaceProtocol> {
        let upper = s.trim().to_ascii_uppercase().replace(' ', "-");
        let bare = upper.strip_prefix("PACE-").unwrap_or(&upper);
        PaceProtocol::all()
            .into_iter()
            .find(|p| p.name() == bare)
            .ok_or_else(|| UnknownPaceProtocol(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_round_trip_and_match_doc_9303() {
        let all = PaceProtocol::all();
        assert_eq!(all.len(), 8 + 11, "Tables 2 and 3 of Doc 9303-11 §4.4.3");
        for p in all {
            assert_eq!(PaceProtocol::from_oid(&p.oid()), Some(p));
        }
        let g1 = PaceProtocol::from_oid(&ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.4.2.2"))
            .unwrap();
        assert_eq!(
            g1,
            PaceProtocol {
                key_agreement: KeyAgreement::Ecdh,
                mapping: Mapping::Generic,
                cipher: SmAlgorithm::Aes128
            }
        );
        assert_eq!(g1.to_string(), "PACE ECDH-GM-AES-128");
        for p in PaceProtocol::all() {
            assert_eq!(p.name().parse::<PaceProtocol>(), Ok(p));
        }
        assert_eq!(
            "pace-ecdh-cam-aes-256"
                .parse::<PaceProtocol>()
                .unwrap()
                .mapping,
            Mapping::ChipAuthentication
        );
        assert!("ECDH-CAM-3DES".parse::<PaceProtocol>().is_err());
        // DH-CAM and unknown arcs are not PACE protocols.
        assert_eq!(
            PaceProtocol::from_oid(&ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.4.5.2")),
            None
        );
        assert_eq!(
            PaceProtocol::from_oid(&ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.4.6.1")),
            None
        );
        assert_eq!(
            PaceProtocol::from_oid(&ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.3.2.2")),
            None
        );
    }
}
