//! Signing keys for CSCA and Document Signer certificates and the
//! algorithms they sign with.
//!
//! The key type is an opaque wrapper around one RustCrypto key per
//! algorithm, so RSA (PKCS#1 v1.5 and PSS) and further curves
//! (P-384, P-521, brainpool) can be added without changing any caller:
//! every operation a caller needs (PKCS#8 round trip, SubjectPublicKeyInfo,
//! signature algorithm, signing) dispatches on the variant here.

use core::fmt;

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;
use der::asn1::BitString;
use p256::elliptic_curve::Generate;
use pkcs8::{DecodePrivateKey, EncodePrivateKey, SecretDocument};
use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};
use sha2::Digest;
use spki::{
    AlgorithmIdentifierOwned, DynSignatureAlgorithmIdentifier, EncodePublicKey,
    SignatureBitStringEncoding, SubjectPublicKeyInfoOwned,
};

use crate::PkiError;

/// A signature key type together with the signature scheme it is used
/// with (Doc 9303-12 §4.1 lists the algorithms a CSCA or DS may use).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum KeyAlgorithm {
    /// ECDSA over NIST P-256 (secp256r1) with SHA-256; the public key is
    /// encoded with the named-curve OID. RFC 6979 deterministic signatures.
    EcdsaP256,
}

impl KeyAlgorithm {
    /// The digest algorithm this scheme signs with; the EF.SOD signer uses
    /// it for `digestAlgorithm` and the `messageDigest` attribute as well.
    #[must_use]
    pub fn digest_algorithm(self) -> DigestAlgorithm {
        match self {
            Self::EcdsaP256 => DigestAlgorithm::Sha256,
        }
    }

    /// The `AlgorithmIdentifier` put in `signatureAlgorithm` of certificates
    /// and SignerInfos made with this key.
    #[must_use]
    pub fn signature_algorithm(self) -> AlgorithmIdentifierOwned {
        match self {
            // RFC 5758 §3.2: the parameters of ecdsa-with-SHA2 MUST be absent.
            Self::EcdsaP256 => AlgorithmIdentifierOwned {
                oid: rfc5912::ECDSA_WITH_SHA_256,
                parameters: None,
            },
        }
    }
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::EcdsaP256 => f.write_str("ECDSA P-256 with SHA-256"),
        }
    }
}

/// A message digest algorithm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// SHA-256 (FIPS 180-4).
    Sha256,
}

impl DigestAlgorithm {
    /// The algorithm's OID.
    #[must_use]
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Sha256 => rfc5912::ID_SHA_256,
        }
    }

    /// The `AlgorithmIdentifier` with absent parameters, the form RFC 5754
    /// §2 says producers of SHA-2 identifiers SHOULD use.
    #[must_use]
    pub fn algorithm_identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: None,
        }
    }

    /// Hashes `data`.
    #[must_use]
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha256 => sha2::Sha256::digest(data).to_vec(),
        }
    }
}

/// A private signing key of a CSCA or Document Signer.
///
/// The secret is zeroized on drop (by the wrapped RustCrypto key) and never
/// shown by `Debug`.
#[derive(Clone)]
pub struct SigningKey {
    inner: Inner,
}

#[derive(Clone)]
enum Inner {
    EcdsaP256(p256::ecdsa::SigningKey),
}

impl SigningKey {
    /// Generates a fresh key for `algorithm` from `rng`.
    ///
    /// Key generation is a pure function of the bytes `rng` yields, so a
    /// seeded RNG gives a reproducible key (used for the committed test PKI).
    pub fn generate<R: CryptoRng + ?Sized>(algorithm: KeyAlgorithm, rng: &mut R) -> Self {
        let inner = match algorithm {
            KeyAlgorithm::EcdsaP256 => {
                Inner::EcdsaP256(p256::ecdsa::SigningKey::generate_from_rng(rng))
            }
        };
        Self { inner }
    }

