//! Signing keys for CSCA, Document Signer and master-list signer
//! certificates, and the signature schemes they sign with.
//!
//! Doc 9303-12 §4.1 allows RSA (PKCS#1 v1.5 and RSASSA-PSS, RFC 8017) and
//! ECDSA (BSI TR-03111) with SHA-1/SHA-2 digests. [`SigningKey`] is one
//! opaque type over all of them:
//!
//! | key | backend | signing |
//! |---|---|---|
//! | RSA, any size from 512 bits | `rsa` | PKCS#1 v1.5 or PSS, blinded |
//! | ECDSA P-256 with SHA-256 | `p256` | RFC 6979 |
//! | ECDSA on the other curves (P-224/384/521, brainpoolP224r1…P512r1), or P-256 with another digest | `mrtd-groups` | RFC 6979 |
//!
//! Every signature is a pure function of the key and the message: ECDSA
//! nonces follow RFC 6979, and the PSS salt and RSA blinding factors come
//! from a ChaCha20 stream seeded with a hash of the private key, the scheme
//! and the message (the same idea as RFC 6979 — nothing secret is
//! predictable without the key). A seeded key generation therefore
//! reproduces a whole PKI byte for byte.
//!
//! EC public keys are encoded with the named-curve OID or with explicit
//! domain parameters (`SpecifiedECDomain` with the cofactor), which
//! Doc 9303-12 §4.1.6.3 asks CSCA and DS certificates to carry.

use core::fmt;
use core::str::FromStr;

use chacha20::ChaCha20Rng;
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;
use der::asn1::{Any, BitString, Null, OctetString, OctetStringRef};
use der::{Decode, Encode, Sequence, Tag, Tagged};
use mrtd_groups::{CurveId, EcPoint, EcSecret, SpecifiedEcDomain, ecdsa::SignatureFormat};
use p256::elliptic_curve::Generate;
use pkcs8::{DecodePrivateKey, EncodePrivateKey, SecretDocument};
use rand_core::{CryptoRng, SeedableRng};
use serde::{Deserialize, Serialize};
use sha2::Digest;
use spki::{
    AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, EncodePublicKey,
    SignatureBitStringEncoding, SubjectPublicKeyInfoOwned,
};
use zeroize::Zeroizing;

use crate::PkiError;
pub use crate::digest::DigestAlgorithm;
use crate::oid::ECDSA_WITH_SHA1;

/// The key pair type: what [`SigningKey::try_generate`] makes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum KeyType {
    /// RSA with public exponent 65537 and a modulus of `bits` bits.
    Rsa {
        /// Modulus length in bits.
        bits: u16,
    },
    /// An elliptic-curve key on one of the whitelisted curves.
    Ec(CurveId),
}

impl fmt::Display for KeyType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rsa { bits } => write!(f, "RSA-{bits}"),
            Self::Ec(curve) => write!(f, "EC {curve}"),
        }
    }
}

/// RSASSA-PSS parameters (RFC 8017 §9.1, RFC 4055 §3.1) with MGF1 over the
/// same hash as the message and trailer field 1 — the only combination
/// Doc 9303-12 §4.1.5 uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PssParams {
    /// Hash of the message and of MGF1.
    pub digest: DigestAlgorithm,
    /// Salt length in bytes.
    pub salt_len: u8,
}

impl PssParams {
    /// PSS with `digest` and a salt as long as the digest (RFC 8017 §9.1
    /// "typical salt length"; BSI TR-03116-2 requires it).
    #[must_use]
    pub fn new(digest: DigestAlgorithm) -> Self {
        // Digest outputs are at most 64 bytes.
        Self {
            digest,
            salt_len: u8::try_from(digest.output_len()).unwrap_or(u8::MAX),
        }
    }

    /// The `RSASSA-PSS-params` of these parameters, every field explicit
    /// except the default trailer field (which DER must omit).
    #[must_use]
    pub fn algorithm_identifier(self) -> AlgorithmIdentifierOwned {
        pss_algorithm_identifier(self.digest, self.digest, self.salt_len, 1)
    }
}

/// `id-RSASSA-PSS` with explicitly given parameters, including ones that
/// do not describe how a signature was made — for building negative test
/// vectors (RFC 4055 §3.1: `hashAlgorithm [0]`, `maskGenAlgorithm [1]`
/// (MGF1 with `mgf1_digest`), `saltLength [2]`, `trailerField [3]`; fields
/// equal to their DEFAULT are omitted as DER requires).
#[must_use]
pub fn pss_algorithm_identifier(
    digest: DigestAlgorithm,
    mgf1_digest: DigestAlgorithm,
    salt_len: u8,
    trailer_field: u8,
) -> AlgorithmIdentifierOwned {
    let hash = |d: DigestAlgorithm| AlgorithmIdentifierOwned {
        oid: d.oid(),
        // RFC 4055 §2.1: NULL is what most producers (and BSI) put here.
        parameters: Some(Any::from(Null)),
    };
    let params = RsaPssParamsDer {
        hash: (digest != DigestAlgorithm::Sha1).then(|| hash(digest)),
        mask_gen: (mgf1_digest != DigestAlgorithm::Sha1).then(|| AlgorithmIdentifierOwned {
            oid: rfc5912::ID_MGF_1,
            parameters: Some(
                Any::encode_from(&hash(mgf1_digest)).expect("an AlgorithmIdentifier encodes"),
            ),
        }),
        salt_len: (salt_len != 20).then_some(salt_len),
        trailer_field: (trailer_field != 1).then_some(trailer_field),
    };
    AlgorithmIdentifierOwned {
        oid: rfc5912::ID_RSASSA_PSS,
        parameters: Some(Any::encode_from(&params).expect("RSASSA-PSS-params encode")),
    }
}

