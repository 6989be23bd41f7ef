//! Digest and signature algorithms: from `AlgorithmIdentifier`s to what
//! the verifier must do, with the RSASSA-PSS parameters (RFC 4055 §3.1)
//! and the CMS convention of naming only the key type in
//! `signatureAlgorithm` (RFC 5652 §5.3, common in EF.SODs).

use core::fmt;

use der::asn1::AnyRef;
use der::{Decode, Encode, Sequence, Tagged};
use mrtd_groups::CurveId;
use serde::Serialize;
use sha2::Digest as _;
use spki::{AlgorithmIdentifierOwned, ObjectIdentifier, SubjectPublicKeyInfoOwned};

use crate::error::VerifyError;
use crate::oid;

/// A hash function of Doc 9303-12 §4.1 (SHA-1 for old documents only).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum DigestAlgorithm {
    /// SHA-1 (legacy; the policy warns).
    Sha1,
    /// SHA-224.
    Sha224,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
    /// SHA-512.
    Sha512,
}

impl DigestAlgorithm {
    /// The algorithm with OID `oid`.
    #[must_use]
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Some(match *oid {
            oid::ID_SHA1 => Self::Sha1,
            oid::ID_SHA224 => Self::Sha224,
            oid::ID_SHA256 => Self::Sha256,
            oid::ID_SHA384 => Self::Sha384,
            oid::ID_SHA512 => Self::Sha512,
            _ => return None,
        })
    }

    /// From a `DigestAlgorithmIdentifier`: parameters absent or NULL
    /// (RFC 5754 §2 says absent; NULL is common and accepted).
    ///
    /// # Errors
    /// [`VerifyError::UnsupportedAlgorithm`] for another OID,
    /// [`VerifyError::InconsistentParameters`] for other parameters.
    pub fn from_algorithm_identifier(alg: &AlgorithmIdentifierOwned) -> Result<Self, VerifyError> {
        let d = Self::from_oid(&alg.oid).ok_or_else(|| {
            VerifyError::UnsupportedAlgorithm(format!("digest algorithm {}", alg.oid))
        })?;
        match &alg.parameters {
            None => Ok(d),
            Some(p) if p.tag() == der::Tag::Null && p.value().is_empty() => Ok(d),
            Some(_) => Err(VerifyError::InconsistentParameters(format!(
                "{d} with parameters other than absent or NULL"
            ))),
        }
    }

    /// The OID.
    #[must_use]
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Sha1 => oid::ID_SHA1,
            Self::Sha224 => oid::ID_SHA224,
            Self::Sha256 => oid::ID_SHA256,
            Self::Sha384 => oid::ID_SHA384,
            Self::Sha512 => oid::ID_SHA512,
        }
    }

    /// Output length in bytes.
    #[must_use]
    pub fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// Hashes `data`.
    #[must_use]
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Self::Sha224 => sha2::Sha224::digest(data).to_vec(),
            Self::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Self::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }
}

impl fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Sha1 => "SHA-1",
            Self::Sha224 => "SHA-224",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        })
    }
}

/// How a signature is computed and checked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "scheme", rename_all = "kebab-case")]
pub enum SignatureScheme {
    /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2).
    RsaPkcs1 {
        /// The message hash.
        hash: DigestAlgorithm,
    },
    /// RSASSA-PSS (RFC 8017 §8.1) with the parameters of RFC 4055 §3.1.
    RsaPss {
        /// The message hash.
        hash: DigestAlgorithm,
        /// The MGF1 hash.
        mgf1_hash: DigestAlgorithm,
        /// The salt length in bytes.
        salt_len: usize,
    },
    /// ECDSA (X9.62 / SEC 1).
    Ecdsa {
        /// The message hash.
        hash: DigestAlgorithm,
        /// `r‖s` (BSI TR-03111 ecdsa-plain-*) instead of the DER
        /// `ECDSA-Sig-Value`.
        plain: bool,
    },
}

impl SignatureScheme {
    /// The message hash.
    #[must_use]
    pub fn hash(&self) -> DigestAlgorithm {
        match *self {
            Self::RsaPkcs1 { hash } | Self::RsaPss { hash, .. } | Self::Ecdsa { hash, .. } => hash,
        }
    }