    /// Decodes a PKCS#8 (RFC 5208 / RFC 5958) DER private key.
    ///
    /// # Errors
    /// [`PkiError::UnsupportedKeyAlgorithm`] for a key type or curve this
    /// crate does not sign with, [`PkiError::Pkcs8`] for malformed input.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, PkiError> {
        let info = pkcs8::PrivateKeyInfoRef::try_from(der)?;
        let algorithm = info.algorithm.oid;
        let curve = info.algorithm.parameters_oid().ok();
        let inner = match (algorithm, curve) {
            (rfc5912::ID_EC_PUBLIC_KEY, Some(rfc5912::SECP_256_R_1)) => {
                Inner::EcdsaP256(p256::ecdsa::SigningKey::from_pkcs8_der(der)?)
            }
            _ => return Err(PkiError::UnsupportedKeyAlgorithm { algorithm, curve }),
        };
        Ok(Self { inner })
    }

    /// Encodes the key as PKCS#8 DER. The returned document zeroizes its
    /// buffer on drop.
    ///
    /// # Errors
    /// [`PkiError::Pkcs8`] if encoding fails.
    pub fn to_pkcs8_der(&self) -> Result<SecretDocument, PkiError> {
        Ok(match &self.inner {
            Inner::EcdsaP256(key) => key.to_pkcs8_der()?,
        })
    }

    /// The algorithm this key signs with.
    #[must_use]
    pub fn algorithm(&self) -> KeyAlgorithm {
        match &self.inner {
            Inner::EcdsaP256(_) => KeyAlgorithm::EcdsaP256,
        }
    }

    /// The public half as an X.509 SubjectPublicKeyInfo.
    ///
    /// # Errors
    /// [`PkiError::Spki`] if encoding fails.
    pub fn public_key_info(&self) -> Result<SubjectPublicKeyInfoOwned, PkiError> {
        Ok(match &self.inner {
            Inner::EcdsaP256(key) => SubjectPublicKeyInfoOwned::from_key(key.verifying_key())?,
        })
    }

    /// The `signatureAlgorithm` of certificates and SignerInfos signed by
    /// this key.
    #[must_use]
    pub fn signature_algorithm(&self) -> AlgorithmIdentifierOwned {
        self.algorithm().signature_algorithm()
    }

    /// The digest algorithm the signature scheme hashes with.
    #[must_use]
    pub fn digest_algorithm(&self) -> DigestAlgorithm {
        self.algorithm().digest_algorithm()
    }

    /// Signs `message` (hashing it with [`Self::digest_algorithm`]) and
    /// returns the signature in the encoding X.509 and CMS carry: for
    /// ECDSA the DER `Ecdsa-Sig-Value` SEQUENCE { r, s } (RFC 5480 §2.2,
    /// BSI TR-03111 calls this the "X9.62 format").
    ///
    /// ECDSA nonces are derived per RFC 6979, so signing is deterministic.
    ///
    /// # Errors
    /// [`PkiError::Signature`] if the primitive fails.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>, PkiError> {
        use signature::Signer as _;
        Ok(match &self.inner {
            Inner::EcdsaP256(key) => {
                let sig: p256::ecdsa::DerSignature = key.try_sign(message)?;
                sig.as_bytes().to_vec()
            }
        })
    }

    /// Adapter for `x509_cert`'s certificate builder.
    pub(crate) fn cert_signer(&self) -> Result<CertSigner<'_>, PkiError> {
        Ok(CertSigner {
            key: self,
            spki: SpkiKey(self.public_key_info()?),
        })
    }
}

impl fmt::Debug for SigningKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print secret material; the algorithm is enough to debug with.
        f.debug_struct("SigningKey")
            .field("algorithm", &self.algorithm())
            .finish_non_exhaustive()
    }
}

/// Bridges [`SigningKey`] to the trait bounds of
/// `x509_cert::builder::Builder::build`, without exposing those traits (and
/// the `signature`/`spki` versions they pin) in this crate's public API.
pub(crate) struct CertSigner<'a> {
    key: &'a SigningKey,
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
pub(crate) struct EncodedSignature(Vec<u8>);

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
        Ok(self.key.signature_algorithm())
    }
}

impl signature::Signer<EncodedSignature> for CertSigner<'_> {
    fn try_sign(&self, msg: &[u8]) -> Result<EncodedSignature, signature::Error> {
        self.key
            .sign(msg)
            .map(EncodedSignature)
            .map_err(|_| signature::Error::new())
    }
}
