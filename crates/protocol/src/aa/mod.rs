//! Active Authentication (Doc 9303-11 §6.1): the chip signs a challenge of
//! the terminal with the private key of the public key in DG15, proving
//! that it is the chip the issuer personalised and not a copy of its data.
//!
//! - The command: [`internal_authenticate`] (`00 88 00 00`, 8-byte
//!   challenge), sent over the secure channel.
//! - The terminal's check: [`verify`] — RSA with ISO/IEC 9796-2 digital
//!   signature scheme 1 ([`iso9796`]), or ECDSA with a plain `r‖s`
//!   signature (BSI TR-03111) and the hash named by DG14's
//!   `ActiveAuthenticationInfo`.
//! - The chip's side (virtual passport): [`sign`], [`sign_with_scheme`].
//!
//! The challenge may come from a CSPRNG or from a remote verifier (a
//! server nonce); [`verify`] needs only the DG15 key, the challenge and the
//! signature, so a server can re-verify a recorded Active Authentication
//! offline. The key proves the chip genuine only if passive authentication
//! proved DG15's integrity (and DG14's, for the ECDSA hash).

pub mod digest;
pub mod iso9796;
pub mod keys;

#[cfg(test)]
mod tests;

use mrtd_groups::GroupError;
use mrtd_groups::ecdsa::{SignatureFormat, sign_prehash, verify_prehash};
use mrtd_iso7816::CommandApdu;
use mrtd_iso7816::apdu::{MAX_NE_EXTENDED, MAX_NE_SHORT};
use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};

pub use digest::AaDigest;
pub use keys::{AaPrivateKey, AaPublicKey};

/// INS of INTERNAL AUTHENTICATE.
pub const INS_INTERNAL_AUTHENTICATE: u8 = 0x88;

/// Length of the challenge RND.IFD (Doc 9303-11 §6.1.2.1).
pub const CHALLENGE_LEN: usize = 8;

/// INTERNAL AUTHENTICATE (`00 88 00 00`) with the 8-byte challenge and an
/// Ne that covers a signature of `signature_len` bytes
/// ([`AaPublicKey::signature_len`]): short Le up to 256 bytes (RSA-2048:
/// Le `00`), extended beyond (RSA-3072/4096). `0` asks for 256.
#[must_use]
pub fn internal_authenticate(challenge: &[u8; CHALLENGE_LEN], signature_len: usize) -> CommandApdu {
    let ne = match signature_len {
        0 => MAX_NE_SHORT,
        n => n.min(MAX_NE_EXTENDED),
    };
    let cmd = CommandApdu::new(0x00, INS_INTERNAL_AUTHENTICATE, 0x00, 0x00);
    // 8 bytes of data and 1 ≤ Ne ≤ 65536 always fit.
    cmd.clone()
        .with_data(challenge.to_vec())
        .and_then(|c| c.with_ne(ne))
        .unwrap_or(cmd)
}

/// The signature scheme an Active Authentication used.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "scheme", rename_all = "kebab-case")]
pub enum AaScheme {
    /// RSA, ISO/IEC 9796-2 digital signature scheme 1, partial recovery.
    #[serde(rename = "iso9796-2")]
    Iso9796_2 {
        /// The hash the trailer names.
        digest: AaDigest,
        /// `true` for a two-byte trailer `XX CC`, `false` for `BC`.
        explicit_trailer: bool,
    },
    /// ECDSA, plain `r‖s` (BSI TR-03111 §5.2.1).
    EcdsaPlain {
        /// The hash (from `ActiveAuthenticationInfo`).
        digest: AaDigest,
    },
}

impl AaScheme {
    /// The hash function.
    #[must_use]
    pub fn digest(self) -> AaDigest {
        match self {
            Self::Iso9796_2 { digest, .. } | Self::EcdsaPlain { digest } => digest,
        }
    }
}

impl core::fmt::Display for AaScheme {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Iso9796_2 {
                digest,
                explicit_trailer: false,
            } => write!(f, "ISO/IEC 9796-2 scheme 1, {digest}, trailer BC"),
            Self::Iso9796_2 {
                digest,
                explicit_trailer: true,
            } => write!(
                f,
                "ISO/IEC 9796-2 scheme 1, {digest}, trailer {:02X}CC",
                digest.iso9796_hash_id()
            ),
            Self::EcdsaPlain { digest } => write!(f, "ECDSA plain, {digest}"),
        }
    }
}