/// `RSASSA-PSS-params`, encoded field by field so that any value — also an
/// invalid trailer field — can be written.
#[derive(Sequence)]
struct RsaPssParamsDer {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    hash: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    mask_gen: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    salt_len: Option<u8>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    trailer_field: Option<u8>,
}

/// How a signature is computed and identified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SignatureScheme {
    /// ECDSA with this digest; the signature is the DER `ECDSA-Sig-Value`.
    Ecdsa(DigestAlgorithm),
    /// RSASSA-PKCS1-v1_5 (RFC 8017 §8.2) with this digest.
    RsaPkcs1v15(DigestAlgorithm),
    /// RSASSA-PSS (RFC 8017 §8.1).
    RsaPss(PssParams),
}

impl SignatureScheme {
    /// The digest the message is hashed with.
    #[must_use]
    pub fn digest(self) -> DigestAlgorithm {
        match self {
            Self::Ecdsa(d) | Self::RsaPkcs1v15(d) => d,
            Self::RsaPss(p) => p.digest,
        }
    }

    /// Whether the scheme signs with RSA keys (else EC keys).
    #[must_use]
    pub fn is_rsa(self) -> bool {
        !matches!(self, Self::Ecdsa(_))
    }

    /// The `AlgorithmIdentifier` of `signatureAlgorithm` in certificates,
    /// CRLs and SignerInfos.
    ///
    /// RFC 5758 §3.2: the parameters of ecdsa-with-SHA2 are absent; RFC 4055
    /// §5 / RFC 8017 Appendix A.2.4: the parameters of the PKCS#1 v1.5
    /// identifiers are NULL; PSS carries explicit `RSASSA-PSS-params`.
    #[must_use]
    pub fn algorithm_identifier(self) -> AlgorithmIdentifierOwned {
        let oid = match self {
            Self::Ecdsa(d) => match d {
                DigestAlgorithm::Sha1 => ECDSA_WITH_SHA1,
                DigestAlgorithm::Sha224 => rfc5912::ECDSA_WITH_SHA_224,
                DigestAlgorithm::Sha256 => rfc5912::ECDSA_WITH_SHA_256,
                DigestAlgorithm::Sha384 => rfc5912::ECDSA_WITH_SHA_384,
                DigestAlgorithm::Sha512 => rfc5912::ECDSA_WITH_SHA_512,
            },
            Self::RsaPkcs1v15(d) => {
                let oid = match d {
                    DigestAlgorithm::Sha1 => rfc5912::SHA_1_WITH_RSA_ENCRYPTION,
                    DigestAlgorithm::Sha224 => rfc5912::SHA_224_WITH_RSA_ENCRYPTION,
                    DigestAlgorithm::Sha256 => rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
                    DigestAlgorithm::Sha384 => rfc5912::SHA_384_WITH_RSA_ENCRYPTION,
                    DigestAlgorithm::Sha512 => rfc5912::SHA_512_WITH_RSA_ENCRYPTION,
                };
                return AlgorithmIdentifierOwned {
                    oid,
                    parameters: Some(Any::from(Null)),
                };
            }
            Self::RsaPss(p) => return p.algorithm_identifier(),
        };
        AlgorithmIdentifierOwned {
            oid,
            parameters: None,
        }
    }
}

impl fmt::Display for SignatureScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Ecdsa(d) => write!(f, "ECDSA with {d}"),
            Self::RsaPkcs1v15(d) => write!(f, "RSA PKCS#1 v1.5 with {d}"),
            Self::RsaPss(p) => write!(f, "RSASSA-PSS with {}, salt {}", p.digest, p.salt_len),
        }
    }
}

/// A key type together with the signature scheme it is used with
/// (Doc 9303-12 §4.1 lists the algorithms a CSCA or DS may use).
///
/// The textual form ([`FromStr`], [`fmt::Display`]) is what `mrtd testpki
/// --algorithm` takes: `ecdsa-p256`, `ecdsa-bp384`, `rsa2048-pkcs1`,
/// `rsa3072-pss`, optionally followed by a digest (`rsa4096-pss-sha512`,
/// `ecdsa-p256-sha384`); curves are `p224 p256 p384 p521 bp224 bp256 bp320
/// bp384 bp512`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// ECDSA on `curve` with `digest`.
    Ecdsa {
        /// The curve.
        curve: CurveId,
        /// The digest.
        digest: DigestAlgorithm,
    },
    /// RSA PKCS#1 v1.5 with `digest`.
    RsaPkcs1v15 {
        /// Modulus length in bits.
        bits: u16,
        /// The digest.
        digest: DigestAlgorithm,
    },
    /// RSASSA-PSS with `digest` for hash and MGF1 and a salt of the digest's
    /// length.
    RsaPss {
        /// Modulus length in bits.
        bits: u16,
        /// The digest.
        digest: DigestAlgorithm,
    },
}

/// Curves a passport may use, with their short names for [`KeyAlgorithm`]'s
/// textual form (brainpoolP192r1 and P-192 are too weak for new keys).
const CURVE_NAMES: [(CurveId, &str); 9] = [
    (CurveId::P224, "p224"),
    (CurveId::P256, "p256"),
    (CurveId::P384, "p384"),
    (CurveId::P521, "p521"),
    (CurveId::BrainpoolP224r1, "bp224"),
    (CurveId::BrainpoolP256r1, "bp256"),
    (CurveId::BrainpoolP320r1, "bp320"),
    (CurveId::BrainpoolP384r1, "bp384"),
    (CurveId::BrainpoolP512r1, "bp512"),
];

