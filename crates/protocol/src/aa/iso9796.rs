//! ISO/IEC 9796-2 digital signature scheme 1 with partial message recovery,
//! as Active Authentication uses it with RSA (Doc 9303-11 §6.1.2.2 and its
//! informative worked example).
//!
//! The message representative of a k-bit modulus is the k-bit string
//!
//! ```text
//! F = 6A ‖ M1 ‖ H ‖ T        H = Hash(M1 ‖ M2),  M2 = the challenge
//! ```
//!
//! where `6A` says "partial recovery, no padding" (the chip fills the whole
//! capacity with its nonce M1, Doc 9303-11: M1 has c − 4 bits), the trailer
//! T is `BC` (SHA-1 implied) or the two bytes `XX CC` naming the hash
//! (ISO/IEC 10118-3 identifier `XX`). The chip signs σ = min(s, n − s) with
//! s = F^d mod n; the verifier computes f = σ^e mod n and, because e is odd
//! and F ends in the nibble `C`, takes F = f or F = n − f, whichever ends
//! in `C`.

use crypto_bigint::BoxedUint;
use rand_core::CryptoRng;
use rsa::traits::PublicKeyParts;
use rsa::{PrivateKey as RsaPrivateKey, PublicKey as RsaPublicKey};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::AaError;
use super::digest::AaDigest;

/// Header of F with partial message recovery and M1 filling the capacity.
pub const HEADER_PARTIAL_RECOVERY: u8 = 0x6A;
/// One-byte trailer: SHA-1, implied.
pub const TRAILER_IMPLICIT: u8 = 0xBC;
/// Last byte of the two-byte trailer `XX CC`.
pub const TRAILER_EXPLICIT: u8 = 0xCC;

/// Smallest modulus Active Authentication accepts (Doc 9303-11 §6.1: the
/// historical 1024-bit keys; whether they are acceptable is the caller's
/// policy).
pub const MIN_MODULUS_BITS: usize = 1024;
/// Largest modulus accepted.
pub const MAX_MODULUS_BITS: usize = 4096;

/// What signature scheme 1 recovers from a valid-looking signature, before
/// the hash is checked against a challenge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recovered {
    /// The recoverable part M1 (the chip's nonce).
    pub m1: Vec<u8>,
    /// H = Hash(M1 ‖ M2) as found in F.
    pub hash: Vec<u8>,
    /// The hash the trailer names.
    pub digest: AaDigest,
    /// `true` for a two-byte trailer `XX CC`, `false` for `BC`.
    pub explicit_trailer: bool,
}

/// The modulus size in bits, checked: 1024–4096 and a whole number of
/// bytes (the byte-aligned layout of F above needs it; every AA key in use
/// has such a size).
pub(crate) fn checked_modulus_bits(n: &BoxedUint) -> Result<usize, AaError> {
    let bits = n.bit_width_vartime() as usize;
    check_modulus_bits(bits)?;
    Ok(bits)
}

/// [`AaError::ModulusSize`] unless `bits` is in 1024–4096 and a multiple
/// of 8.
pub(crate) fn check_modulus_bits(bits: usize) -> Result<(), AaError> {
    if (MIN_MODULUS_BITS..=MAX_MODULUS_BITS).contains(&bits) && bits.is_multiple_of(8) {
        Ok(())
    } else {
        Err(AaError::ModulusSize { bits })
    }
}

/// The last `len` bytes of a big-endian integer known to be below 2^(8·len).
fn to_fixed(v: &BoxedUint, len: usize) -> Vec<u8> {
    let bytes = v.to_be_bytes();
    let skip = bytes.len().saturating_sub(len);
    let mut out = vec![0u8; len.saturating_sub(bytes.len())];
    out.extend_from_slice(&bytes[skip..]);
    out
}

/// The message representative F = 6A ‖ M1 ‖ Hash(M1 ‖ M2) ‖ T.
#[must_use]
pub fn message_representative(
    m1: &[u8],
    m2: &[u8],
    digest: AaDigest,
    explicit_trailer: bool,
) -> Vec<u8> {
    let mut f = Vec::with_capacity(1 + m1.len() + digest.output_len() + 2);
    f.push(HEADER_PARTIAL_RECOVERY);
    f.extend_from_slice(m1);
    f.extend(digest.hash(&[m1, m2]));
    if explicit_trailer {
        f.extend_from_slice(&[digest.iso9796_hash_id(), TRAILER_EXPLICIT]);
    } else {
        f.push(TRAILER_IMPLICIT);
    }
    f
}

