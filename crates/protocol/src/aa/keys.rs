//! Active Authentication keys: the public key of DG15 (Doc 9303-11 §6.1,
//! Doc 9303-10 §4.7.15) and the chip's private key (virtual passport).

use der::Decode;
use mrtd_groups::{
    CurveId, EcPoint, EcSecret, ID_EC_PUBLIC_KEY, ID_STANDARDIZED_DOMAIN_PARAMETERS,
};
use rand_core::CryptoRng;
use rsa::traits::PublicKeyParts;
use rsa::{PrivateKey as RsaPrivateKey, PublicKey as RsaPublicKey};

use super::AaError;
use super::iso9796::{
    MAX_MODULUS_BITS, MIN_MODULUS_BITS, check_modulus_bits, checked_modulus_bits,
};
use crate::ca::keys::{
    ID_RSA_ENCRYPTION, PrivateKeyContainer, ec_spki_der, private_key_from_pkcs8,
};

/// The Active Authentication public key of DG15.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AaPublicKey {
    /// RSA (ISO/IEC 9796-2 signature scheme 1), 1024–4096 bits.
    Rsa(RsaPublicKey),
    /// ECDSA on a whitelisted curve (named or explicit parameters).
    Ec(EcPoint),
}

impl AaPublicKey {
    /// Reads DG15's `SubjectPublicKeyInfo` (the content of tag `6F`):
    /// `rsaEncryption` with a PKCS #1 `RSAPublicKey`, or `id-ecPublicKey`
    /// with named or explicit parameters (matched against the curve
    /// whitelist of `mrtd-groups`).
    ///
    /// # Errors
    /// [`AaError::Malformed`] for DER that does not decode,
    /// [`AaError::NotRsaOrEc`] for another algorithm,
    /// [`AaError::ModulusSize`] for an RSA modulus outside 1024–4096 bits,
    /// [`AaError::EcKey`] for an EC key that is not a valid point of a
    /// whitelisted curve.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, AaError> {
        let spki =
            spki::SubjectPublicKeyInfoRef::from_der(der).map_err(|e| AaError::Malformed {
                what: format!("SubjectPublicKeyInfo: {e}"),
            })?;
        let oid = spki.algorithm.oid;
        if oid == ID_RSA_ENCRYPTION {
            let bits = spki
                .subject_public_key
                .as_bytes()
                .ok_or_else(|| AaError::Malformed {
                    what: "RSA public key BIT STRING has unused bits".into(),
                })?;
            rsa_public_key(bits).map(Self::Rsa)
        } else if oid == ID_EC_PUBLIC_KEY || oid == ID_STANDARDIZED_DOMAIN_PARAMETERS {
            mrtd_groups::ec_public_key_from_spki(&spki)
                .map(Self::Ec)
                .map_err(AaError::EcKey)
        } else {
            Err(AaError::NotRsaOrEc {
                oid: oid.to_string(),
            })
        }
    }

    /// The key size: the modulus bits for RSA, the field bits for EC
    /// (256 for P-256 and brainpoolP256r1).
    #[must_use]
    pub fn key_bits(&self) -> usize {
        match self {
            Self::Rsa(k) => k.n().as_ref().bit_width_vartime() as usize,
            Self::Ec(p) => p.curve().field_bits() as usize,
        }
    }

    /// The length in bytes of a signature: |n| for RSA, 2·|order| for
    /// plain ECDSA (the Ne of INTERNAL AUTHENTICATE).
    #[must_use]
    pub fn signature_len(&self) -> usize {
        match self {
            Self::Rsa(k) => k.size(),
            Self::Ec(p) => 2 * p.curve().order_len(),
        }
    }

    /// The key's `SubjectPublicKeyInfo` in DER (RSA with NULL parameters,
    /// EC with the named curve), e.g. for a personalised DG15.
    #[must_use]
    pub fn to_spki_der(&self) -> Vec<u8> {
        match self {
            Self::Rsa(k) => {
                use rsa::pkcs8::EncodePublicKey;
                k.to_public_key_der()
                    .map(|d| d.as_bytes().to_vec())
                    // Encoding a validated key cannot fail.
                    .unwrap_or_default()
            }
            Self::Ec(p) => ec_spki_der(p),
        }
    }
}