impl KeyAlgorithm {
    /// ECDSA over NIST P-256 with SHA-256: the algorithm of the committed
    /// test PKI.
    #[allow(non_upper_case_globals)]
    pub const EcdsaP256: Self = Self::Ecdsa {
        curve: CurveId::P256,
        digest: DigestAlgorithm::Sha256,
    };

    /// ECDSA on `curve` with the digest matching its strength
    /// ([`default_ecdsa_digest`]).
    #[must_use]
    pub fn ecdsa(curve: CurveId) -> Self {
        Self::Ecdsa {
            curve,
            digest: default_ecdsa_digest(curve),
        }
    }

    /// Every curve [`KeyAlgorithm`]'s textual form names.
    pub fn curves() -> impl Iterator<Item = CurveId> {
        CURVE_NAMES.iter().map(|(c, _)| *c)
    }

    /// The key pair type.
    #[must_use]
    pub fn key_type(self) -> KeyType {
        match self {
            Self::Ecdsa { curve, .. } => KeyType::Ec(curve),
            Self::RsaPkcs1v15 { bits, .. } | Self::RsaPss { bits, .. } => KeyType::Rsa { bits },
        }
    }

    /// The signature scheme.
    #[must_use]
    pub fn scheme(self) -> SignatureScheme {
        match self {
            Self::Ecdsa { digest, .. } => SignatureScheme::Ecdsa(digest),
            Self::RsaPkcs1v15 { digest, .. } => SignatureScheme::RsaPkcs1v15(digest),
            Self::RsaPss { digest, .. } => SignatureScheme::RsaPss(PssParams::new(digest)),
        }
    }

    /// The digest algorithm this scheme signs with; the EF.SOD signer uses
    /// it for `digestAlgorithm` and the `messageDigest` attribute as well.
    #[must_use]
    pub fn digest_algorithm(self) -> DigestAlgorithm {
        self.scheme().digest()
    }

    /// The `AlgorithmIdentifier` put in `signatureAlgorithm` of certificates
    /// and SignerInfos made with this key.
    #[must_use]
    pub fn signature_algorithm(self) -> AlgorithmIdentifierOwned {
        self.scheme().algorithm_identifier()
    }

    /// The same key type with another digest.
    #[must_use]
    pub fn with_digest(self, digest: DigestAlgorithm) -> Self {
        match self {
            Self::Ecdsa { curve, .. } => Self::Ecdsa { curve, digest },
            Self::RsaPkcs1v15 { bits, .. } => Self::RsaPkcs1v15 { bits, digest },
            Self::RsaPss { bits, .. } => Self::RsaPss { bits, digest },
        }
    }

    fn default_digest(self) -> DigestAlgorithm {
        match self {
            Self::Ecdsa { curve, .. } => default_ecdsa_digest(curve),
            Self::RsaPkcs1v15 { .. } | Self::RsaPss { .. } => DigestAlgorithm::Sha256,
        }
    }
}

/// The digest of the same security strength as `curve` (BSI TR-03116-2
/// pairing; SHA-384 for the 320-bit curve).
#[must_use]
pub fn default_ecdsa_digest(curve: CurveId) -> DigestAlgorithm {
    match curve.order_bits() {
        0..=224 => DigestAlgorithm::Sha224,
        225..=256 => DigestAlgorithm::Sha256,
        257..=384 => DigestAlgorithm::Sha384,
        _ => DigestAlgorithm::Sha512,
    }
}

fn curve_short_name(curve: CurveId) -> Option<&'static str> {
    CURVE_NAMES
        .iter()
        .find(|(c, _)| *c == curve)
        .map(|(_, n)| *n)
}

impl fmt::Display for KeyAlgorithm {
    /// The textual form (see [`KeyAlgorithm`]); the digest is appended only
    /// when it is not the default one.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Ecdsa { curve, .. } => match curve_short_name(curve) {
                Some(name) => write!(f, "ecdsa-{name}")?,
                None => write!(f, "ecdsa-{}", curve.name())?,
            },
            Self::RsaPkcs1v15 { bits, .. } => write!(f, "rsa{bits}-pkcs1")?,
            Self::RsaPss { bits, .. } => write!(f, "rsa{bits}-pss")?,
        }
        let digest = self.digest_algorithm();
        if digest != self.default_digest() {
            write!(f, "-{}", digest.name())?;
        }
        Ok(())
    }
}

impl FromStr for KeyAlgorithm {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.to_ascii_lowercase();
        let mut parts = lower.split('-');
        let head = parts.next().unwrap_or_default();
        let second = parts.next().ok_or_else(|| usage(s))?;
        let digest = parts
            .next()
            .map(str::parse::<DigestAlgorithm>)
            .transpose()?;
        if parts.next().is_some() {
            return Err(usage(s));
        }
        let algorithm = if head == "ecdsa" {
            let curve = CURVE_NAMES
                .iter()
                .find(|(c, n)| *n == second || c.name().eq_ignore_ascii_case(second))
                .map(|(c, _)| *c)
                .ok_or_else(|| usage(s))?;
            Self::ecdsa(curve)
        } else if let Some(bits) = head.strip_prefix("rsa") {
            let bits: u16 = bits.parse().map_err(|_| usage(s))?;
            if !(512..=8192).contains(&bits) {
                return Err(format!("RSA modulus of {bits} bits is outside 512..=8192"));
            }
            let digest = DigestAlgorithm::Sha256;
            match second {
                "pkcs1" => Self::RsaPkcs1v15 { bits, digest },
                "pss" => Self::RsaPss { bits, digest },
                _ => return Err(usage(s)),
            }
        } else {
            return Err(usage(s));
        };
        Ok(match digest {
            Some(d) => algorithm.with_digest(d),
            None => algorithm,
        })
    }
}

