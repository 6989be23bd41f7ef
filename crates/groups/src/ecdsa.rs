//! ECDSA over a precomputed digest, on all eleven curves, in the two
//! signature encodings eMRTDs use.
//!
//! - [`SignatureFormat::Der`]: `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER,
//!   s INTEGER }` (RFC 3279 §2.2.3) — X.509 certificates, CRLs, CMS
//!   (EF.SOD, master lists).
//! - [`SignatureFormat::Plain`]: `r‖s`, each exactly `order_len` bytes
//!   (BSI TR-03111 §5.2.1) — Active Authentication with ECDSA
//!   (Doc 9303-11 §6.1) and Terminal Authentication.
//!
//! The digest may have any length: it is converted to an integer as SEC 1
//! §4.1.3 step 5 / §4.1.4 step 3 prescribe (its leftmost `order_bits`
//! bits), so SHA-1 on P-521 and SHA-512 on P-256 both work.
//!
//! Signing uses RFC 6979 deterministic `k`, hedged with 32 bytes from the
//! caller's RNG as RFC 6979 §3.6 additional data (a weak RNG cannot leak
//! the key; a strong one defeats fault attacks on determinism). It is
//! constant time in the key and `k`; verification is variable time.

use rand_core::CryptoRng;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::curve::CurveId;
use crate::ec::backend::backend;
use crate::ec::{EcPoint, EcSecret};
use crate::error::GroupError;
use crate::util::{left_pad, strip_leading_zeros};

/// How an ECDSA signature `(r, s)` is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SignatureFormat {
    /// ASN.1 DER `SEQUENCE { r INTEGER, s INTEGER }` (X.509, CMS).
    Der,
    /// `r‖s`, each `order_len` bytes (BSI TR-03111 "plain"; Active
    /// Authentication, Terminal Authentication).
    Plain,
}

/// `ECDSA-Sig-Value` (RFC 3279 §2.2.3).
#[derive(der::Sequence)]
struct EcdsaSigValue<'a> {
    r: der::asn1::UintRef<'a>,
    s: der::asn1::UintRef<'a>,
}

/// The SEC 1 integer `e` of a digest: its leftmost `order_bits` bits,
/// encoded in `order_len` bytes (value `< 2^order_bits`, not yet reduced
/// mod n — both backends reduce it).
fn digest_to_e(curve: CurveId, digest: &[u8]) -> Vec<u8> {
    let len = curve.order_len();
    let bits = curve.order_bits() as usize;
    if digest.len() * 8 <= bits {
        let mut e = vec![0u8; len];
        e[len - digest.len()..].copy_from_slice(digest);
        return e;
    }
    // Keep the leftmost `bits` bits: the first `len` bytes, shifted right
    // by the excess bits of the last kept byte.
    let shift = len * 8 - bits;
    let mut e = digest[..len].to_vec();
    if shift > 0 {
        let mut carry = 0u8;
        for b in e.iter_mut() {
            let v = *b;
            *b = (v >> shift) | carry;
            carry = v << (8 - shift);
        }
    }
    e
}

/// `(r, s)` as canonical `order_len`-byte strings, checked to be in
/// `[1, n−1]`.
fn parse_signature(
    curve: CurveId,
    signature: &[u8],
    format: SignatureFormat,
) -> Result<(Vec<u8>, Vec<u8>), GroupError> {
    let len = curve.order_len();
    let (r, s): (Vec<u8>, Vec<u8>) = match format {
        SignatureFormat::Plain => {
            if signature.len() != 2 * len {
                return Err(GroupError::InvalidSignature);
            }
            let (r, s) = signature.split_at(len);
            (r.to_vec(), s.to_vec())
        }
        SignatureFormat::Der => {
            let v: EcdsaSigValue<'_> =
                der::Decode::from_der(signature).map_err(|_| GroupError::InvalidSignature)?;
            let r = left_pad(v.r.as_bytes(), len).ok_or(GroupError::InvalidSignature)?;
            let s = left_pad(v.s.as_bytes(), len).ok_or(GroupError::InvalidSignature)?;
            (r.to_vec(), s.to_vec())
        }
    };
    let n = curve.params().n;
    let in_range = |v: &[u8]| v.iter().any(|&b| b != 0) && v < n;
    if in_range(&r) && in_range(&s) {
        Ok((r, s))
    } else {
        Err(GroupError::InvalidSignature)
    }
}

