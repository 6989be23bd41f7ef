//! The algorithm choices PACE and Chip Authentication protocol OIDs
//! encode (Doc 9303-11 §9.2.1 and §9.2.6, TR-03110-3 §A.1.1).

use core::fmt;

use der::asn1::ObjectIdentifier;
use serde::Serialize;

use super::oid;

/// Key agreement: `DH` (MODP groups) or `ECDH`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KeyAgreement {
    /// Diffie-Hellman.
    Dh,
    /// Elliptic curve Diffie-Hellman.
    Ecdh,
}

/// The PACE mapping (Doc 9303-11 §4.4.3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PaceMapping {
    /// Generic Mapping.
    Gm,
    /// Integrated Mapping.
    Im,
    /// Chip Authentication Mapping (ECDH only).
    Cam,
}

/// Secure messaging cipher and key length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Cipher {
    /// 3DES-CBC with retail MAC (`3DES-CBC-CBC`).
    #[serde(rename = "3DES")]
    Tdes,
    /// AES-128 with CMAC.
    #[serde(rename = "AES-128")]
    Aes128,
    /// AES-192 with CMAC.
    #[serde(rename = "AES-192")]
    Aes192,
    /// AES-256 with CMAC.
    #[serde(rename = "AES-256")]
    Aes256,
}

impl Cipher {
    fn from_arc(arc: u32) -> Option<Self> {
        Some(match arc {
            1 => Self::Tdes,
            2 => Self::Aes128,
            3 => Self::Aes192,
            4 => Self::Aes256,
            _ => return None,
        })
    }

    fn arc(self) -> u32 {
        match self {
            Self::Tdes => 1,
            Self::Aes128 => 2,
            Self::Aes192 => 3,
            Self::Aes256 => 4,
        }
    }

    /// Key length in bytes (16 for two-key 3DES).
    #[must_use]
    pub fn key_len(self) -> usize {
        match self {
            Self::Tdes | Self::Aes128 => 16,
            Self::Aes192 => 24,
            Self::Aes256 => 32,
        }
    }
}

impl fmt::Display for Cipher {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Tdes => "3DES",
            Self::Aes128 => "AES-128",
            Self::Aes192 => "AES-192",
            Self::Aes256 => "AES-256",
        })
    }
}

/// Mapping and key agreement of PACE: the arc below `id-PACE`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct PaceAlgorithm {
    mapping: PaceMapping,
    key_agreement: KeyAgreement,
}

impl PaceAlgorithm {
    /// The combination, if Doc 9303-11 defines it (CAM exists with ECDH
    /// only).
    #[must_use]
    pub fn new(mapping: PaceMapping, key_agreement: KeyAgreement) -> Option<Self> {
        (mapping != PaceMapping::Cam || key_agreement == KeyAgreement::Ecdh).then_some(Self {
            mapping,
            key_agreement,
        })
    }

    /// The mapping.
    #[must_use]
    pub fn mapping(self) -> PaceMapping {
        self.mapping
    }

    /// The key agreement.
    #[must_use]
    pub fn key_agreement(self) -> KeyAgreement {
        self.key_agreement
    }

    fn arc(self) -> u32 {
        match (self.mapping, self.key_agreement) {
            (PaceMapping::Gm, KeyAgreement::Dh) => 1,
            (PaceMapping::Gm, KeyAgreement::Ecdh) => 2,
            (PaceMapping::Im, KeyAgreement::Dh) => 3,
            (PaceMapping::Im, KeyAgreement::Ecdh) => 4,
            (PaceMapping::Cam, _) => 6,
        }
    }

    fn from_arc(arc: u32) -> Option<Self> {
        let (mapping, key_agreement) = match arc {
            1 => (PaceMapping::Gm, KeyAgreement::Dh),
            2 => (PaceMapping::Gm, KeyAgreement::Ecdh),
            3 => (PaceMapping::Im, KeyAgreement::Dh),
            4 => (PaceMapping::Im, KeyAgreement::Ecdh),
            6 => (PaceMapping::Cam, KeyAgreement::Ecdh),
            _ => return None,
        };
        Some(Self {
            mapping,
            key_agreement,
        })
    }

    /// `id-PACE-DH-GM` … `id-PACE-ECDH-CAM` (the protocol of a
    /// PACEDomainParameterInfo).
    #[must_use]
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match oid::arcs_after(oid, &oid::ID_PACE)?.as_slice() {
            [a] => Self::from_arc(*a),
            _ => None,
        }
    }

    /// The OID.
    #[must_use]
    pub fn oid(self) -> ObjectIdentifier {
        child(&oid::ID_PACE, &[self.arc()])
    }
}

/// A PACE protocol: mapping, key agreement and cipher, as its OID says
/// (`id-PACE-ECDH-GM-AES-CBC-CMAC-128` …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct PaceProtocol {
    mapping: PaceMapping,
    key_agreement: KeyAgreement,
    cipher: Cipher,
}