fn usage(s: &str) -> String {
    format!(
        "unknown key algorithm {s:?}: expected ecdsa-<curve>[-<digest>] \
         (curves p224 p256 p384 p521 bp224 bp256 bp320 bp384 bp512) or \
         rsa<bits>-pkcs1|pss[-<digest>]"
    )
}

/// A private signing key of a CSCA, Document Signer or master-list signer,
/// with the signature scheme it signs with by default and the encoding of
/// its EC domain parameters.
///
/// The secret is zeroized on drop (by the wrapped RustCrypto key) and never
/// shown by `Debug`.
#[derive(Clone)]
pub struct SigningKey {
    inner: Inner,
    scheme: SignatureScheme,
    explicit_parameters: bool,
}

#[derive(Clone)]
enum Inner {
    /// P-256 through the `p256` crate, which made the committed test PKI.
    EcdsaP256(p256::ecdsa::SigningKey),
    /// Any other whitelisted curve through `mrtd-groups`.
    Ec(EcSecret),
    Rsa(Box<rsa::PrivateKey>),
}

impl SigningKey {
    /// Generates a fresh key for `algorithm` from `rng`.
    ///
    /// Key generation is a pure function of the bytes `rng` yields, so a
    /// seeded RNG gives a reproducible key (used for the committed test PKI).
    ///
    /// # Panics
    /// Only for an RSA modulus the `rsa` crate cannot generate (fewer than
    /// 512 bits); use [`Self::try_generate`] to get an error instead.
    pub fn generate<R: CryptoRng + ?Sized>(algorithm: KeyAlgorithm, rng: &mut R) -> Self {
        match Self::try_generate(algorithm, rng) {
            Ok(key) => key,
            Err(e) => panic!("cannot generate a {algorithm} key: {e}"),
        }
    }

    /// Generates a fresh key for `algorithm` from `rng`, named-curve
    /// encoding for EC keys.
    ///
    /// RSA keys of fewer than 1024 bits are generated too (for policy
    /// tests); 4096-bit keys take seconds — cache them as PKCS#8.
    ///
    /// # Errors
    /// [`PkiError::Rsa`] if RSA key generation fails (modulus below 512
    /// bits).
    pub fn try_generate<R: CryptoRng + ?Sized>(
        algorithm: KeyAlgorithm,
        rng: &mut R,
    ) -> Result<Self, PkiError> {
        let inner = match algorithm.key_type() {
            KeyType::Ec(CurveId::P256) => {
                Inner::EcdsaP256(p256::ecdsa::SigningKey::generate_from_rng(rng))
            }
            KeyType::Ec(curve) => Inner::Ec(EcSecret::random(curve, rng)),
            KeyType::Rsa { bits } => {
                if bits < 512 {
                    return Err(PkiError::Rsa("modulus below 512 bits".into()));
                }
                // `new_unchecked`: sizes below the crate's 1024-bit floor are
                // wanted here, for algorithm-policy test vectors.
                let key = rsa::PrivateKey::new_unchecked(rng, usize::from(bits))
                    .map_err(|e| PkiError::Rsa(e.to_string()))?;
                Inner::Rsa(Box::new(key))
            }
        };
        Ok(Self {
            inner,
            scheme: algorithm.scheme(),
            explicit_parameters: false,
        })
    }

    /// This key with another default signature scheme.
    ///
    /// # Errors
    /// [`PkiError::SchemeMismatch`] if the scheme is for the other key
    /// family (ECDSA with an RSA key or the reverse).
    pub fn with_scheme(mut self, scheme: SignatureScheme) -> Result<Self, PkiError> {
        self.check_scheme(scheme)?;
        self.scheme = scheme;
        Ok(self)
    }

    /// This key with its EC domain parameters encoded explicitly (`true`,
    /// Doc 9303-12 §4.1.6.3) or by named-curve OID (`false`) in
    /// SubjectPublicKeyInfo and PKCS#8. No effect on RSA keys.
    #[must_use]
    pub fn with_explicit_parameters(mut self, explicit: bool) -> Self {
        self.explicit_parameters = explicit && self.curve().is_some();
        self
    }

    /// Whether the EC domain parameters are encoded explicitly.
    #[must_use]
    pub fn explicit_parameters(&self) -> bool {
        self.explicit_parameters
    }

