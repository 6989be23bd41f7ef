//! The backend over RustCrypto's typed curves (`p192`, `p224`, `p256`,
//! `p384`, `p521`, `bp256`, `bp384`), generic over
//! [`primeorder::PrimeCurveParams`].
//!
//! # Side channels
//!
//! `ProjectivePoint * Scalar` and `mul_by_generator` are constant time in
//! the scalar (radix-16 with constant-time table selection; p256/p384/p521
//! use a precomputed basepoint table, also selected in constant time), the
//! complete RCB formulas are used throughout, and `to_affine` inverts in
//! constant time. ECDSA signing goes through `ecdsa::hazmat` (RFC 6979 `k`,
//! constant-time `k·G` and inversion). The point encoding uses the curve's
//! constant-time field arithmetic and `conditional_select`. Verification
//! (`lincomb_vartime`) and `mul_vartime` are variable time and only ever
//! see public data.

use core::marker::PhantomData;

use ::ecdsa::{EcdsaCurve, Signature, hazmat};
use elliptic_curve::ff::{Field, PrimeField};
use elliptic_curve::group::Group;
use elliptic_curve::point::{AffineCoordinates, DecompressPoint};
use elliptic_curve::subtle::{Choice, ConditionallySelectable, ConstantTimeEq};
use elliptic_curve::{FieldBytes, NonZeroScalar, Scalar};
use primeorder::{AffinePoint, PrimeCurveParams, ProjectivePoint};
use sha2::{Sha256, Sha384, Sha512};

use super::backend::{Backend, HmacDigest, rfc6979_digest, runtime};
use crate::curve::CurveId;

/// A RustCrypto curve behind the [`Backend`] seam.
pub(crate) struct Typed<C> {
    curve: CurveId,
    /// p−1−(p+1)/4 as little-endian u64 words (point encoding exponent).
    enc_exp: Vec<u64>,
    _curve: PhantomData<fn() -> C>,
}

impl<C> Typed<C>
where
    C: PrimeCurveParams + EcdsaCurve,
{
    pub(crate) fn new(curve: CurveId) -> Self {
        Self {
            curve,
            enc_exp: runtime(curve).enc_exp_words(),
            _curve: PhantomData,
        }
    }

    fn field_bytes(bytes: &[u8]) -> Option<FieldBytes<C>> {
        FieldBytes::<C>::try_from(bytes).ok()
    }

    fn point(&self, xy: &[u8]) -> Option<AffinePoint<C>> {
        let (x, y) = xy.split_at_checked(self.curve.field_len())?;
        let x = Self::field_bytes(x)?;
        let y = Self::field_bytes(y)?;
        Option::from(AffinePoint::<C>::from_coordinates(&x, &y))
    }

    fn scalar(k: &[u8]) -> Option<Scalar<C>> {
        Option::from(Scalar::<C>::from_repr(Self::field_bytes(k)?))
    }

    fn encode(p: &ProjectivePoint<C>) -> Option<Vec<u8>> {
        let a = p.to_affine();
        if bool::from(a.is_identity()) {
            return None;
        }
        let mut out = a.x().to_vec();
        out.extend_from_slice(&a.y());
        Some(out)
    }

    fn sign_with<D>(d: &NonZeroScalar<C>, e: &[u8], entropy: &[u8]) -> (Vec<u8>, Vec<u8>)
    where
        D: sha2::Digest + sha2::digest::block_api::BlockSizeUser,
    {
        let (sig, _) = hazmat::sign_prehashed_rfc6979::<C, D>(d, e, entropy);
        let (r, s) = sig.split_bytes();
        (r.to_vec(), s.to_vec())
    }
}

