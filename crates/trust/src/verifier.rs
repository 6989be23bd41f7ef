//! The signature provider interface and its default backend.
//!
//! Passive authentication, CRL and master-list checks call only
//! [`SignatureVerifier::verify`]; a faster backend (OpenSSL, aws-lc, an
//! HSM) can replace [`RustCryptoVerifier`] without touching them.

use der::Decode;
use der::referenced::OwnedToRef;
use rsa::BoxedUint;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use crate::algorithm::{DigestAlgorithm, RsaPublicKeyDer, SignatureScheme, bit_len, group_error};
use crate::error::VerifyError;
use crate::oid;

/// Verifies one signature.
///
/// `algorithm` is the signature `AlgorithmIdentifier` as a certificate or
/// CRL carries it (for CMS, combine `digestAlgorithm` and
/// `signatureAlgorithm` first with
/// [`cms_signature_algorithm`](crate::algorithm::cms_signature_algorithm));
/// `message` is the signed data itself (the backend hashes it);
/// `signature` is the signature value as encoded in the structure (DER
/// `ECDSA-Sig-Value` for ECDSA, the octets for RSA).
pub trait SignatureVerifier: Send + Sync {
    /// `Ok(())` if `signature` is a valid signature of `message` under
    /// `key` with `algorithm`.
    ///
    /// # Errors
    /// [`VerifyError`] saying why not.
    fn verify(
        &self,
        key: &SubjectPublicKeyInfoOwned,
        algorithm: &AlgorithmIdentifierOwned,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), VerifyError>;

    /// A short name of the backend for reports.
    fn name(&self) -> &'static str;
}

/// The default backend: pure Rust. RSA PKCS#1 v1.5 and RSASSA-PSS with
/// the `rsa` crate, ECDSA on every passport curve (named or explicit
/// parameters, matched against the whitelist) with `mrtd-groups`.
#[derive(Clone, Copy, Debug, Default)]
pub struct RustCryptoVerifier;

/// Smallest and largest RSA modulus the backend accepts. Below 1024 bits
/// the policy fails the document anyway; accepting 512 here lets the
/// report say "too small" rather than "malformed".
const RSA_BITS: core::ops::RangeInclusive<usize> = 512..=16384;

impl SignatureVerifier for RustCryptoVerifier {
    fn verify(
        &self,
        key: &SubjectPublicKeyInfoOwned,
        algorithm: &AlgorithmIdentifierOwned,
        message: &[u8],
        signature: &[u8],
    ) -> Result<(), VerifyError> {
        let scheme = SignatureScheme::from_algorithm_identifier(algorithm)?;
        let hashed = scheme.hash().digest(message);
        match scheme {
            SignatureScheme::RsaPkcs1 { hash } => {
                let key = rsa_key(key, &scheme)?;
                key.verify(pkcs1(hash), &hashed, signature)
                    .map_err(|_| VerifyError::BadSignature)
            }
            SignatureScheme::RsaPss {
                hash,
                mgf1_hash,
                salt_len,
            } => {
                if mgf1_hash != hash {
                    // The `rsa` crate uses one digest for both
                    // (shared/dependencies.md §2).
                    return Err(VerifyError::Unsupported(format!(
                        "RSASSA-PSS with MGF1 hash {mgf1_hash} different from the message hash {hash}"
                    )));
                }
                let key = rsa_key(key, &scheme)?;
                // RFC 8017 §9.1.2 step 3: emLen >= hLen + sLen + 2, with
                // emLen = ceil((modBits - 1) / 8).
                let em_len = (key_bits(&key) as usize - 1).div_ceil(8);
                if em_len < hash.output_len() + salt_len + 2 {
                    return Err(VerifyError::InconsistentParameters(format!(
                        "RSASSA-PSS salt length {salt_len} with {hash} does not fit a {}-bit modulus",
                        key_bits(&key)
                    )));
                }
                verify_pss(&key, hash, salt_len, &hashed, signature)
                    .map_err(|_| VerifyError::BadSignature)
            }
            SignatureScheme::Ecdsa { plain, .. } => {
                if key.algorithm.oid != oid::ID_EC_PUBLIC_KEY {
                    return Err(VerifyError::KeyMismatch {
                        key: key.algorithm.oid.to_string(),
                        algorithm: scheme.to_string(),
                    });
                }
                let point = mrtd_groups::ec_public_key_from_spki(&key.owned_to_ref())
                    .map_err(group_error)?;
                let format = if plain {
                    mrtd_groups::ecdsa::SignatureFormat::Plain
                } else {
                    mrtd_groups::ecdsa::SignatureFormat::Der
                };
                mrtd_groups::ecdsa::verify_prehash(&point, &hashed, signature, format)
                    .map_err(group_error)
            }
        }
    }