/// A verified Active Authentication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AaVerification {
    /// The scheme and hash the signature used.
    pub scheme: AaScheme,
    /// The key size ([`AaPublicKey::key_bits`]): policy (e.g. "warn under
    /// RSA-2048") is the caller's.
    pub key_bits: usize,
}

/// Why an Active Authentication signature was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AaError {
    /// DG15 holds a key that is neither RSA nor EC.
    #[error("the Active Authentication key is neither RSA nor EC (algorithm {oid})")]
    NotRsaOrEc {
        /// The key's algorithm OID.
        oid: String,
    },
    /// An RSA modulus outside 1024–4096 bits (or not a whole number of
    /// bytes).
    #[error("RSA modulus of {bits} bits: Active Authentication accepts 1024 to 4096 bits")]
    ModulusSize {
        /// The modulus size.
        bits: usize,
    },
    /// The RSA signature is not an integer in [1, n−1] of at most |n| bytes.
    #[error("the signature is not below the modulus")]
    SignatureOutOfRange,
    /// The recovered message representative does not start with `6A`.
    #[error("ISO/IEC 9796-2: header {found:02X}, expected 6A (partial recovery)")]
    BadHeader {
        /// The first byte found.
        found: u8,
    },
    /// The recovered message representative ends in neither `BC` nor `CC`.
    #[error("ISO/IEC 9796-2: trailer ending in {found:02X}, expected BC or CC")]
    BadTrailer {
        /// The last byte found.
        found: u8,
    },
    /// A two-byte trailer names a hash this crate does not accept.
    #[error("ISO/IEC 9796-2: unknown hash identifier {id:02X} in the trailer")]
    UnknownHashId {
        /// The ISO/IEC 10118-3 identifier.
        id: u8,
    },
    /// The recovered hash is not Hash(M1 ‖ challenge): a wrong key, a
    /// wrong challenge or a forged signature.
    #[error("the signature does not match the challenge")]
    DigestMismatch,
    /// An EC key without the hash of DG14's `ActiveAuthenticationInfo`.
    #[error("ECDSA Active Authentication needs the hash of DG14's ActiveAuthenticationInfo")]
    EcdsaDigestMissing,
    /// The ECDSA signature does not verify (or is malformed).
    #[error("ECDSA: {0}")]
    Ecdsa(GroupError),
    /// The EC public or private key is invalid or on a curve outside the
    /// whitelist.
    #[error("EC key: {0}")]
    EcKey(GroupError),
    /// SHA-1 is the only hash the one-byte trailer `BC` can imply.
    #[error("the implicit trailer BC means SHA-1; {digest} needs the two-byte trailer")]
    ImplicitTrailerNeedsSha1 {
        /// The hash asked for.
        digest: AaDigest,
    },
    /// Signing with a scheme the key cannot do (ECDSA with an RSA key, …).
    #[error("a {key} key cannot sign with {scheme}")]
    SchemeMismatch {
        /// The scheme asked for.
        scheme: AaScheme,
        /// `"RSA"` or `"EC"`.
        key: &'static str,
    },
    /// Malformed input: key DER, an empty signature.
    #[error("malformed: {what}")]
    Malformed {
        /// What is wrong.
        what: String,
    },
    /// The chip side could not sign.
    #[error("signing failed: {what}")]
    Signing {
        /// What failed.
        what: String,
    },
}