/// Opens a signature: checks 0 < σ < n, computes f = σ^e mod n, takes F = f
/// or n − f, and checks F's header and trailer. The hash is *not* checked
/// here (see [`super::verify`]).
///
/// # Errors
/// [`AaError::ModulusSize`], [`AaError::Malformed`] (empty signature),
/// [`AaError::SignatureOutOfRange`], [`AaError::BadTrailer`],
/// [`AaError::UnknownHashId`], [`AaError::BadHeader`].
pub fn recover(key: &RsaPublicKey, signature: &[u8]) -> Result<Recovered, AaError> {
    let n = key.n().as_ref();
    let bits = checked_modulus_bits(n)?;
    let len = bits / 8;
    if signature.is_empty() {
        return Err(AaError::Malformed {
            what: "empty signature".into(),
        });
    }
    // A signature longer than the modulus is no representative of an
    // integer below n (leading zero bytes included: the chip sends exactly
    // |n| bytes, or fewer when the top bytes are zero).
    if signature.len() > len {
        return Err(AaError::SignatureOutOfRange);
    }
    let precision = key.n_bits_precision();
    let s =
        BoxedUint::from_be_slice(signature, precision).map_err(|_| AaError::SignatureOutOfRange)?;
    // rsa_encrypt silently reduces mod n: the range check is ours.
    if bool::from(s.is_zero()) || s >= *n {
        return Err(AaError::SignatureOutOfRange);
    }
    let f = rsa::hazmat::rsa_encrypt(key, &s).map_err(|e| AaError::Malformed {
        what: format!("RSA public operation: {e}"),
    })?;
    let mut representative = to_fixed(&f, len);
    // ISO/IEC 9796-2 with an odd exponent: σ may be n − s, whose power is
    // n − F; F ends in the nibble C, so does exactly one of f and n − f.
    if representative.last().is_some_and(|b| b & 0x0F != 0x0C) {
        representative = to_fixed(&n.wrapping_sub(&f), len);
    }
    parse_representative(&representative)
}

/// Splits a message representative F (the output of the RSA operation,
/// |n| bytes) into header, M1, H and trailer, checking the header and the
/// trailer.
///
/// # Errors
/// [`AaError::BadTrailer`], [`AaError::UnknownHashId`],
/// [`AaError::BadHeader`], or [`AaError::SignatureOutOfRange`] for an F too
/// short to hold them.
pub fn parse_representative(f: &[u8]) -> Result<Recovered, AaError> {
    let (&last, rest) = f.split_last().ok_or(AaError::SignatureOutOfRange)?;
    let (digest, explicit_trailer, body) = match last {
        TRAILER_IMPLICIT => (AaDigest::Sha1, false, rest),
        TRAILER_EXPLICIT => {
            let (&id, body) = rest
                .split_last()
                .ok_or(AaError::BadTrailer { found: last })?;
            let digest = AaDigest::from_iso9796_hash_id(id).ok_or(AaError::UnknownHashId { id })?;
            (digest, true, body)
        }
        found => return Err(AaError::BadTrailer { found }),
    };
    let (&header, body) = body.split_first().ok_or(AaError::SignatureOutOfRange)?;
    if header != HEADER_PARTIAL_RECOVERY {
        return Err(AaError::BadHeader { found: header });
    }
    let m1_len = body
        .len()
        .checked_sub(digest.output_len())
        .ok_or(AaError::SignatureOutOfRange)?;
    let (m1, hash) = body.split_at(m1_len);
    Ok(Recovered {
        m1: m1.to_vec(),
        hash: hash.to_vec(),
        digest,
        explicit_trailer,
    })
}

/// Checks the recovered hash against Hash(M1 ‖ challenge), in constant
/// time.
pub(crate) fn check_hash(recovered: &Recovered, challenge: &[u8]) -> Result<(), AaError> {
    let expected = recovered.digest.hash(&[&recovered.m1, challenge]);
    if bool::from(expected.ct_eq(&recovered.hash)) {
        Ok(())
    } else {
        Err(AaError::DigestMismatch)
    }
}

/// The chip's signature: a random M1 filling the capacity, F as above,
/// s = F^d mod n (blinded), σ = min(s, n − s).
pub(crate) fn sign<R: CryptoRng + ?Sized>(
    key: &RsaPrivateKey,
    challenge: &[u8],
    digest: AaDigest,
    explicit_trailer: bool,
    rng: &mut R,
) -> Result<Vec<u8>, AaError> {
    if !explicit_trailer && digest != AaDigest::Sha1 {
        return Err(AaError::ImplicitTrailerNeedsSha1 { digest });
    }
    let n = key.n().as_ref();
    let bits = checked_modulus_bits(n)?;
    let len = bits / 8;
    let trailer_len = if explicit_trailer { 2 } else { 1 };
    // |F| = k bits: header, M1, hash, trailer. At 1024 bits and SHA-512
    // M1 still has 128 − 1 − 64 − 2 = 61 bytes.
    let m1_len = len - 1 - digest.output_len() - trailer_len;
    let mut m1 = vec![0u8; m1_len];
    rng.fill_bytes(&mut m1);
    let f = Zeroizing::new(message_representative(
        &m1,
        challenge,
        digest,
        explicit_trailer,
    ));
    let precision = key.n_bits_precision();
    let f = BoxedUint::from_be_slice(&f, precision).map_err(|e| AaError::Signing {
        what: format!("message representative: {e}"),
    })?;
    let s =
        rsa::hazmat::rsa_decrypt_and_check(key, Some(rng), &f).map_err(|e| AaError::Signing {
            what: e.to_string(),
        })?;
    let complement = n.wrapping_sub(&s);
    let sigma = if complement < s { complement } else { s };
    Ok(to_fixed(&sigma, len))
}
