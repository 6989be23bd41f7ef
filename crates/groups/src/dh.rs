//! Finite-field Diffie-Hellman in the RFC 5114 groups: PACE-DH (Generic
//! and Integrated Mapping) and Chip Authentication DH.
//!
//! Arithmetic is `crypto-bigint`'s [`BoxedMontyForm`]. Its `pow` is
//! constant time in the exponent value (for an exponent of fixed
//! precision), so [`DhSecret::public_key`], [`DhSecret::public_key_on`],
//! [`DhSecret::agree`] and [`map_generator_gm_dh`] are constant time in
//! the secret exponent or nonce; [`dh_integrated_mapping`] is constant time
//! in its (secret) input. Validation of received elements and
//! [`DhElement::pow_public`] handle public data only.

use std::sync::OnceLock;

use crypto_bigint::modular::{BoxedMontyForm, BoxedMontyParams};
use crypto_bigint::{BoxedUint, NonZero, Odd};
use rand_core::CryptoRng;
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::error::GroupError;
use crate::modp::ModpGroup;
use crate::util::{ct_is_zero, ct_lt, strip_leading_zeros};

/// Precomputed Montgomery context of one group.
struct DhCtx {
    params: BoxedMontyParams,
    /// Bit precision of p (1024 or 2048, a multiple of the limb size).
    p_bits: u32,
    /// p − 1, big-endian `p_len` bytes.
    p_minus_1: Vec<u8>,
    /// q with its own (smaller) precision, for reductions mod q.
    q: NonZero<BoxedUint>,
    /// q at the precision of p, as the subgroup-check exponent.
    q_exp: BoxedUint,
    /// The bit length of q (public).
    q_bits: u32,
    /// (p − 1)/q, the Integrated Mapping exponent.
    cofactor_exp: BoxedUint,
    g: BoxedMontyForm,
}

/// Longest integer input accepted where inputs are reduced (private keys,
/// nonces, `R_p(s,t)`): generous for every real encoding, and it bounds
/// the allocation and work an oversized input can cause.
const MAX_INPUT_LEN: usize = 4096;

fn checked_input<'a>(bytes: &'a [u8], what: &'static str) -> Result<&'a [u8], GroupError> {
    if bytes.len() > MAX_INPUT_LEN {
        Err(GroupError::InvalidScalar(what))
    } else {
        Ok(bytes)
    }
}

fn bits_for(len: usize) -> u32 {
    // Round up to whole 64-bit limbs so every precision is limb-aligned.
    let bits = u32::try_from(len.saturating_mul(8)).unwrap_or(u32::MAX);
    bits.div_ceil(64).max(1) * 64
}

impl DhCtx {
    fn new(group: ModpGroup) -> Self {
        let c = group.params();
        let p_bits = bits_for(c.p.len());
        let p = BoxedUint::from_be_slice(c.p, p_bits).expect("constant p fits");
        let params = BoxedMontyParams::new(Odd::new(p.clone()).into_option().expect("p is odd"));
        let q_small = BoxedUint::from_be_slice(c.q, bits_for(c.q.len())).expect("constant q fits");
        let q = NonZero::new(q_small).into_option().expect("q is nonzero");
        let q_bits = q.bit_width_vartime();
        let q_exp = BoxedUint::from_be_slice(c.q, p_bits).expect("constant q fits");
        let p_minus_1 = p.wrapping_sub(BoxedUint::one_with_precision(p_bits));
        let q_wide = NonZero::new(q_exp.clone())
            .into_option()
            .expect("q is nonzero");
        let (cofactor_exp, _) = p_minus_1.div_rem(&q_wide);
        let g = BoxedMontyForm::new(
            BoxedUint::from_be_slice(c.g, p_bits).expect("constant g fits"),
            &params,
        );
        let p_minus_1 = p_minus_1.to_be_bytes()[..].to_vec();
        let p_minus_1 = p_minus_1[p_minus_1.len() - c.p.len()..].to_vec();
        DhCtx {
            params,
            p_bits,
            p_minus_1,
            q,
            q_bits,
            q_exp,
            cofactor_exp,
            g,
        }
    }

    fn element(&self, bytes: &[u8]) -> BoxedMontyForm {
        let u = BoxedUint::from_be_slice(bytes, self.p_bits)
            .unwrap_or_else(|_| BoxedUint::zero_with_precision(self.p_bits));
        BoxedMontyForm::new(u, &self.params)
    }