    /// Decodes a PKCS#8 (RFC 5208 / RFC 5958) DER private key: RSA
    /// (`rsaEncryption`) or EC (`id-ecPublicKey` with a named curve or
    /// explicit parameters of a whitelisted curve). The default scheme is
    /// PKCS#1 v1.5 with SHA-256 for RSA and ECDSA with
    /// [`default_ecdsa_digest`] for EC; change it with [`Self::with_scheme`].
    ///
    /// # Errors
    /// [`PkiError::UnsupportedKeyAlgorithm`] for another key type or curve,
    /// [`PkiError::Pkcs8`] / [`PkiError::InvalidKey`] for malformed input or
    /// a public key that does not belong to the private key.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, PkiError> {
        let info = pkcs8::PrivateKeyInfoRef::try_from(der)?;
        let algorithm = info.algorithm.oid;
        let unsupported = |curve| PkiError::UnsupportedKeyAlgorithm { algorithm, curve };
        match algorithm {
            rfc5912::RSA_ENCRYPTION => {
                let key = rsa::PrivateKey::from_pkcs8_der(der)?;
                Ok(Self {
                    inner: Inner::Rsa(Box::new(key)),
                    scheme: SignatureScheme::RsaPkcs1v15(DigestAlgorithm::Sha256),
                    explicit_parameters: false,
                })
            }
            rfc5912::ID_EC_PUBLIC_KEY => {
                let params = info.algorithm.parameters.ok_or(unsupported(None))?;
                let named = params.tag() == Tag::ObjectIdentifier;
                let curve_oid = named
                    .then(|| params.decode_as::<ObjectIdentifier>().ok())
                    .flatten();
                let curve = mrtd_groups::curve_from_algorithm_parameters(&params)
                    .map_err(|_| unsupported(curve_oid))?;
                if named && curve == CurveId::P256 {
                    // The committed test PKI's form: keep `p256`'s decoder.
                    let key = p256::ecdsa::SigningKey::from_pkcs8_der(der)?;
                    return Ok(Self {
                        inner: Inner::EcdsaP256(key),
                        scheme: SignatureScheme::Ecdsa(DigestAlgorithm::Sha256),
                        explicit_parameters: false,
                    });
                }
                let ec = EcPrivateKeyDer::from_der(info.private_key.as_bytes())
                    .map_err(PkiError::der("ECPrivateKey"))?;
                if ec.version != 1 {
                    return Err(PkiError::InvalidKey("ECPrivateKey version is not 1"));
                }
                let secret = EcSecret::from_bytes(curve, ec.private_key.as_bytes())
                    .map_err(|_| PkiError::InvalidKey("EC private scalar out of range"))?;
                if let Some(public) = ec.public_key {
                    let given = public
                        .as_bytes()
                        .ok_or(PkiError::InvalidKey("EC public key has unused bits"))?;
                    if EcPoint::from_sec1(curve, given).ok() != Some(secret.public_key()) {
                        return Err(PkiError::InvalidKey(
                            "EC public key does not belong to the private key",
                        ));
                    }
                }
                let inner = if curve == CurveId::P256 {
                    Inner::EcdsaP256(
                        p256::ecdsa::SigningKey::from_slice(&secret.to_bytes())
                            .map_err(|_| PkiError::InvalidKey("P-256 scalar"))?,
                    )
                } else {
                    Inner::Ec(secret)
                };
                Ok(Self {
                    inner,
                    scheme: SignatureScheme::Ecdsa(default_ecdsa_digest(curve)),
                    explicit_parameters: !named,
                })
            }
            _ => Err(unsupported(None)),
        }
    }

    /// Encodes the key as PKCS#8 DER (the EC domain parameters in the form
    /// [`Self::explicit_parameters`] says). The returned document zeroizes
    /// its buffer on drop. The signature scheme is not part of PKCS#8.
    ///
    /// # Errors
    /// [`PkiError::Pkcs8`] if encoding fails.
    pub fn to_pkcs8_der(&self) -> Result<SecretDocument, PkiError> {
        match &self.inner {
            Inner::EcdsaP256(key) if !self.explicit_parameters => Ok(key.to_pkcs8_der()?),
            Inner::Rsa(key) => Ok(key.to_pkcs8_der()?),
            Inner::EcdsaP256(_) | Inner::Ec(_) => {
                let (curve, d) = self.ec_scalar().ok_or(PkiError::InvalidKey("not EC"))?;
                let point = self.ec_public_point()?;
                let bits = BitString::from_bytes(&point).map_err(PkiError::der("publicKey"))?;
                let ec = EcPrivateKeyDer {
                    version: 1,
                    private_key: OctetString::new(d.as_slice())
                        .map_err(PkiError::der("privateKey"))?,
                    parameters: None,
                    public_key: Some(bits),
                };
                let ec_der = Zeroizing::new(ec.to_der().map_err(PkiError::der("ECPrivateKey"))?);
                let info = PrivateKeyInfoDer {
                    version: 0,
                    algorithm: ec_algorithm_identifier(curve, self.explicit_parameters)?,
                    private_key: OctetStringRef::new(&ec_der)
                        .map_err(PkiError::der("PrivateKeyInfo"))?,
                };
                SecretDocument::encode_msg(&info).map_err(PkiError::der("PrivateKeyInfo"))
            }
        }
    }

    /// The key pair type.
    #[must_use]
    pub fn key_type(&self) -> KeyType {
        match &self.inner {
            Inner::EcdsaP256(_) => KeyType::Ec(CurveId::P256),
            Inner::Ec(s) => KeyType::Ec(s.curve()),
            Inner::Rsa(key) => {
                use rsa::traits::PublicKeyParts;
                KeyType::Rsa {
                    bits: u16::try_from(key.n().bit_width_vartime()).unwrap_or(u16::MAX),
                }
            }
        }
    }

    /// The curve of an EC key.
    #[must_use]
    pub fn curve(&self) -> Option<CurveId> {
        match self.key_type() {
            KeyType::Ec(c) => Some(c),
            KeyType::Rsa { .. } => None,
        }
    }

    /// The key type and default scheme as a [`KeyAlgorithm`] (PSS with a
    /// non-default salt shows as plain [`KeyAlgorithm::RsaPss`]; see
    /// [`Self::scheme`] for the details).
    #[must_use]
    pub fn algorithm(&self) -> KeyAlgorithm {
        match (self.key_type(), self.scheme) {
            (KeyType::Ec(curve), scheme) => KeyAlgorithm::Ecdsa {
                curve,
                digest: scheme.digest(),
            },
            (KeyType::Rsa { bits }, SignatureScheme::RsaPss(p)) => KeyAlgorithm::RsaPss {
                bits,
                digest: p.digest,
            },
            (KeyType::Rsa { bits }, scheme) => KeyAlgorithm::RsaPkcs1v15 {
                bits,
                digest: scheme.digest(),
            },
        }
    }

    /// The default signature scheme.
    #[must_use]
    pub fn scheme(&self) -> SignatureScheme {
        self.scheme
    }

    /// The public half as an X.509 SubjectPublicKeyInfo: `rsaEncryption`
    /// with NULL parameters, or `id-ecPublicKey` with the named curve or the
    /// explicit `SpecifiedECDomain` and the uncompressed point.
    ///
    /// # Errors
    /// [`PkiError::Spki`] if encoding fails.
    pub fn public_key_info(&self) -> Result<SubjectPublicKeyInfoOwned, PkiError> {
        match &self.inner {
            Inner::EcdsaP256(key) if !self.explicit_parameters => {
                Ok(SubjectPublicKeyInfoOwned::from_key(key.verifying_key())?)
            }
            Inner::Rsa(key) => {
                let der = key.to_public_key().to_public_key_der()?;
                Ok(SubjectPublicKeyInfoOwned::from_der(der.as_bytes())
                    .map_err(PkiError::der("RSA SubjectPublicKeyInfo"))?)
            }
            Inner::EcdsaP256(_) | Inner::Ec(_) => {
                let curve = self.curve().ok_or(PkiError::InvalidKey("not EC"))?;
                ec_public_key_info(curve, self.explicit_parameters, &self.ec_public_point()?)
            }
        }
    }

    /// The `signatureAlgorithm` of certificates and SignerInfos signed by
    /// this key with its default scheme.
    #[must_use]
    pub fn signature_algorithm(&self) -> AlgorithmIdentifierOwned {
        self.scheme.algorithm_identifier()
    }

    /// The digest algorithm the default scheme hashes with.
    #[must_use]
    pub fn digest_algorithm(&self) -> DigestAlgorithm {
        self.scheme.digest()
    }

    /// Signs `message` with the default scheme; see [`Self::sign_with`].
    ///
    /// # Errors
    /// [`PkiError::Signature`] / [`PkiError::Rsa`] if the primitive fails.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, PkiError> {
        self.sign_with(self.scheme, message)
    }

    /// Signs `message` (hashing it with the scheme's digest) and returns
    /// the signature in the encoding X.509 and CMS carry: for ECDSA the DER
    /// `Ecdsa-Sig-Value` SEQUENCE { r, s } (RFC 5480 §2.2, BSI TR-03111
    /// calls this the "X9.62 format"), for RSA the big-endian integer of the
    /// modulus' length.
    ///
    /// Deterministic: RFC 6979 nonces for ECDSA; for RSA the PSS salt and
    /// the blinding factor come from a stream seeded with a hash of the key,
    /// the scheme and the message.
    ///
    /// # Errors
    /// [`PkiError::SchemeMismatch`] for a scheme of the other key family,
    /// [`PkiError::Signature`] / [`PkiError::Rsa`] / [`PkiError::Group`] if
    /// the primitive fails (e.g. a PSS salt too long for the modulus).
    pub fn sign_with(&self, scheme: SignatureScheme, message: &[u8]) -> Result<Vec<u8>, PkiError> {
        use signature::Signer as _;
        self.check_scheme(scheme)?;
        let digest = scheme.digest();
        match (&self.inner, scheme) {
            (Inner::EcdsaP256(key), SignatureScheme::Ecdsa(DigestAlgorithm::Sha256)) => {
                let sig: p256::ecdsa::DerSignature = key.try_sign(message)?;
                Ok(sig.as_bytes().to_vec())
            }
            (Inner::EcdsaP256(key), SignatureScheme::Ecdsa(_)) => {
                let secret = EcSecret::from_bytes(CurveId::P256, &key.to_bytes())?;
                let mut rng = self.signing_rng(scheme, message);
                Ok(mrtd_groups::ecdsa::sign_prehash(
                    &secret,
                    &digest.digest(message),
                    &mut rng,
                    SignatureFormat::Der,
                )?)
            }
            (Inner::Ec(secret), SignatureScheme::Ecdsa(_)) => {
                // The stream only feeds RFC 6979 §3.6's additional data, so
                // the nonce stays a deterministic function of key and digest.
                let mut rng = self.signing_rng(scheme, message);
                Ok(mrtd_groups::ecdsa::sign_prehash(
                    secret,
                    &digest.digest(message),
                    &mut rng,
                    SignatureFormat::Der,
                )?)
            }
            (Inner::Rsa(key), SignatureScheme::RsaPkcs1v15(d)) => {
                let mut rng = self.signing_rng(scheme, message);
                let hash = d.digest(message);
                let padding = match d {
                    DigestAlgorithm::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
                    DigestAlgorithm::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
                    DigestAlgorithm::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
                    DigestAlgorithm::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
                    DigestAlgorithm::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
                };
                key.sign_with_rng(&mut rng, padding, &hash)
                    .map_err(|e| PkiError::Rsa(e.to_string()))
            }
            (Inner::Rsa(key), SignatureScheme::RsaPss(p)) => {
                let mut rng = self.signing_rng(scheme, message);
                let hash = p.digest.digest(message);
                let salt = usize::from(p.salt_len);
                let result = match p.digest {
                    DigestAlgorithm::Sha1 => key.sign_with_rng(
                        &mut rng,
                        rsa::pss::Pss::<sha1::Sha1>::new_with_salt(salt),
                        &hash,
                    ),
                    DigestAlgorithm::Sha224 => key.sign_with_rng(
                        &mut rng,
                        rsa::pss::Pss::<sha2::Sha224>::new_with_salt(salt),
                        &hash,
                    ),
                    DigestAlgorithm::Sha256 => key.sign_with_rng(
                        &mut rng,
                        rsa::pss::Pss::<sha2::Sha256>::new_with_salt(salt),
                        &hash,
                    ),
                    DigestAlgorithm::Sha384 => key.sign_with_rng(
                        &mut rng,
                        rsa::pss::Pss::<sha2::Sha384>::new_with_salt(salt),
                        &hash,
                    ),
                    DigestAlgorithm::Sha512 => key.sign_with_rng(
                        &mut rng,
                        rsa::pss::Pss::<sha2::Sha512>::new_with_salt(salt),
                        &hash,
                    ),
                };
                result.map_err(|e| PkiError::Rsa(e.to_string()))
            }
            _ => Err(PkiError::SchemeMismatch {
                key: self.key_type(),
                scheme,
            }),
        }
    }

    fn check_scheme(&self, scheme: SignatureScheme) -> Result<(), PkiError> {
        let rsa_key = matches!(self.inner, Inner::Rsa(_));
        if rsa_key == scheme.is_rsa() {
            Ok(())
        } else {
            Err(PkiError::SchemeMismatch {
                key: self.key_type(),
                scheme,
            })
        }
    }

    /// `(curve, d)` of an EC key.
    fn ec_scalar(&self) -> Option<(CurveId, Zeroizing<Vec<u8>>)> {
        match &self.inner {
            Inner::EcdsaP256(key) => Some((CurveId::P256, Zeroizing::new(key.to_bytes().to_vec()))),
            Inner::Ec(s) => Some((s.curve(), s.to_bytes())),
            Inner::Rsa(_) => None,
        }
    }

    /// The uncompressed SEC 1 public point of an EC key.
    fn ec_public_point(&self) -> Result<Vec<u8>, PkiError> {
        match &self.inner {
            Inner::EcdsaP256(key) => {
                Ok(key.verifying_key().to_sec1_point(false).as_bytes().to_vec())
            }
            Inner::Ec(s) => Ok(s.public_key().to_sec1_uncompressed()),
            Inner::Rsa(_) => Err(PkiError::InvalidKey("not EC")),
        }
    }

    /// The deterministic stream for PSS salts, RSA blinding and ECDSA
    /// hedging: ChaCha20 keyed with SHA-256 over a label, the private key,
    /// the scheme and the message.
    fn signing_rng(&self, scheme: SignatureScheme, message: &[u8]) -> ChaCha20Rng {
        let mut h = sha2::Sha256::new();
        h.update(b"mrtd-pki deterministic signing v1\0");
        match &self.inner {
            Inner::Rsa(key) => {
                use rsa::traits::PrivateKeyParts;
                h.update(Zeroizing::new(key.d().to_be_bytes()).as_ref());
            }
            _ => {
                if let Some((_, d)) = self.ec_scalar() {
                    h.update(d.as_slice());
                }
            }
        }
        // The scheme by its DER identifier: a stable encoding, unlike Debug.
        h.update(scheme.algorithm_identifier().to_der().unwrap_or_default());
        h.update(message);
        let seed: [u8; 32] = h.finalize().into();
        ChaCha20Rng::from_seed(seed)
    }

    /// Adapter for `x509_cert`'s certificate builder, signing with `scheme`
    /// and declaring `declared` as the algorithm (default: the scheme's
    /// identifier).
    pub(crate) fn cert_signer_with(
        &self,
        scheme: SignatureScheme,
        declared: Option<AlgorithmIdentifierOwned>,
    ) -> Result<CertSigner<'_>, PkiError> {
        self.check_scheme(scheme)?;
        Ok(CertSigner {
            key: self,
            scheme,
            algorithm: declared.unwrap_or_else(|| scheme.algorithm_identifier()),
            spki: SpkiKey(self.public_key_info()?),
        })
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print secret material; the algorithm is enough to debug with.
        f.debug_struct("SigningKey")
            .field("algorithm", &format_args!("{}", self.algorithm()))
            .field("scheme", &self.scheme)
            .field("explicit_parameters", &self.explicit_parameters)
            .finish_non_exhaustive()
    }
}