/// Verifies an Active Authentication signature over `challenge` (RND.IFD,
/// or whatever nonce the terminal sent).
///
/// - RSA (Doc 9303-11 §6.1.2.2): ISO/IEC 9796-2 signature scheme 1 with
///   partial message recovery. σ must be in [1, n−1]; f = σ^e mod n,
///   replaced by n − f when it does not end in the nibble `C` (odd e);
///   header `6A`; trailer `BC` (SHA-1) or `33CC`/`38CC`/`34CC`/`36CC`/
///   `35CC` (SHA-1/224/256/384/512); M1 recovered, M = M1 ‖ challenge,
///   and Hash(M) compared with the recovered hash in constant time.
///   `ecdsa_digest` is ignored.
/// - EC: ECDSA with a plain `r‖s` signature (BSI TR-03111) over
///   Hash(challenge), with `ecdsa_digest` (required) from DG14's
///   `ActiveAuthenticationInfo`.
///
/// # Errors
/// The [`AaError`] variant names the failed check.
pub fn verify(
    key: &AaPublicKey,
    challenge: &[u8],
    signature: &[u8],
    ecdsa_digest: Option<AaDigest>,
) -> Result<AaVerification, AaError> {
    let scheme = match key {
        AaPublicKey::Rsa(k) => {
            let recovered = iso9796::recover(k, signature)?;
            iso9796::check_hash(&recovered, challenge)?;
            AaScheme::Iso9796_2 {
                digest: recovered.digest,
                explicit_trailer: recovered.explicit_trailer,
            }
        }
        AaPublicKey::Ec(point) => {
            let digest = ecdsa_digest.ok_or(AaError::EcdsaDigestMissing)?;
            verify_prehash(
                point,
                &digest.hash(&[challenge]),
                signature,
                SignatureFormat::Plain,
            )
            .map_err(AaError::Ecdsa)?;
            AaScheme::EcdsaPlain { digest }
        }
    };
    Ok(AaVerification {
        scheme,
        key_bits: key.key_bits(),
    })
}

/// The chip's answer to INTERNAL AUTHENTICATE with the scheme Doc 9303
/// implies for `digest`: RSA with the trailer `BC` for SHA-1 and the
/// two-byte trailer otherwise; ECDSA plain with `digest` for an EC key.
///
/// # Errors
/// See [`sign_with_scheme`].
pub fn sign<R: CryptoRng + ?Sized>(
    key: &AaPrivateKey,
    challenge: &[u8],
    digest: AaDigest,
    rng: &mut R,
) -> Result<Vec<u8>, AaError> {
    let scheme = match key {
        AaPrivateKey::Rsa(_) => AaScheme::Iso9796_2 {
            digest,
            explicit_trailer: digest != AaDigest::Sha1,
        },
        AaPrivateKey::Ec(_) => AaScheme::EcdsaPlain { digest },
    };
    sign_with_scheme(key, challenge, scheme, rng)
}

/// The chip's signature over `challenge` with an explicit scheme (e.g.
/// SHA-1 with the two-byte trailer `33CC`).
///
/// - RSA: a random M1 filling the capacity, F = 6A ‖ M1 ‖ Hash(M1 ‖
///   challenge) ‖ T, s = F^d mod n (blinded, with the CRT fault check),
///   σ = min(s, n − s), |n| bytes.
/// - EC: hedged deterministic ECDSA (RFC 6979 + `rng`), plain `r‖s`.
///
/// # Errors
/// [`AaError::SchemeMismatch`], [`AaError::ImplicitTrailerNeedsSha1`],
/// [`AaError::ModulusSize`], [`AaError::Signing`].
pub fn sign_with_scheme<R: CryptoRng + ?Sized>(
    key: &AaPrivateKey,
    challenge: &[u8],
    scheme: AaScheme,
    rng: &mut R,
) -> Result<Vec<u8>, AaError> {
    match (key, scheme) {
        (
            AaPrivateKey::Rsa(k),
            AaScheme::Iso9796_2 {
                digest,
                explicit_trailer,
            },
        ) => iso9796::sign(k, challenge, digest, explicit_trailer, rng),
        (AaPrivateKey::Ec(k), AaScheme::EcdsaPlain { digest }) => {
            sign_prehash(k, &digest.hash(&[challenge]), rng, SignatureFormat::Plain).map_err(|e| {
                AaError::Signing {
                    what: e.to_string(),
                }
            })
        }
        (AaPrivateKey::Rsa(_), scheme) => Err(AaError::SchemeMismatch { scheme, key: "RSA" }),
        (AaPrivateKey::Ec(_), scheme) => Err(AaError::SchemeMismatch { scheme, key: "EC" }),
    }
}