    fn to_bytes(&self, group: ModpGroup, e: &BoxedMontyForm) -> Vec<u8> {
        let b = e.retrieve().to_be_bytes();
        b[b.len() - group.p_len()..].to_vec()
    }
}

static CTX: [OnceLock<DhCtx>; 3] = [const { OnceLock::new() }; 3];

fn ctx(group: ModpGroup) -> &'static DhCtx {
    let i = match group {
        ModpGroup::Rfc5114_1024_160 => 0,
        ModpGroup::Rfc5114_2048_224 => 1,
        ModpGroup::Rfc5114_2048_256 => 2,
    };
    CTX[i].get_or_init(|| DhCtx::new(group))
}

/// An element `y` of the order-q subgroup of a [`ModpGroup`], with
/// `1 < y < p−1` and `y^q = 1` (checked on input).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct DhElement {
    group: ModpGroup,
    /// `p_len` bytes, big-endian.
    value: Vec<u8>,
}

impl core::fmt::Debug for DhElement {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let hex: String = self.value.iter().map(|b| format!("{b:02X}")).collect();
        f.debug_struct("DhElement")
            .field("group", &self.group)
            .field("value", &hex)
            .finish()
    }
}

impl DhElement {
    /// The group's generator g.
    pub fn generator(group: ModpGroup) -> Self {
        DhElement {
            group,
            value: group.params().g.to_vec(),
        }
    }

    /// Decodes and validates a received element (public key, mapped
    /// generator): big-endian, leading zero bytes allowed, value with
    /// `1 < y < p−1` and `y^q ≡ 1 (mod p)` (Doc 9303-11 §4.4.3.4 / TR-03110
    /// public key validation).
    pub fn from_bytes(group: ModpGroup, bytes: &[u8]) -> Result<Self, GroupError> {
        let len = group.p_len();
        let v = strip_leading_zeros(bytes);
        if v.len() > len {
            return Err(GroupError::Malformed {
                what: "DH element longer than p",
            });
        }
        let mut value = vec![0u8; len];
        value[len - v.len()..].copy_from_slice(v);
        let c = ctx(group);
        // 1 < y < p − 1 (public value: plain comparisons).
        let mut one = vec![0u8; len];
        one[len - 1] = 1;
        if value <= one || value >= c.p_minus_1 {
            return Err(GroupError::Malformed {
                what: "DH element not in [2, p-2]",
            });
        }
        let y = c.element(&value);
        // y^q = 1. q is public, so the exponentiation runs over q's own
        // bit length, not p's: 8–9 times fewer squarings for 2048-bit p.
        if c.to_bytes(group, &y.pow_bounded_exp(&c.q_exp, c.q_bits)) != one {
            return Err(GroupError::NotInSubgroup(group));
        }
        Ok(DhElement { group, value })
    }

    /// Wraps a computed element, rejecting 0 and 1 (the identity). Elements
    /// computed from validated inputs are in the subgroup by construction.
    fn from_computed(group: ModpGroup, e: &BoxedMontyForm) -> Result<Self, GroupError> {
        let value = ctx(group).to_bytes(group, e);
        let mut one = vec![0u8; value.len()];
        if let Some(last) = one.last_mut() {
            *last = 1;
        }
        if value == one || value.iter().all(|&b| b == 0) {
            return Err(GroupError::Identity);
        }
        Ok(DhElement { group, value })
    }

    /// The element, big-endian, exactly [`ModpGroup::p_len`] bytes (the
    /// encoding of Doc 9303-11 §4.4.3.3 / TR-03110 for DH public keys and
    /// shared secrets).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.value.clone()
    }

    /// The group of this element.
    pub fn group(&self) -> ModpGroup {
        self.group
    }

    /// `self · other mod p`; the identity is an error.
    pub fn mul(&self, other: &DhElement) -> Result<Self, GroupError> {
        if self.group != other.group {
            return Err(GroupError::Mismatch);
        }
        let c = ctx(self.group);
        Self::from_computed(
            self.group,
            &c.element(&self.value).mul(&c.element(&other.value)),
        )
    }

    /// `self^e mod p` for a **public** exponent `e` (big-endian, any
    /// length); the identity is an error.
    pub fn pow_public(&self, e: &[u8]) -> Result<Self, GroupError> {
        let c = ctx(self.group);
        let e = checked_input(e, "exponent longer than 4096 bytes")?;
        let e = BoxedUint::from_be_slice_vartime(strip_leading_zeros(e));
        Self::from_computed(self.group, &c.element(&self.value).pow(&e))
    }
}