fn encode_signature(r: &[u8], s: &[u8], format: SignatureFormat) -> Result<Vec<u8>, GroupError> {
    match format {
        SignatureFormat::Plain => {
            let mut out = r.to_vec();
            out.extend_from_slice(s);
            Ok(out)
        }
        SignatureFormat::Der => {
            let r = der::asn1::UintRef::new(strip_leading_zeros(r))
                .map_err(|e| GroupError::asn1("ECDSA-Sig-Value", e))?;
            let s = der::asn1::UintRef::new(strip_leading_zeros(s))
                .map_err(|e| GroupError::asn1("ECDSA-Sig-Value", e))?;
            der::Encode::to_der(&EcdsaSigValue { r, s })
                .map_err(|e| GroupError::asn1("ECDSA-Sig-Value", e))
        }
    }
}

/// Verifies an ECDSA signature over a precomputed `digest` with the public
/// key `key`. Any digest length is accepted (SEC 1 truncation). Errors with
/// [`GroupError::InvalidSignature`] if the signature is malformed, out of
/// range, or does not verify.
pub fn verify_prehash(
    key: &EcPoint,
    digest: &[u8],
    signature: &[u8],
    format: SignatureFormat,
) -> Result<(), GroupError> {
    let curve = key.curve();
    let (r, s) = parse_signature(curve, signature, format)?;
    let e = digest_to_e(curve, digest);
    if backend(curve).ecdsa_verify(key.xy(), &e, &r, &s) {
        Ok(())
    } else {
        Err(GroupError::InvalidSignature)
    }
}

/// Signs a precomputed `digest` with `key` (hedged RFC 6979; constant time
/// in the key and the nonce). Used by the virtual passport (Active
/// Authentication) and the test PKI.
pub fn sign_prehash<R: CryptoRng + ?Sized>(
    key: &EcSecret,
    digest: &[u8],
    rng: &mut R,
    format: SignatureFormat,
) -> Result<Vec<u8>, GroupError> {
    let curve = key.curve();
    let e = digest_to_e(curve, digest);
    let mut entropy = Zeroizing::new([0u8; 32]);
    rng.fill_bytes(entropy.as_mut());
    let (r, s) = backend(curve).ecdsa_sign(key.scalar_bytes(), &e, entropy.as_ref());
    encode_signature(&r, &s, format)
}

/// Re-encodes a signature from one [`SignatureFormat`] to the other (e.g.
/// a plain Active Authentication signature for a DER-based tool). Checks
/// that r and s are in `[1, n−1]` but does not verify.
pub fn convert_signature(
    curve: CurveId,
    signature: &[u8],
    from: SignatureFormat,
    to: SignatureFormat,
) -> Result<Vec<u8>, GroupError> {
    let (r, s) = parse_signature(curve, signature, from)?;
    encode_signature(&r, &s, to)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digest_truncation_follows_sec1() {
        // Shorter than the order: left-padded.
        assert_eq!(digest_to_e(CurveId::P256, &[1, 2]), {
            let mut v = vec![0u8; 32];
            v[30] = 1;
            v[31] = 2;
            v
        });
        // Longer: leftmost bits.
        let d: Vec<u8> = (0..64).collect();
        assert_eq!(digest_to_e(CurveId::P256, &d), d[..32].to_vec());
        // P-521: 66-byte digest keeps the leftmost 521 bits (shift by 7).
        let d = vec![0xffu8; 66];
        let e = digest_to_e(CurveId::P521, &d);
        assert_eq!(e[0], 0x01);
        assert!(e[1..].iter().all(|&b| b == 0xff));
    }

    #[test]
    fn der_and_plain_round_trip() {
        let curve = CurveId::P256;
        let mut plain = vec![0u8; 64];
        plain[0] = 0x80; // r needs a leading 00 in DER
        plain[31] = 1;
        plain[63] = 7; // s = 7
        let der =
            convert_signature(curve, &plain, SignatureFormat::Plain, SignatureFormat::Der).unwrap();
        assert_eq!(der[0], 0x30);
        assert_eq!(
            convert_signature(curve, &der, SignatureFormat::Der, SignatureFormat::Plain).unwrap(),
            plain
        );
        // r = 0 and r >= n are rejected.
        let zero = vec![0u8; 64];
        assert_eq!(
            parse_signature(curve, &zero, SignatureFormat::Plain),
            Err(GroupError::InvalidSignature)
        );
        let mut big = plain.clone();
        big[..32].copy_from_slice(curve.params().n);
        assert_eq!(
            parse_signature(curve, &big, SignatureFormat::Plain),
            Err(GroupError::InvalidSignature)
        );
        assert_eq!(
            parse_signature(curve, &plain[..63], SignatureFormat::Plain),
            Err(GroupError::InvalidSignature)
        );
    }
}