impl<C> Backend for Typed<C>
where
    C: PrimeCurveParams + EcdsaCurve,
{
    fn is_on_curve(&self, xy: &[u8]) -> bool {
        self.point(xy).is_some()
    }

    fn decompress_y(&self, x: &[u8], y_odd: bool) -> Option<Vec<u8>> {
        let x = Self::field_bytes(x)?;
        let p: AffinePoint<C> = Option::from(AffinePoint::<C>::decompress(
            &x,
            Choice::from(u8::from(y_odd)),
        ))?;
        Some(p.y().to_vec())
    }

    fn add(&self, p: &[u8], q: &[u8]) -> Option<Vec<u8>> {
        let p = ProjectivePoint::<C>::from(self.point(p)?);
        let q = self.point(q)?;
        Self::encode(&(p + q))
    }

    fn mul_vartime(&self, p: &[u8], k: &[u8]) -> Option<Vec<u8>> {
        let p = ProjectivePoint::<C>::from(self.point(p)?);
        Self::encode(&p.mul_vartime(&Self::scalar(k)?))
    }

    fn mul_ct(&self, p: &[u8], k: &[u8]) -> Option<Vec<u8>> {
        let p = ProjectivePoint::<C>::from(self.point(p)?);
        Self::encode(&(p * Self::scalar(k)?))
    }

    fn mul_base_ct(&self, k: &[u8]) -> Option<Vec<u8>> {
        Self::encode(&ProjectivePoint::<C>::mul_by_generator(&Self::scalar(k)?))
    }

    fn mul_base_add_ct(&self, k: &[u8], h: &[u8]) -> Option<Vec<u8>> {
        let h = self.point(h)?;
        Self::encode(&(ProjectivePoint::<C>::mul_by_generator(&Self::scalar(k)?) + h))
    }

    fn point_encoding(&self, t: &[u8]) -> Option<Vec<u8>> {
        // Doc 9303-11 §4.4.3.3.2 (ECDH), step numbers as there; see the
        // run-time backend for the derivation. Constant time in t.
        if !self.curve.p_is_3_mod_4() {
            return None;
        }
        let t: C::FieldElement = Option::from(C::FieldElement::from_repr(Self::field_bytes(t)?))?;
        let a = C::EQUATION_A;
        let b = C::EQUATION_B;
        let one = C::FieldElement::ONE;
        let alpha = -t.square(); // 1
        let inv = (alpha + alpha.square()).invert(); // 2
        let invertible = inv.is_some();
        let inv = inv.unwrap_or(C::FieldElement::ZERO);
        let a_inv: C::FieldElement = Option::from(a.invert())?; // public constant
        let x2 = -b * a_inv * (one + inv); // 2
        let x3 = alpha * x2; // 3
        let h2 = x2.square() * x2 + a * x2 + b; // 4
        let u = t.square() * t * h2; // 6
        let big_a = h2.pow_vartime(&self.enc_exp); // 7 (public exponent)
        let is_x2 = (big_a.square() * h2).ct_eq(&one); // 8
        let x = C::FieldElement::conditional_select(&x3, &x2, is_x2);
        let y = C::FieldElement::conditional_select(&(big_a * u), &(big_a * h2), is_x2);
        if !bool::from(invertible) {
            return None;
        }
        let mut out = x.to_repr().to_vec();
        out.extend_from_slice(&y.to_repr());
        // Defence in depth: validate the output point.
        self.point(&out).map(|_| out)
    }

    fn ecdsa_sign(&self, d: &[u8], e: &[u8], entropy: &[u8]) -> (Vec<u8>, Vec<u8>) {
        let d: Option<NonZeroScalar<C>> =
            Self::field_bytes(d).and_then(|d| Option::from(NonZeroScalar::<C>::from_repr(d)));
        let Some(d) = d else {
            // Unreachable through the public API (EcSecret is always in
            // [1, n−1]); an all-zero "signature" fails every verification.
            return (
                vec![0; self.curve.order_len()],
                vec![0; self.curve.order_len()],
            );
        };
        match rfc6979_digest(self.curve) {
            HmacDigest::Sha256 => Self::sign_with::<Sha256>(&d, e, entropy),
            HmacDigest::Sha384 => Self::sign_with::<Sha384>(&d, e, entropy),
            HmacDigest::Sha512 => Self::sign_with::<Sha512>(&d, e, entropy),
        }
    }

    fn ecdsa_verify(&self, q: &[u8], e: &[u8], r: &[u8], s: &[u8]) -> bool {
        let Some(q) = self.point(q) else { return false };
        let (Some(r), Some(s)) = (Self::field_bytes(r), Self::field_bytes(s)) else {
            return false;
        };
        let Ok(sig) = Signature::<C>::from_scalars(r, s) else {
            return false;
        };
        hazmat::verify_prehashed::<C>(&ProjectivePoint::<C>::from(q), e, &sig).is_ok()
    }
}