/// `AlgorithmIdentifier { id-ecPublicKey, namedCurve | SpecifiedECDomain }`.
pub(crate) fn ec_algorithm_identifier(
    curve: CurveId,
    explicit: bool,
) -> Result<AlgorithmIdentifierOwned, PkiError> {
    let parameters = if explicit {
        Any::encode_from(&SpecifiedEcDomain::for_curve(curve))
    } else {
        Any::encode_from(&curve.oid())
    }
    .map_err(PkiError::der("EC parameters"))?;
    Ok(AlgorithmIdentifierOwned {
        oid: rfc5912::ID_EC_PUBLIC_KEY,
        parameters: Some(parameters),
    })
}

/// An EC SubjectPublicKeyInfo for `point` (SEC 1 encoded).
pub(crate) fn ec_public_key_info(
    curve: CurveId,
    explicit: bool,
    point: &[u8],
) -> Result<SubjectPublicKeyInfoOwned, PkiError> {
    Ok(SubjectPublicKeyInfoOwned {
        algorithm: ec_algorithm_identifier(curve, explicit)?,
        subject_public_key: BitString::from_bytes(point).map_err(PkiError::der("EC point"))?,
    })
}

/// An EC SubjectPublicKeyInfo whose explicit parameters are `domain` —
/// which may describe no whitelisted curve (e.g. a standard curve with
/// another base point, the CVE-2020-0601 pattern) — for negative test
/// vectors of the `algorithm.policy` check.
///
/// # Errors
/// Encoding errors.
pub fn ec_public_key_info_with_domain(
    domain: &SpecifiedEcDomain,
    point: &[u8],
) -> Result<SubjectPublicKeyInfoOwned, PkiError> {
    Ok(SubjectPublicKeyInfoOwned {
        algorithm: AlgorithmIdentifierOwned {
            oid: rfc5912::ID_EC_PUBLIC_KEY,
            parameters: Some(Any::encode_from(domain).map_err(PkiError::der("EC parameters"))?),
        },
        subject_public_key: BitString::from_bytes(point).map_err(PkiError::der("EC point"))?,
    })
}