/// Serialized form of [`DhElement`]: the group and the element in hex.
/// Deserialization validates like [`DhElement::from_bytes`].
#[derive(serde::Serialize, serde::Deserialize)]
struct DhElementRepr {
    group: ModpGroup,
    value: String,
}

impl serde::Serialize for DhElement {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        DhElementRepr {
            group: self.group,
            value: hex::encode_upper(&self.value),
        }
        .serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for DhElement {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let repr = DhElementRepr::deserialize(deserializer)?;
        let bytes = hex::decode(&repr.value).map_err(D::Error::custom)?;
        DhElement::from_bytes(repr.group, &bytes).map_err(D::Error::custom)
    }
}

/// A secret exponent `x ∈ [1, q−1]` of a [`ModpGroup`]. Zeroized on drop;
/// `Debug` shows only the group.
#[derive(Clone)]
pub struct DhSecret {
    group: ModpGroup,
    /// `q_len` bytes, big-endian, `1 <= x < q`.
    x: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for DhSecret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("DhSecret")
            .field("group", &self.group)
            .finish_non_exhaustive()
    }
}

impl zeroize::ZeroizeOnDrop for DhSecret {}

impl ConstantTimeEq for DhSecret {
    fn ct_eq(&self, other: &Self) -> subtle::Choice {
        subtle::Choice::from(u8::from(self.group == other.group))
            & self.x.as_slice().ct_eq(other.x.as_slice())
    }
}

impl DhSecret {
    /// A uniformly random exponent in `[1, q−1]` (rejection sampling).
    pub fn random<R: CryptoRng + ?Sized>(group: ModpGroup, rng: &mut R) -> Self {
        let q = group.params().q;
        let mask = 0xffu8 >> q[0].leading_zeros();
        let mut buf = Zeroizing::new(vec![0u8; q.len()]);
        loop {
            rng.fill_bytes(&mut buf);
            buf[0] &= mask;
            if bool::from(!ct_is_zero(&buf) & ct_lt(&buf, q)) {
                return DhSecret { group, x: buf };
            }
        }
    }

    /// An exponent from its big-endian encoding, **reduced mod q** (up to
    /// 4096 bytes): the worked examples of Doc 9303-11 G.2/H.2 and the BSI
    /// EAC example give 1024-bit private keys congruent mod q to 160-bit
    /// ones, and `g^x` only depends on `x mod q`. Rejects `x ≡ 0`. Constant
    /// time in the value (for a given length).
    pub fn from_bytes(group: ModpGroup, bytes: &[u8]) -> Result<Self, GroupError> {
        let c = ctx(group);
        let bytes = checked_input(bytes, "DH exponent longer than 4096 bytes")?;
        let mut wide = BoxedUint::from_be_slice(bytes, bits_for(bytes.len()))
            .map_err(|_| GroupError::InvalidScalar("DH exponent does not decode"))?;
        let mut reduced = wide.rem(&c.q);
        wide.zeroize();
        let mut full = reduced.to_be_bytes();
        reduced.zeroize();
        let x = Zeroizing::new(full[full.len() - group.q_len()..].to_vec());
        full.zeroize();
        if bool::from(ct_is_zero(&x)) {
            return Err(GroupError::InvalidScalar("DH exponent is 0 mod q"));
        }
        Ok(DhSecret { group, x })
    }

    /// The exponent, reduced mod q, big-endian, exactly
    /// [`ModpGroup::q_len`] bytes.
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        self.x.clone()
    }

    /// The group of this exponent.
    pub fn group(&self) -> ModpGroup {
        self.group
    }

    fn exponent(&self) -> BoxedUint {
        BoxedUint::from_be_slice(&self.x, bits_for(self.x.len()))
            .expect("q_len bytes fit their own precision")
    }

    /// The public key `g^x`, constant time in x.
    pub fn public_key(&self) -> DhElement {
        let c = ctx(self.group);
        let mut e = self.exponent();
        let y = c.g.pow(&e);
        e.zeroize();
        // x ∈ [1, q−1] and g has order q: never the identity.
        DhElement::from_computed(self.group, &y)
            .expect("g^x with x in [1, q-1] is not the identity")
    }

    /// `g'^x` for another generator (the PACE mapped generator ĝ), constant
    /// time in x.
    pub fn public_key_on(&self, generator: &DhElement) -> Result<DhElement, GroupError> {
        self.pow_ct(generator)
    }

    /// The shared secret `peer^x` (Doc 9303-11 §9.6: the shared secret is
    /// the element itself, `p_len` bytes), constant time in x. The peer
    /// element was validated on decoding; the identity is an error.
    pub fn agree(&self, peer: &DhElement) -> Result<DhElement, GroupError> {
        self.pow_ct(peer)
    }

    fn pow_ct(&self, base: &DhElement) -> Result<DhElement, GroupError> {
        if base.group != self.group {
            return Err(GroupError::Mismatch);
        }
        let c = ctx(self.group);
        let mut e = self.exponent();
        let y = c.element(&base.value).pow(&e);
        e.zeroize();
        DhElement::from_computed(self.group, &y)
    }
}