impl PaceProtocol {
    /// The protocol, if Doc 9303-11 defines the combination (CAM only with
    /// ECDH and AES).
    #[must_use]
    pub fn new(mapping: PaceMapping, key_agreement: KeyAgreement, cipher: Cipher) -> Option<Self> {
        PaceAlgorithm::new(mapping, key_agreement)?;
        (mapping != PaceMapping::Cam || cipher != Cipher::Tdes).then_some(Self {
            mapping,
            key_agreement,
            cipher,
        })
    }

    /// The mapping.
    #[must_use]
    pub fn mapping(self) -> PaceMapping {
        self.mapping
    }

    /// The key agreement.
    #[must_use]
    pub fn key_agreement(self) -> KeyAgreement {
        self.key_agreement
    }

    /// The cipher.
    #[must_use]
    pub fn cipher(self) -> Cipher {
        self.cipher
    }

    /// Mapping and key agreement without the cipher.
    #[must_use]
    pub fn algorithm(self) -> PaceAlgorithm {
        PaceAlgorithm {
            mapping: self.mapping,
            key_agreement: self.key_agreement,
        }
    }

    /// The protocol an OID names, if it is a PACE protocol.
    #[must_use]
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        match oid::arcs_after(oid, &oid::ID_PACE)?.as_slice() {
            [a, c] => {
                let alg = PaceAlgorithm::from_arc(*a)?;
                Self::new(alg.mapping, alg.key_agreement, Cipher::from_arc(*c)?)
            }
            _ => None,
        }
    }

    /// The OID.
    #[must_use]
    pub fn oid(self) -> ObjectIdentifier {
        child(&oid::ID_PACE, &[self.algorithm().arc(), self.cipher.arc()])
    }
}

impl fmt::Display for PaceProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&oid::display_name(&self.oid()))
    }
}

/// A Chip Authentication protocol: key agreement and cipher
/// (`id-CA-ECDH-AES-CBC-CMAC-128` …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct CaProtocol {
    /// DH or ECDH.
    pub key_agreement: KeyAgreement,
    /// The cipher.
    pub cipher: Cipher,
}

impl CaProtocol {
    /// The protocol an OID names, if it is a CA protocol.
    #[must_use]
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        let key_agreement = match oid::arcs_after(oid, &oid::ID_CA)?.as_slice() {
            [1, c] => (KeyAgreement::Dh, *c),
            [2, c] => (KeyAgreement::Ecdh, *c),
            _ => return None,
        };
        Some(Self {
            key_agreement: key_agreement.0,
            cipher: Cipher::from_arc(key_agreement.1)?,
        })
    }

    /// The OID.
    #[must_use]
    pub fn oid(self) -> ObjectIdentifier {
        let ka = match self.key_agreement {
            KeyAgreement::Dh => 1,
            KeyAgreement::Ecdh => 2,
        };
        child(&oid::ID_CA, &[ka, self.cipher.arc()])
    }
}

/// `parent` extended by small arcs (each below 128, one byte each).
fn child(parent: &ObjectIdentifier, arcs: &[u32]) -> ObjectIdentifier {
    ObjectIdentifier::from_arcs(parent.arcs().chain(arcs.iter().copied())).unwrap_or(*parent)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pace_oid_maps_both_ways() {
        let mut n = 0;
        for mapping in [PaceMapping::Gm, PaceMapping::Im, PaceMapping::Cam] {
            for ka in [KeyAgreement::Dh, KeyAgreement::Ecdh] {
                for cipher in [Cipher::Tdes, Cipher::Aes128, Cipher::Aes192, Cipher::Aes256] {
                    let Some(p) = PaceProtocol::new(mapping, ka, cipher) else {
                        continue;
                    };
                    n += 1;
                    assert_eq!(PaceProtocol::from_oid(&p.oid()), Some(p));
                    assert!(oid::name(&p.oid()).is_some(), "{}", p.oid());
                    assert_eq!(
                        PaceAlgorithm::from_oid(&p.algorithm().oid()),
                        Some(p.algorithm())
                    );
                }
            }
        }
        // 4 × GM/IM × DH/ECDH + 3 CAM.
        assert_eq!(n, 19);
        assert_eq!(
            PaceProtocol::from_oid(&oid::ID_PACE_ECDH_GM_AES_CBC_CMAC_128),
            PaceProtocol::new(PaceMapping::Gm, KeyAgreement::Ecdh, Cipher::Aes128)
        );
        // CAM with 3DES does not exist.
        assert_eq!(
            PaceProtocol::from_oid(&ObjectIdentifier::new_unwrap("0.4.0.127.0.7.2.2.4.6.1")),
            None
        );
        assert_eq!(PaceProtocol::from_oid(&oid::ID_PACE_ECDH_GM), None);
    }

    #[test]
    fn ca_oids() {
        let p = CaProtocol::from_oid(&oid::ID_CA_DH_3DES_CBC_CBC).unwrap();
        assert_eq!(
            (p.key_agreement, p.cipher),
            (KeyAgreement::Dh, Cipher::Tdes)
        );
        assert_eq!(p.oid(), oid::ID_CA_DH_3DES_CBC_CBC);
        assert_eq!(CaProtocol::from_oid(&oid::ID_CA_ECDH), None);
        assert_eq!(CaProtocol::from_oid(&oid::ID_PK_ECDH), None);
    }
}