    fn name(&self) -> &'static str {
        "rustcrypto"
    }
}

fn key_bits(key: &rsa::PublicKey) -> u32 {
    use rsa::traits::PublicKeyParts;
    key.n().as_ref().bit_width_vartime()
}

fn rsa_key(
    spki: &SubjectPublicKeyInfoOwned,
    scheme: &SignatureScheme,
) -> Result<rsa::PublicKey, VerifyError> {
    if spki.algorithm.oid != oid::RSA_ENCRYPTION && spki.algorithm.oid != oid::ID_RSASSA_PSS {
        return Err(VerifyError::KeyMismatch {
            key: spki.algorithm.oid.to_string(),
            algorithm: scheme.to_string(),
        });
    }
    let bytes = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| VerifyError::InvalidKey("RSA key BIT STRING with unused bits".into()))?;
    let k = RsaPublicKeyDer::from_der(bytes)
        .map_err(|e| VerifyError::InvalidKey(format!("RSAPublicKey: {e}")))?;
    let uint = |b: &[u8]| {
        let bits = (b.len() as u32).max(1) * 8;
        BoxedUint::from_be_slice(b, bits)
            .map_err(|_| VerifyError::InvalidKey("RSA integer does not decode".into()))
    };
    let n_bits = bit_len(k.modulus.as_bytes()) as usize;
    if !RSA_BITS.contains(&n_bits) {
        return Err(VerifyError::InvalidKey(format!(
            "RSA modulus of {n_bits} bits outside {}..={}",
            RSA_BITS.start(),
            RSA_BITS.end()
        )));
    }
    rsa::PublicKey::new_with_size_limits(
        uint(k.modulus.as_bytes())?,
        uint(k.public_exponent.as_bytes())?,
        RSA_BITS,
    )
    .map_err(|e| VerifyError::InvalidKey(format!("RSA key: {e}")))
}

fn pkcs1(hash: DigestAlgorithm) -> rsa::Pkcs1v15Sign {
    match hash {
        DigestAlgorithm::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
        DigestAlgorithm::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
        DigestAlgorithm::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
        DigestAlgorithm::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
        DigestAlgorithm::Sha512 => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
    }
}

fn verify_pss(
    key: &rsa::PublicKey,
    hash: DigestAlgorithm,
    salt_len: usize,
    hashed: &[u8],
    signature: &[u8],
) -> rsa::Result<()> {
    use rsa::Pss;
    match hash {
        DigestAlgorithm::Sha1 => key.verify(
            Pss::<sha1::Sha1>::new_with_salt(salt_len),
            hashed,
            signature,
        ),
        DigestAlgorithm::Sha224 => key.verify(
            Pss::<sha2::Sha224>::new_with_salt(salt_len),
            hashed,
            signature,
        ),
        DigestAlgorithm::Sha256 => key.verify(
            Pss::<sha2::Sha256>::new_with_salt(salt_len),
            hashed,
            signature,
        ),
        DigestAlgorithm::Sha384 => key.verify(
            Pss::<sha2::Sha384>::new_with_salt(salt_len),
            hashed,
            signature,
        ),
        DigestAlgorithm::Sha512 => key.verify(
            Pss::<sha2::Sha512>::new_with_salt(salt_len),
            hashed,
            signature,
        ),
    }
}