/// A PKCS #1 `RSAPublicKey` with the size checked before anything else
/// (so that a 512-bit key says "512 bits", not "malformed").
fn rsa_public_key(der: &[u8]) -> Result<RsaPublicKey, AaError> {
    let key = rsa::pkcs1::RsaPublicKeyRef::from_der(der).map_err(|e| AaError::Malformed {
        what: format!("RSAPublicKey: {e}"),
    })?;
    let n_bytes = key.modulus.as_bytes();
    let e_bytes = key.public_exponent.as_bytes();
    let bits = n_bytes.first().map_or(0, |top| {
        (n_bytes.len() - 1) * 8 + (8 - top.leading_zeros() as usize)
    });
    check_modulus_bits(bits)?;
    let precision = u32::try_from(n_bytes.len() * 8).map_err(|_| AaError::ModulusSize { bits })?;
    let n = crypto_bigint::BoxedUint::from_be_slice(n_bytes, precision).map_err(|e| {
        AaError::Malformed {
            what: format!("RSA modulus: {e}"),
        }
    })?;
    let e_precision = u32::try_from(e_bytes.len().max(1) * 8).unwrap_or(64);
    let e = crypto_bigint::BoxedUint::from_be_slice(e_bytes, e_precision).map_err(|e| {
        AaError::Malformed {
            what: format!("RSA exponent: {e}"),
        }
    })?;
    // Even exponents (Rabin–Williams), e ≥ n, e > 2^33 − 1 and even moduli
    // are refused here.
    RsaPublicKey::new_with_size_limits(n, e, MIN_MODULUS_BITS..=MAX_MODULUS_BITS).map_err(|e| {
        AaError::Malformed {
            what: format!("RSA public key: {e}"),
        }
    })
}

/// The chip's Active Authentication private key (virtual passport).
/// Zeroized on drop (by `rsa` and `mrtd-groups`); `Debug` shows only the
/// kind and size.
#[derive(Clone)]
pub enum AaPrivateKey {
    /// RSA, 1024–4096 bits.
    Rsa(Box<RsaPrivateKey>),
    /// ECDSA.
    Ec(EcSecret),
}

impl core::fmt::Debug for AaPrivateKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Rsa(k) => write!(
                f,
                "AaPrivateKey::Rsa({} bits, ..)",
                k.n().as_ref().bit_width_vartime()
            ),
            Self::Ec(k) => write!(f, "AaPrivateKey::Ec({}, ..)", k.curve()),
        }
    }
}

impl AaPrivateKey {
    /// Reads a PKCS#8 RSA or EC private key (e.g. the published TR-03105-5
    /// test key `DG15_sk.pkcs8`).
    ///
    /// # Errors
    /// [`AaError::Malformed`] for DER that does not decode or a key that
    /// does not load, [`AaError::NotRsaOrEc`] for a DH key,
    /// [`AaError::ModulusSize`] outside 1024–4096 bits.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, AaError> {
        let key = match private_key_from_pkcs8(der) {
            Ok(PrivateKeyContainer::Rsa(k)) => Self::Rsa(k),
            Ok(PrivateKeyContainer::Ec(k)) => Self::Ec(k),
            Ok(PrivateKeyContainer::Dh(_)) => {
                return Err(AaError::NotRsaOrEc {
                    oid: mrtd_groups::ID_DH_PUBLIC_NUMBER.to_string(),
                });
            }
            Err(e) => {
                return Err(AaError::Malformed {
                    what: e.to_string(),
                });
            }
        };
        if let Self::Rsa(k) = &key {
            checked_modulus_bits(k.n().as_ref())?;
        }
        Ok(key)
    }

    /// A fresh RSA key of `bits` bits (public exponent 65537).
    ///
    /// # Errors
    /// [`AaError::ModulusSize`] outside 1024–4096 bits or not a multiple
    /// of 8, [`AaError::Signing`] if key generation fails.
    pub fn generate_rsa<R: CryptoRng + ?Sized>(bits: usize, rng: &mut R) -> Result<Self, AaError> {
        check_modulus_bits(bits)?;
        let key = RsaPrivateKey::new(rng, bits).map_err(|e| AaError::Signing {
            what: format!("RSA key generation: {e}"),
        })?;
        checked_modulus_bits(key.n().as_ref())?;
        Ok(Self::Rsa(Box::new(key)))
    }

    /// A fresh ECDSA key on `curve`.
    pub fn generate_ec<R: CryptoRng + ?Sized>(curve: CurveId, rng: &mut R) -> Self {
        Self::Ec(EcSecret::random(curve, rng))
    }

    /// The public key.
    #[must_use]
    pub fn public_key(&self) -> AaPublicKey {
        match self {
            Self::Rsa(k) => AaPublicKey::Rsa(k.to_public_key()),
            Self::Ec(k) => AaPublicKey::Ec(k.public_key()),
        }
    }

    /// The public key's `SubjectPublicKeyInfo` in DER, the content of DG15.
    #[must_use]
    pub fn public_key_spki_der(&self) -> Vec<u8> {
        self.public_key().to_spki_der()
    }
}