    /// From a signature `AlgorithmIdentifier` (certificates, CRLs, or a
    /// CMS one already combined by [`cms_signature_algorithm`]).
    ///
    /// # Errors
    /// [`VerifyError::UnsupportedAlgorithm`], [`VerifyError::Unsupported`]
    /// or [`VerifyError::InconsistentParameters`].
    pub fn from_algorithm_identifier(alg: &AlgorithmIdentifierOwned) -> Result<Self, VerifyError> {
        use DigestAlgorithm::*;
        let ecdsa = |hash, plain| Self::Ecdsa { hash, plain };
        let scheme = match alg.oid {
            oid::SHA1_WITH_RSA => Self::RsaPkcs1 { hash: Sha1 },
            oid::SHA224_WITH_RSA => Self::RsaPkcs1 { hash: Sha224 },
            oid::SHA256_WITH_RSA => Self::RsaPkcs1 { hash: Sha256 },
            oid::SHA384_WITH_RSA => Self::RsaPkcs1 { hash: Sha384 },
            oid::SHA512_WITH_RSA => Self::RsaPkcs1 { hash: Sha512 },
            oid::ID_RSASSA_PSS => return pss_scheme(alg.parameters.as_ref().map(Into::into)),
            oid::ECDSA_WITH_SHA1 => ecdsa(Sha1, false),
            oid::ECDSA_WITH_SHA224 => ecdsa(Sha224, false),
            oid::ECDSA_WITH_SHA256 => ecdsa(Sha256, false),
            oid::ECDSA_WITH_SHA384 => ecdsa(Sha384, false),
            oid::ECDSA_WITH_SHA512 => ecdsa(Sha512, false),
            oid::ECDSA_PLAIN_SHA1 => ecdsa(Sha1, true),
            oid::ECDSA_PLAIN_SHA224 => ecdsa(Sha224, true),
            oid::ECDSA_PLAIN_SHA256 => ecdsa(Sha256, true),
            oid::ECDSA_PLAIN_SHA384 => ecdsa(Sha384, true),
            oid::ECDSA_PLAIN_SHA512 => ecdsa(Sha512, true),
            other => {
                return Err(VerifyError::UnsupportedAlgorithm(format!(
                    "signature algorithm {other}"
                )));
            }
        };
        Ok(scheme)
    }

    /// The signature `AlgorithmIdentifier` of a PKCS#1 or ECDSA scheme
    /// (parameters NULL for RSA as RFC 4055 §5 asks, absent for ECDSA as
    /// RFC 5758 §3.2 asks). `None` for PSS (whose parameters are its own).
    #[must_use]
    pub fn algorithm_identifier(&self) -> Option<AlgorithmIdentifierOwned> {
        use DigestAlgorithm::*;
        let (oid, null) = match *self {
            Self::RsaPkcs1 { hash } => (
                match hash {
                    Sha1 => oid::SHA1_WITH_RSA,
                    Sha224 => oid::SHA224_WITH_RSA,
                    Sha256 => oid::SHA256_WITH_RSA,
                    Sha384 => oid::SHA384_WITH_RSA,
                    Sha512 => oid::SHA512_WITH_RSA,
                },
                true,
            ),
            Self::Ecdsa { hash, plain } => (
                match (hash, plain) {
                    (Sha1, false) => oid::ECDSA_WITH_SHA1,
                    (Sha224, false) => oid::ECDSA_WITH_SHA224,
                    (Sha256, false) => oid::ECDSA_WITH_SHA256,
                    (Sha384, false) => oid::ECDSA_WITH_SHA384,
                    (Sha512, false) => oid::ECDSA_WITH_SHA512,
                    (Sha1, true) => oid::ECDSA_PLAIN_SHA1,
                    (Sha224, true) => oid::ECDSA_PLAIN_SHA224,
                    (Sha256, true) => oid::ECDSA_PLAIN_SHA256,
                    (Sha384, true) => oid::ECDSA_PLAIN_SHA384,
                    (Sha512, true) => oid::ECDSA_PLAIN_SHA512,
                },
                false,
            ),
            Self::RsaPss { .. } => return None,
        };
        Some(AlgorithmIdentifierOwned {
            oid,
            parameters: null.then(der::Any::null),
        })
    }
}

impl fmt::Display for SignatureScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::RsaPkcs1 { hash } => write!(f, "RSA PKCS#1 v1.5 with {hash}"),
            Self::RsaPss {
                hash,
                mgf1_hash,
                salt_len,
            } => write!(
                f,
                "RSASSA-PSS with {hash} (MGF1 {mgf1_hash}, salt {salt_len})"
            ),
            Self::Ecdsa { hash, plain: false } => write!(f, "ECDSA with {hash}"),
            Self::Ecdsa { hash, plain: true } => write!(f, "ECDSA (plain r||s) with {hash}"),
        }
    }
}

