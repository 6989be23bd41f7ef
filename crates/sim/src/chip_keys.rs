//! The chip's own keys for chip authentication: the Active Authentication
//! key (public part in DG15), the Chip Authentication key (public part in
//! DG14), the PACE-CAM key (public part in EF.CardSecurity) — and the
//! deliberately broken personalisations a conformance tester needs: a
//! cloned chip (the signed files of one chip, the private keys of another)
//! and data groups left out of EF.SOD.
//!
//! Keys are derived from the document number and a purpose label, so a
//! personalisation is reproducible. RSA keys come from the project's
//! committed test keys (generating them would make every test slow).

use mrtd_groups::{CurveId, DomainParameters};
use mrtd_protocol::SmAlgorithm;
use mrtd_protocol::aa::{AaDigest, AaPrivateKey};
use mrtd_protocol::ca::{CaPrivateKey, CaProtocol};
use mrtd_protocol::pace::KeyAgreement;
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// RSA test keys (PKCS#8), by size: the first for genuine chips, the
/// second for clones.
const RSA_KEYS: [(u16, &[u8], &[u8]); 4] = [
    (
        1024,
        include_bytes!("../../../test-vectors/pki/keys/ds-rsa1024.pk8"),
        include_bytes!("../../../test-vectors/pki/keys/chip-aa-clone-rsa1024.pk8"),
    ),
    (
        2048,
        include_bytes!("../../../test-vectors/pki/keys/ds-rsa2048.pk8"),
        include_bytes!("../../../test-vectors/pki/keys/csca-rsa2048.pk8"),
    ),
    (
        3072,
        include_bytes!("../../../test-vectors/pki/keys/ds-rsa3072.pk8"),
        include_bytes!("../../../test-vectors/pki/keys/csca-rsa3072.pk8"),
    ),
    (
        4096,
        include_bytes!("../../../test-vectors/pki/keys/ds-rsa4096.pk8"),
        include_bytes!("../../../test-vectors/pki/keys/csca-rsa4096.pk8"),
    ),
];

/// How the chip does chip authentication.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChipAuthenticity {
    /// Active Authentication (DG15).
    pub active_authentication: Option<AaKeySpec>,
    /// Chip Authentication (DG14).
    pub chip_authentication: Option<CaKeySpec>,
    /// A cloned chip: DG14, DG15 and EF.CardSecurity are the genuine chip's
    /// (so passive authentication passes), the private keys another chip's.
    pub cloned: bool,
    /// Data groups the chip carries but EF.SOD does not cover (their
    /// integrity cannot be verified).
    pub unsigned_data_groups: Vec<u8>,
}

/// An Active Authentication key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case", deny_unknown_fields)]
pub enum AaKeySpec {
    /// RSA with ISO/IEC 9796-2 scheme 1; `digest` picks the trailer
    /// (SHA-1: the one-byte `BC`).
    Rsa {
        /// Modulus size: 1024, 2048, 3072 or 4096.
        bits: u16,
        /// The hash.
        digest: AaDigest,
    },
    /// ECDSA with plain signatures; DG14's ActiveAuthenticationInfo names
    /// the hash.
    Ecdsa {
        /// The standardized domain parameter id of the curve (8–18).
        parameter_id: u8,
        /// The hash.
        digest: AaDigest,
    },
}

/// A Chip Authentication key and protocol.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaKeySpec {
    /// The standardized domain parameter id (0–2 DH, 8–18 curves).
    pub parameter_id: u8,
    /// The secure-messaging cipher after Chip Authentication.
    pub cipher: SmAlgorithm,
    /// A key identifier (chips with several keys use them).
    pub key_id: Option<u32>,
}

impl CaKeySpec {
    /// The protocol (key agreement from the parameter set, cipher as given).
    #[must_use]
    pub fn protocol(&self) -> Option<CaProtocol> {
        let key_agreement = match DomainParameters::from_standardized_id(self.parameter_id)? {
            DomainParameters::Dh(_) => KeyAgreement::Dh,
            DomainParameters::Ec(_) => KeyAgreement::Ecdh,
        };
        Some(CaProtocol {
            key_agreement,
            cipher: self.cipher,
        })
    }
}