/// PACE Generic Mapping for DH (Doc 9303-11 §4.4.3.3.1): `ĝ = g^s · h`,
/// with the nonce `s` (big-endian, up to 4096 bytes) and the shared secret `h`
/// of the mapping key agreement. Constant time in `s` (for its length).
pub fn map_generator_gm_dh(s: &[u8], h: &DhElement) -> Result<DhElement, GroupError> {
    let group = h.group;
    let c = ctx(group);
    let s = checked_input(s, "nonce longer than 4096 bytes")?;
    let mut e = BoxedUint::from_be_slice(s, bits_for(s.len()))
        .map_err(|_| GroupError::InvalidScalar("nonce does not decode"))?;
    let gs = c.g.pow(&e);
    e.zeroize();
    DhElement::from_computed(group, &gs.mul(&c.element(&h.value)))
}

/// The PACE Integrated Mapping for DH (Doc 9303-11 §4.4.3.3.2):
/// `ĝ = f_g(x) = x^a mod p` with `a = (p−1)/q`, where `x = R_p(s,t)`
/// (big-endian, up to 4096 bytes; reduced mod p). Constant time in `x`. Errors if
/// the result is the identity (x ≡ 0, or x of order dividing a).
pub fn dh_integrated_mapping(group: ModpGroup, x: &[u8]) -> Result<DhElement, GroupError> {
    let c = ctx(group);
    let x = checked_input(x, "mapping input longer than 4096 bytes")?;
    let p = NonZero::new(c.params.modulus().as_ref().clone())
        .into_option()
        .ok_or(GroupError::UnknownGroup)?;
    let mut wide = BoxedUint::from_be_slice(x, bits_for(x.len()))
        .map_err(|_| GroupError::InvalidScalar("input does not decode"))?;
    let mut reduced = wide.rem(&p);
    wide.zeroize();
    let base = BoxedMontyForm::new(reduced.clone(), &c.params);
    reduced.zeroize();
    DhElement::from_computed(group, &base.pow(&c.cofactor_exp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_consistent() {
        for group in ModpGroup::ALL {
            let c = ctx(group);
            let p = group.params();
            // g^q = 1 and g != 1: g generates the order-q subgroup.
            let g = DhElement::generator(group);
            assert!(DhElement::from_bytes(group, p.g).is_ok(), "{group}");
            assert_eq!(g.pow_public(p.q), Err(GroupError::Identity), "{group}");
            // q | p − 1: (p−1)/q · q = p − 1.
            let prod = c.cofactor_exp.wrapping_mul(&c.q_exp);
            let prod = prod.to_be_bytes();
            assert_eq!(
                &prod[prod.len() - group.p_len()..],
                &c.p_minus_1[..],
                "{group}"
            );
            assert_eq!(c.p_bits as usize, group.p_len() * 8);
        }
    }

    #[test]
    fn element_validation_rejects_edge_values() {
        let group = ModpGroup::Rfc5114_1024_160;
        let p = group.params().p;
        assert!(matches!(
            DhElement::from_bytes(group, &[1]),
            Err(GroupError::Malformed { .. })
        ));
        assert!(matches!(
            DhElement::from_bytes(group, &[0]),
            Err(GroupError::Malformed { .. })
        ));
        assert!(matches!(
            DhElement::from_bytes(group, p),
            Err(GroupError::Malformed { .. })
        ));
        let mut pm1 = p.to_vec();
        *pm1.last_mut().unwrap() -= 1;
        assert!(matches!(
            DhElement::from_bytes(group, &pm1),
            Err(GroupError::Malformed { .. })
        ));
        // 2 is (almost surely) not in the order-q subgroup.
        assert_eq!(
            DhElement::from_bytes(group, &[2]),
            Err(GroupError::NotInSubgroup(group))
        );
        let mut long = vec![1u8];
        long.extend_from_slice(p);
        assert!(matches!(
            DhElement::from_bytes(group, &long),
            Err(GroupError::Malformed { .. })
        ));
    }
}