/// `ECPrivateKey` (RFC 5915 §3).
#[derive(Sequence)]
struct EcPrivateKeyDer {
    version: u8,
    private_key: OctetString,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    parameters: Option<Any>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    public_key: Option<BitString>,
}

/// `PrivateKeyInfo` v1 (RFC 5208 §5), enough to write EC keys whose
/// parameters `pkcs8`/`sec1` cannot express (explicit domains).
#[derive(Sequence)]
struct PrivateKeyInfoDer<'a> {
    version: u8,
    algorithm: AlgorithmIdentifierOwned,
    private_key: &'a OctetStringRef,
}

/// Bridges [`SigningKey`] to the trait bounds of
/// `x509_cert::builder::Builder::build`, without exposing those traits (and
/// the `signature`/`spki` versions they pin) in this crate's public API.
pub(crate) struct CertSigner<'a> {
    key: &'a SigningKey,
    scheme: SignatureScheme,
    algorithm: AlgorithmIdentifierOwned,
    spki: SpkiKey,
}

/// A public key that is only ever used in its SPKI form.
#[derive(Clone)]
pub(crate) struct SpkiKey(SubjectPublicKeyInfoOwned);

impl EncodePublicKey for SpkiKey {
    fn to_public_key_der(&self) -> spki::Result<der::Document> {
        Ok(der::Document::encode_msg(&self.0)?)
    }
}