/// Why a key cannot be made.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// No such RSA test key size.
    #[error("no RSA test key of {0} bits (1024, 2048, 3072 or 4096)")]
    RsaSize(u16),
    /// Not a standardized parameter id, or of the wrong kind.
    #[error("parameter id {0} is not a usable standardized parameter set here")]
    ParameterId(u8),
    /// The protocol layer refused the key.
    #[error("{0}")]
    Protocol(String),
}

/// A seeded random source for `purpose` on the document `document_number`.
fn rng_for(document_number: &str, purpose: &str) -> ChaCha20Rng {
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&Sha256::digest(
        format!("mrtd-sim {purpose} {document_number}").as_bytes(),
    ));
    ChaCha20Rng::from_seed(seed)
}

/// The Active Authentication key for `spec`; `clone` selects another
/// chip's key of the same kind.
///
/// # Errors
/// [`KeyError`] for an unsupported size or curve.
pub fn aa_key(
    spec: &AaKeySpec,
    document_number: &str,
    clone: bool,
) -> Result<AaPrivateKey, KeyError> {
    match *spec {
        AaKeySpec::Rsa { bits, .. } => {
            let (_, genuine, other) = RSA_KEYS
                .iter()
                .find(|(b, _, _)| *b == bits)
                .ok_or(KeyError::RsaSize(bits))?;
            let der = if clone { other } else { genuine };
            AaPrivateKey::from_pkcs8_der(der).map_err(|e| KeyError::Protocol(e.to_string()))
        }
        AaKeySpec::Ecdsa { parameter_id, .. } => {
            let Some(DomainParameters::Ec(curve)) =
                DomainParameters::from_standardized_id(parameter_id)
            else {
                return Err(KeyError::ParameterId(parameter_id));
            };
            let purpose = if clone { "AA clone" } else { "AA" };
            Ok(AaPrivateKey::generate_ec(
                curve,
                &mut rng_for(document_number, purpose),
            ))
        }
    }
}

/// The Chip Authentication key for `spec`.
///
/// # Errors
/// [`KeyError::ParameterId`] for an unknown parameter id.
pub fn ca_key(
    spec: &CaKeySpec,
    document_number: &str,
    clone: bool,
) -> Result<CaPrivateKey, KeyError> {
    let domain = DomainParameters::from_standardized_id(spec.parameter_id)
        .ok_or(KeyError::ParameterId(spec.parameter_id))?;
    let purpose = if clone { "CA clone" } else { "CA" };
    Ok(CaPrivateKey::random(
        domain,
        &mut rng_for(document_number, purpose),
    ))
}

/// The PACE-CAM static key on `curve`.
#[must_use]
pub fn cam_key(curve: CurveId, document_number: &str, clone: bool) -> mrtd_groups::EcSecret {
    let purpose = if clone { "CAM clone" } else { "CAM" };
    mrtd_groups::EcSecret::random(curve, &mut rng_for(document_number, purpose))
}

/// Why a key specification does not parse.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what}: expected {expected}")]
pub struct SpecError {
    what: String,
    expected: &'static str,
}

const AA_SPEC: &str =
    "rsa:BITS:HASH (rsa:2048:sha256) or ecdsa:PARAMETER-ID:HASH (ecdsa:13:sha256)";
const CA_SPEC: &str = "PARAMETER-ID:CIPHER[:KEY-ID] (13:aes128, 0:3des, 12:aes256:2)";

fn parse_digest(s: &str) -> Option<AaDigest> {
    match s.to_ascii_lowercase().replace('-', "").as_str() {
        "sha1" => Some(AaDigest::Sha1),
        "sha224" => Some(AaDigest::Sha224),
        "sha256" => Some(AaDigest::Sha256),
        "sha384" => Some(AaDigest::Sha384),
        "sha512" => Some(AaDigest::Sha512),
        _ => None,
    }
}

impl core::str::FromStr for AaKeySpec {
    type Err = SpecError;