/// `RSASSA-PSS-params` (RFC 4055 §3.1); every field has a DEFAULT.
#[derive(Sequence)]
struct PssParams {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    hash: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    mask_gen: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    salt_len: Option<u32>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    trailer: Option<u32>,
}

fn pss_scheme(params: Option<AnyRef<'_>>) -> Result<SignatureScheme, VerifyError> {
    let bad =
        |why: String| VerifyError::InconsistentParameters(format!("RSASSA-PSS-params: {why}"));
    // Absent parameters mean all defaults: SHA-1, MGF1-SHA-1, salt 20.
    let p = match params {
        None => PssParams {
            hash: None,
            mask_gen: None,
            salt_len: None,
            trailer: None,
        },
        Some(any) => {
            let der = any.to_der().map_err(|e| bad(e.to_string()))?;
            PssParams::from_der(&der).map_err(|e| bad(e.to_string()))?
        }
    };
    let hash = match &p.hash {
        None => DigestAlgorithm::Sha1,
        Some(h) => DigestAlgorithm::from_algorithm_identifier(h)?,
    };
    let mgf1_hash = match &p.mask_gen {
        None => DigestAlgorithm::Sha1,
        Some(m) if m.oid == oid::ID_MGF1 => {
            let inner = m
                .parameters
                .as_ref()
                .ok_or_else(|| bad("MGF1 without its hash algorithm".into()))?;
            let inner: AlgorithmIdentifierOwned = inner
                .decode_as()
                .map_err(|e| bad(format!("MGF1 hash: {e}")))?;
            DigestAlgorithm::from_algorithm_identifier(&inner)?
        }
        Some(m) => {
            return Err(VerifyError::Unsupported(format!(
                "RSASSA-PSS mask generation function {} (only MGF1 exists)",
                m.oid
            )));
        }
    };
    if let Some(t) = p.trailer
        && t != 1
    {
        return Err(bad(format!(
            "trailerField {t}; RFC 4055 allows only 1 (0xBC)"
        )));
    }
    let salt_len = p.salt_len.unwrap_or(20) as usize;
    Ok(SignatureScheme::RsaPss {
        hash,
        mgf1_hash,
        salt_len,
    })
}

/// The signature `AlgorithmIdentifier` a CMS SignerInfo means:
/// `signatureAlgorithm` when it names a hash (sha256WithRSAEncryption,
/// ecdsa-with-SHA256, RSASSA-PSS), otherwise (`rsaEncryption`,
/// `id-ecPublicKey`, as many EF.SODs have) the key type combined with
/// `digestAlgorithm` (RFC 5652 §5.3, RFC 3370 §3.2).
///
/// # Errors
/// [`VerifyError::InconsistentParameters`] when RSASSA-PSS names another
/// hash than `digestAlgorithm` (RFC 4056 §3); unsupported algorithms.
pub fn cms_signature_algorithm(
    digest_algorithm: &AlgorithmIdentifierOwned,
    signature_algorithm: &AlgorithmIdentifierOwned,
) -> Result<AlgorithmIdentifierOwned, VerifyError> {
    let digest = DigestAlgorithm::from_algorithm_identifier(digest_algorithm)?;
    let scheme = match signature_algorithm.oid {
        oid::RSA_ENCRYPTION => SignatureScheme::RsaPkcs1 { hash: digest },
        oid::ID_EC_PUBLIC_KEY => SignatureScheme::Ecdsa {
            hash: digest,
            plain: false,
        },
        _ => {
            let scheme = SignatureScheme::from_algorithm_identifier(signature_algorithm)?;
            if let SignatureScheme::RsaPss { hash, .. } = scheme
                && hash != digest
            {
                return Err(VerifyError::InconsistentParameters(format!(
                    "RSASSA-PSS hash {hash} differs from the digest algorithm {digest}"
                )));
            }
            return Ok(signature_algorithm.clone());
        }
    };
    scheme
        .algorithm_identifier()
        .ok_or_else(|| VerifyError::UnsupportedAlgorithm("PSS without parameters".into()))
}

/// What kind of public key a certificate carries, for the policy checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum PublicKeyKind {
    /// RSA with a modulus of `bits` bits.
    Rsa {
        /// Modulus length.
        bits: u32,
    },
    /// EC on a whitelisted curve.
    Ec {
        /// The curve.
        curve: CurveId,
        /// Whether the key carries explicit domain parameters (Doc 9303-12
        /// §4.1.6.3 asks for them) rather than a named-curve OID.
        explicit: bool,
    },
}

impl fmt::Display for PublicKeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rsa { bits } => write!(f, "RSA-{bits}"),
            Self::Ec { curve, explicit } => {
                write!(
                    f,
                    "EC {curve}{}",
                    if *explicit {
                        " (explicit parameters)"
                    } else {
                        ""
                    }
                )
            }
        }
    }
}

