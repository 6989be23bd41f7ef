//! Chip Authentication protocol identifiers (Doc 9303-11 §9.2.6, BSI
//! TR-03110-3 §A.1.1.2): key agreement and cipher.

use core::fmt;

use const_oid::ObjectIdentifier;
use serde::Serialize;

use crate::crypto::SmAlgorithm;
use crate::pace::KeyAgreement;

/// id-CA: `bsi-de protocols(2) smartcard(2) 3`.
pub const ID_CA: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.3");

/// id-PK-DH: the OID of a `ChipAuthenticationPublicKeyInfo` with a DH key
/// (Doc 9303-11 §9.2.7).
pub const ID_PK_DH: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.1.1");

/// id-PK-ECDH: the OID of a `ChipAuthenticationPublicKeyInfo` with an EC
/// key (Doc 9303-11 §9.2.7).
pub const ID_PK_ECDH: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.1.2");

/// A Chip Authentication protocol: the key agreement (which the chip's
/// static key fixes) and the cipher of the secure messaging it starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct CaProtocol {
    /// DH or ECDH.
    pub key_agreement: KeyAgreement,
    /// The secure-messaging cipher after Chip Authentication. 3DES runs
    /// with MSE:Set KAT, AES with MSE:Set AT and GENERAL AUTHENTICATE.
    pub cipher: SmAlgorithm,
}

impl CaProtocol {
    /// The eight protocols `id-CA-{DH,ECDH}-{3DES-CBC-CBC,
    /// AES-CBC-CMAC-128,192,256}`.
    #[must_use]
    pub fn all() -> Vec<CaProtocol> {
        let mut all = Vec::with_capacity(8);
        for key_agreement in [KeyAgreement::Dh, KeyAgreement::Ecdh] {
            for cipher in [
                SmAlgorithm::Tdes,
                SmAlgorithm::Aes128,
                SmAlgorithm::Aes192,
                SmAlgorithm::Aes256,
            ] {
                all.push(CaProtocol {
                    key_agreement,
                    cipher,
                });
            }
        }
        all
    }

    /// The protocol a DG14 without `ChipAuthenticationInfo` implies: a chip
    /// that only publishes a `ChipAuthenticationPublicKeyInfo` supports CA
    /// with 3DES (Doc 9303-11 §9.2.6, TR-03110 v1 chips).
    #[must_use]
    pub const fn implied_by_public_key(key_agreement: KeyAgreement) -> Self {
        Self {
            key_agreement,
            cipher: SmAlgorithm::Tdes,
        }
    }

    /// The protocol an OID names (`0.4.0.127.0.7.2.2.3.{1,2}.{1..4}`).
    /// The bare `id-CA-DH` / `id-CA-ECDH` (without a cipher) are not
    /// protocols and give `None`.
    #[must_use]
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Self::all().into_iter().find(|p| p.oid() == *oid)
    }

    /// The protocol's OID, e.g. `0.4.0.127.0.7.2.2.3.2.2` for
    /// id-CA-ECDH-AES-CBC-CMAC-128.
    #[must_use]
    pub fn oid(self) -> ObjectIdentifier {
        let family = match self.key_agreement {
            KeyAgreement::Dh => 1,
            KeyAgreement::Ecdh => 2,
        };
        let cipher = match self.cipher {
            SmAlgorithm::Tdes => 1,
            SmAlgorithm::Aes128 => 2,
            SmAlgorithm::Aes192 => 3,
            SmAlgorithm::Aes256 => 4,
        };
        // `ID_CA` has room for two more arcs; this cannot fail.
        ID_CA
            .push_arc(family)
            .and_then(|o| o.push_arc(cipher))
            .unwrap_or(ID_CA)
    }

    /// The short name, e.g. `ECDH-AES-128`, `DH-3DES`.
    #[must_use]
    pub fn name(self) -> String {
        let ka = match self.key_agreement {
            KeyAgreement::Dh => "DH",
            KeyAgreement::Ecdh => "ECDH",
        };
        format!("{ka}-{}", self.cipher)
    }

    /// `true` when the protocol runs with MSE:Set KAT (3DES), `false` when
    /// it runs with MSE:Set AT and GENERAL AUTHENTICATE (AES)
    /// (Doc 9303-11 §6.2.4).
    #[must_use]
    pub fn uses_set_kat(self) -> bool {
        self.cipher == SmAlgorithm::Tdes
    }
}

impl fmt::Display for CaProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CA {}", self.name())
    }
}

/// The key agreement a `ChipAuthenticationPublicKeyInfo` OID (id-PK-DH,
/// id-PK-ECDH) names.
#[must_use]
pub fn key_agreement_of_public_key_oid(oid: &ObjectIdentifier) -> Option<KeyAgreement> {
    if *oid == ID_PK_DH {
        Some(KeyAgreement::Dh)
    } else if *oid == ID_PK_ECDH {
        Some(KeyAgreement::Ecdh)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oids_round_trip_and_match_doc_9303() {
        let all = CaProtocol::all();
        assert_eq!(all.len(), 8);
        for p in &all {
            assert_eq!(CaProtocol::from_oid(&p.oid()), Some(*p));
        }
        let p =
            CaProtocol::from_oid(&ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.3.2.2")).unwrap();
        assert_eq!(
            p,
            CaProtocol {
                key_agreement: KeyAgreement::Ecdh,
                cipher: SmAlgorithm::Aes128
            }
        );
        assert_eq!(p.to_string(), "CA ECDH-AES-128");
        assert!(!p.uses_set_kat());
        let tdes =
            CaProtocol::from_oid(&ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.3.1.1")).unwrap();
        assert_eq!(tdes, CaProtocol::implied_by_public_key(KeyAgreement::Dh));
        assert!(tdes.uses_set_kat());
        for bad in [
            "0.4.0.127.0.7.2.2.3.2",
            "0.4.0.127.0.7.2.2.3.2.5",
            "0.4.0.127.0.7.2.2.3.3.1",
            "0.4.0.127.0.7.2.2.4.2.2",
        ] {
            assert_eq!(
                CaProtocol::from_oid(&ObjectIdentifier::new_unwrap(bad)),
                None,
                "{bad}"
            );
        }
        assert_eq!(
            key_agreement_of_public_key_oid(&ID_PK_ECDH),
            Some(KeyAgreement::Ecdh)
        );
        assert_eq!(
            serde_json::to_value(p).unwrap(),
            serde_json::json!({"key_agreement": "ECDH", "cipher": "AES-128"})
        );
    }
}