/// A signature value already in its final encoding.
pub(crate) struct EncodedSignature(pub(crate) Vec<u8>);

impl SignatureBitStringEncoding for EncodedSignature {
    fn to_bitstring(&self) -> der::Result<BitString> {
        BitString::from_bytes(&self.0)
    }
}

impl signature::Keypair for CertSigner<'_> {
    type VerifyingKey = SpkiKey;

    fn verifying_key(&self) -> SpkiKey {
        self.spki.clone()
    }
}

impl DynSignatureAlgorithmIdentifier for CertSigner<'_> {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(self.algorithm.clone())
    }
}

impl signature::Signer<EncodedSignature> for CertSigner<'_> {
    fn try_sign(&self, msg: &[u8]) -> Result<EncodedSignature, signature::Error> {
        self.key
            .sign_with(self.scheme, msg)
            .map(EncodedSignature)
            .map_err(|_| signature::Error::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_algorithm_text_round_trips() {
        for text in [
            "ecdsa-p224",
            "ecdsa-p256",
            "ecdsa-p384",
            "ecdsa-p521",
            "ecdsa-bp224",
            "ecdsa-bp256",
            "ecdsa-bp320",
            "ecdsa-bp384",
            "ecdsa-bp512",
            "ecdsa-p256-sha512",
            "rsa2048-pkcs1",
            "rsa3072-pss",
            "rsa4096-pss-sha512",
            "rsa2048-pkcs1-sha1",
        ] {
            let alg: KeyAlgorithm = text.parse().unwrap();
            assert_eq!(alg.to_string(), text);
        }
        assert_eq!(
            "ECDSA-BP256".parse::<KeyAlgorithm>().unwrap(),
            KeyAlgorithm::ecdsa(CurveId::BrainpoolP256r1)
        );
        assert_eq!(
            "ecdsa-p256".parse::<KeyAlgorithm>().unwrap(),
            KeyAlgorithm::EcdsaP256
        );
        for bad in [
            "",
            "rsa",
            "rsa2048",
            "rsa100-pss",
            "ecdsa-p192",
            "dsa-p256",
            "rsa2048-pss-md5",
            "ecdsa-p256-sha256-x",
        ] {
            assert!(bad.parse::<KeyAlgorithm>().is_err(), "{bad}");
        }
    }

    #[test]
    fn default_digests_follow_the_curve_size() {
        assert_eq!(default_ecdsa_digest(CurveId::P224), DigestAlgorithm::Sha224);
        assert_eq!(
            default_ecdsa_digest(CurveId::BrainpoolP256r1),
            DigestAlgorithm::Sha256
        );
        assert_eq!(
            default_ecdsa_digest(CurveId::BrainpoolP320r1),
            DigestAlgorithm::Sha384
        );
        assert_eq!(default_ecdsa_digest(CurveId::P521), DigestAlgorithm::Sha512);
    }

    #[test]
    fn pss_parameters_omit_defaults_only() {
        // SHA-1 / MGF1-SHA-1 / salt 20 / trailer 1 are all DEFAULT: empty SEQUENCE.
        let id = pss_algorithm_identifier(DigestAlgorithm::Sha1, DigestAlgorithm::Sha1, 20, 1);
        assert_eq!(id.parameters.unwrap().to_der().unwrap(), [0x30, 0x00]);
        let id = PssParams::new(DigestAlgorithm::Sha256).algorithm_identifier();
        let der = id.parameters.unwrap().to_der().unwrap();
        // [0] sha256, [1] mgf1(sha256), [2] 32; no [3].
        assert_eq!(der[2], 0xA0);
        assert!(der.windows(3).any(|w| w == [0xA2, 0x03, 0x02]));
        assert!(!der.contains(&0xA3));
    }
}