/// `RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }`.
#[derive(Sequence)]
pub(crate) struct RsaPublicKeyDer<'a> {
    pub(crate) modulus: der::asn1::UintRef<'a>,
    pub(crate) public_exponent: der::asn1::UintRef<'a>,
}

/// Bit length of a big-endian unsigned integer.
pub(crate) fn bit_len(bytes: &[u8]) -> u32 {
    let bytes = &bytes[bytes.iter().take_while(|b| **b == 0).count()..];
    match bytes.first() {
        None => 0,
        Some(b) => (bytes.len() as u32 - 1) * 8 + (8 - b.leading_zeros()),
    }
}

/// The kind and size of a SubjectPublicKeyInfo's key.
///
/// # Errors
/// [`VerifyError::InvalidKey`], [`VerifyError::UnknownCurve`] (explicit
/// parameters matching no whitelisted curve), or
/// [`VerifyError::UnsupportedAlgorithm`].
pub fn public_key_kind(spki: &SubjectPublicKeyInfoOwned) -> Result<PublicKeyKind, VerifyError> {
    match spki.algorithm.oid {
        oid::RSA_ENCRYPTION | oid::ID_RSASSA_PSS => {
            let bytes = spki.subject_public_key.as_bytes().ok_or_else(|| {
                VerifyError::InvalidKey("RSA key BIT STRING with unused bits".into())
            })?;
            let key = RsaPublicKeyDer::from_der(bytes)
                .map_err(|e| VerifyError::InvalidKey(format!("RSAPublicKey: {e}")))?;
            Ok(PublicKeyKind::Rsa {
                bits: bit_len(key.modulus.as_bytes()),
            })
        }
        oid::ID_EC_PUBLIC_KEY => {
            let params = spki.algorithm.parameters.as_ref().ok_or_else(|| {
                VerifyError::InvalidKey("EC key without domain parameters".into())
            })?;
            let explicit = params.tag() == der::Tag::Sequence;
            let curve = mrtd_groups::curve_from_algorithm_parameters(&params.into())
                .map_err(group_error)?;
            Ok(PublicKeyKind::Ec { curve, explicit })
        }
        other => Err(VerifyError::UnsupportedAlgorithm(format!(
            "public key algorithm {other}"
        ))),
    }
}

/// Maps a group error onto the verifier's error.
pub(crate) fn group_error(e: mrtd_groups::GroupError) -> VerifyError {
    match e {
        mrtd_groups::GroupError::UnknownCurve(why) => {
            VerifyError::UnknownCurve(why.unwrap_or_else(|| "not on the whitelist".into()))
        }
        mrtd_groups::GroupError::InvalidSignature => VerifyError::BadSignature,
        other => VerifyError::InvalidKey(other.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pss_defaults_and_trailer() {
        let s = pss_scheme(None).unwrap();
        assert_eq!(
            s,
            SignatureScheme::RsaPss {
                hash: DigestAlgorithm::Sha1,
                mgf1_hash: DigestAlgorithm::Sha1,
                salt_len: 20
            }
        );
        // SEQUENCE { [3] { INTEGER 2 } }
        let der = [0x30, 0x05, 0xA3, 0x03, 0x02, 0x01, 0x02];
        let any = AnyRef::from_der(&der).unwrap();
        assert!(matches!(
            pss_scheme(Some(any)),
            Err(VerifyError::InconsistentParameters(_))
        ));
    }

    #[test]
    fn cms_key_type_only_algorithms_take_the_digest() {
        let sha256 = AlgorithmIdentifierOwned {
            oid: oid::ID_SHA256,
            parameters: None,
        };
        let rsa = AlgorithmIdentifierOwned {
            oid: oid::RSA_ENCRYPTION,
            parameters: Some(der::Any::null()),
        };
        assert_eq!(
            cms_signature_algorithm(&sha256, &rsa).unwrap().oid,
            oid::SHA256_WITH_RSA
        );
        let ec = AlgorithmIdentifierOwned {
            oid: oid::ID_EC_PUBLIC_KEY,
            parameters: None,
        };
        assert_eq!(
            cms_signature_algorithm(&sha256, &ec).unwrap().oid,
            oid::ECDSA_WITH_SHA256
        );
    }

    #[test]
    fn bit_lengths() {
        assert_eq!(bit_len(&[0, 0x80, 0]), 16);
        assert_eq!(bit_len(&[1]), 1);
        assert_eq!(bit_len(&[]), 0);
    }
}