    /// `rsa:2048:sha256`, `rsa:1024:sha1`, `ecdsa:13:sha256` (a
    /// standardized parameter id names the curve: 12 P-256, 13
    /// brainpoolP256r1, 16 brainpoolP384r1).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || SpecError {
            what: format!("{s:?}"),
            expected: AA_SPEC,
        };
        let mut parts = s.split(':');
        let (Some(kind), Some(number), Some(digest), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(err());
        };
        let digest = parse_digest(digest).ok_or_else(err)?;
        match kind.to_ascii_lowercase().as_str() {
            "rsa" => Ok(Self::Rsa {
                bits: number.parse().map_err(|_| err())?,
                digest,
            }),
            "ecdsa" | "ec" => Ok(Self::Ecdsa {
                parameter_id: number.parse().map_err(|_| err())?,
                digest,
            }),
            _ => Err(err()),
        }
    }
}

impl core::str::FromStr for CaKeySpec {
    type Err = SpecError;

    /// `13:aes128` (ECDH on brainpoolP256r1, AES-128), `0:3des` (DH
    /// 1024-bit, 3DES), `12:aes256:2` (P-256, AES-256, key id 2).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || SpecError {
            what: format!("{s:?}"),
            expected: CA_SPEC,
        };
        let mut parts = s.split(':');
        let parameter_id = parts.next().and_then(|p| p.parse().ok()).ok_or_else(err)?;
        let cipher = match parts
            .next()
            .map(|c| c.to_ascii_lowercase().replace('-', ""))
        {
            Some(c) if c == "3des" || c == "tdes" => SmAlgorithm::Tdes,
            Some(c) if c == "aes128" => SmAlgorithm::Aes128,
            Some(c) if c == "aes192" => SmAlgorithm::Aes192,
            Some(c) if c == "aes256" => SmAlgorithm::Aes256,
            _ => return Err(err()),
        };
        let key_id = match parts.next() {
            Some(id) => Some(id.parse().map_err(|_| err())?),
            None => None,
        };
        if parts.next().is_some() {
            return Err(err());
        }
        Ok(Self {
            parameter_id,
            cipher,
            key_id,
        })
    }
}

#[cfg(test)]
mod spec_tests {
    use super::*;

    #[test]
    fn key_specifications_parse_from_their_short_forms() {
        assert_eq!(
            "rsa:2048:sha256".parse(),
            Ok(AaKeySpec::Rsa {
                bits: 2048,
                digest: AaDigest::Sha256
            })
        );
        assert_eq!(
            "RSA:1024:SHA-1".parse(),
            Ok(AaKeySpec::Rsa {
                bits: 1024,
                digest: AaDigest::Sha1
            })
        );
        assert_eq!(
            "ecdsa:16:sha384".parse(),
            Ok(AaKeySpec::Ecdsa {
                parameter_id: 16,
                digest: AaDigest::Sha384
            })
        );
        assert_eq!(
            "13:aes128".parse(),
            Ok(CaKeySpec {
                parameter_id: 13,
                cipher: SmAlgorithm::Aes128,
                key_id: None
            })
        );
        assert_eq!(
            "0:3des".parse(),
            Ok(CaKeySpec {
                parameter_id: 0,
                cipher: SmAlgorithm::Tdes,
                key_id: None
            })
        );
        assert_eq!(
            "12:aes256:2".parse(),
            Ok(CaKeySpec {
                parameter_id: 12,
                cipher: SmAlgorithm::Aes256,
                key_id: Some(2)
            })
        );
        for bad in [
            "",
            "rsa",
            "rsa:2048",
            "rsa:2048:md5",
            "dsa:2048:sha256",
            "rsa:x:sha256",
            "rsa:2048:sha256:1",
        ] {
            assert!(bad.parse::<AaKeySpec>().is_err(), "{bad}");
        }
        for bad in [
            "",
            "13",
            "13:des",
            "x:aes128",
            "13:aes128:x",
            "13:aes128:1:2",
        ] {
            assert!(bad.parse::<CaKeySpec>().is_err(), "{bad}");
        }
    }
}
