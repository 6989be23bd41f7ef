//! The internal seam between the public, curve-dynamic API and the two
//! arithmetic backends: RustCrypto's typed curves ([`super::typed`]) and
//! the run-time-parameter curve ([`super::runtime`]).
//!
//! Everything crossing this seam is a big-endian byte string of fixed
//! length: points are `x‖y` (2·`field_len`), scalars and ECDSA values
//! are `order_len` bytes and already range-checked by the caller. That
//! keeps the trait object-safe and the two backends interchangeable, which
//! the cross-check tests exploit.

use std::sync::OnceLock;

use crate::curve::CurveId;

use super::runtime::RuntimeCurve;
use super::typed::Typed;

/// Group operations of one curve. Inputs are validated by the caller
/// (points on the curve, scalars `< n`); implementations must still never
/// panic on bad input and answer `None`/`false` instead.
pub(crate) trait Backend: Send + Sync {
    /// Whether `xy` (exactly 2·`field_len` bytes) are coordinates `< p` of a
    /// point on the curve.
    fn is_on_curve(&self, xy: &[u8]) -> bool;
    /// The y-coordinate with parity `y_odd` for `x`, if `x` is the abscissa
    /// of a curve point. Variable time (public points only).
    fn decompress_y(&self, x: &[u8], y_odd: bool) -> Option<Vec<u8>>;
    /// `P + Q`; `None` if the sum is the identity. Variable time.
    fn add(&self, p: &[u8], q: &[u8]) -> Option<Vec<u8>>;
    /// `k·P` in variable time (public `k` only); `None` for the identity.
    fn mul_vartime(&self, p: &[u8], k: &[u8]) -> Option<Vec<u8>>;
    /// `k·P`, constant time in `k`; `None` for the identity.
    fn mul_ct(&self, p: &[u8], k: &[u8]) -> Option<Vec<u8>>;
    /// `k·G`, constant time in `k`; `None` for the identity.
    fn mul_base_ct(&self, k: &[u8]) -> Option<Vec<u8>>;
    /// `k·G + H`, constant time in `k` (PACE Generic Mapping).
    fn mul_base_add_ct(&self, k: &[u8], h: &[u8]) -> Option<Vec<u8>>;
    /// The Doc 9303-11 Integrated Mapping point encoding of the canonical
    /// field element `t` (`field_len` bytes, `< p`), constant time in `t`.
    /// `None` if `p ≢ 3 (mod 4)` or `t` is one of the few exceptional
    /// inputs.
    fn point_encoding(&self, t: &[u8]) -> Option<Vec<u8>>;
    /// ECDSA signature `(r, s)` with secret `d` over the reduced digest
    /// `e` (`order_len` bytes, value `< 2^order_bits`), `k` from RFC 6979
    /// hedged with `entropy` (RFC 6979 §3.6 additional data).
    fn ecdsa_sign(&self, d: &[u8], e: &[u8], entropy: &[u8]) -> (Vec<u8>, Vec<u8>);
    /// ECDSA verification of `(r, s)` (each in `[1, n−1]`) over `e`.
    fn ecdsa_verify(&self, q: &[u8], e: &[u8], r: &[u8], s: &[u8]) -> bool;
}

/// The HMAC hash of RFC 6979 `k` generation, chosen by the order size so
/// that both backends derive the same `k` (and hence identical
/// signatures) for the same key, digest and entropy.
pub(crate) enum HmacDigest {
    Sha256,
    Sha384,
    Sha512,
}

pub(crate) fn rfc6979_digest(curve: CurveId) -> HmacDigest {
    match curve.order_bits() {
        0..=256 => HmacDigest::Sha256,
        257..=384 => HmacDigest::Sha384,
        _ => HmacDigest::Sha512,
    }
}

/// A run-time curve of any of the limb counts in use.
// Eleven of these live in statics for the life of the program; boxing the
// larger variants would only add an indirection to every operation.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Runtime {
    L3(RuntimeCurve<3>),
    L4(RuntimeCurve<4>),
    L5(RuntimeCurve<5>),
    L6(RuntimeCurve<6>),
    L8(RuntimeCurve<8>),
    L9(RuntimeCurve<9>),
}

macro_rules! dispatch {
    ($rt:expr, $c:ident => $body:expr) => {
        match $rt {
            Runtime::L3($c) => $body,
            Runtime::L4($c) => $body,
            Runtime::L5($c) => $body,
            Runtime::L6($c) => $body,
            Runtime::L8($c) => $body,
            Runtime::L9($c) => $body,
        }
    };
}

impl Runtime {
    fn new(curve: CurveId) -> Self {
        // 64-bit limbs: ⌈field_bits / 64⌉, and n < p·2 fits the same width.
        match curve {
            CurveId::P192 | CurveId::BrainpoolP192r1 => Runtime::L3(RuntimeCurve::new(curve)),
            CurveId::P224 | CurveId::BrainpoolP224r1 | CurveId::P256 | CurveId::BrainpoolP256r1 => {
                Runtime::L4(RuntimeCurve::new(curve))
            }
            CurveId::BrainpoolP320r1 => Runtime::L5(RuntimeCurve::new(curve)),
            CurveId::P384 | CurveId::BrainpoolP384r1 => Runtime::L6(RuntimeCurve::new(curve)),
            CurveId::BrainpoolP512r1 => Runtime::L8(RuntimeCurve::new(curve)),
            CurveId::P521 => Runtime::L9(RuntimeCurve::new(curve)),
        }
    }

    /// `bytes mod p`, canonical `field_len` bytes; constant time in value.
    pub(crate) fn reduce_mod_p(&self, bytes: &[u8]) -> Vec<u8> {
        dispatch!(self, c => c.reduce_mod_p(bytes))
    }

    /// `bytes mod n`, canonical `order_len` bytes; constant time in value.
    pub(crate) fn reduce_mod_n(&self, bytes: &[u8]) -> Vec<u8> {
        dispatch!(self, c => c.reduce_mod_n(bytes))
    }

    /// `k⁻¹ mod n`, constant time.
    pub(crate) fn scalar_invert(&self, k: &[u8]) -> Vec<u8> {
        dispatch!(self, c => c.scalar_invert(k))
    }

    /// `a·b mod n`, constant time.
    pub(crate) fn scalar_mul(&self, a: &[u8], b: &[u8]) -> Vec<u8> {
        dispatch!(self, c => c.scalar_mul(a, b))
    }

    pub(crate) fn enc_exp_words(&self) -> Vec<u64> {
        dispatch!(self, c => c.enc_exp_words())
    }
}

impl Backend for Runtime {
    fn is_on_curve(&self, xy: &[u8]) -> bool {
        dispatch!(self, c => c.is_on_curve(xy))
    }
    fn decompress_y(&self, x: &[u8], y_odd: bool) -> Option<Vec<u8>> {
        dispatch!(self, c => c.decompress_y(x, y_odd))
    }
    fn add(&self, p: &[u8], q: &[u8]) -> Option<Vec<u8>> {
        dispatch!(self, c => Backend::add(c, p, q))
    }
    fn mul_vartime(&self, p: &[u8], k: &[u8]) -> Option<Vec<u8>> {
        dispatch!(self, c => c.mul_vartime(p, k))
    }
    fn mul_ct(&self, p: &[u8], k: &[u8]) -> Option<Vec<u8>> {
        dispatch!(self, c => Backend::mul_ct(c, p, k))
    }
    fn mul_base_ct(&self, k: &[u8]) -> Option<Vec<u8>> {
        dispatch!(self, c => c.mul_base_ct(k))
    }
    fn mul_base_add_ct(&self, k: &[u8], h: &[u8]) -> Option<Vec<u8>> {
        dispatch!(self, c => c.mul_base_add_ct(k, h))
    }
    fn point_encoding(&self, t: &[u8]) -> Option<Vec<u8>> {
        dispatch!(self, c => c.point_encoding(t))
    }
    fn ecdsa_sign(&self, d: &[u8], e: &[u8], entropy: &[u8]) -> (Vec<u8>, Vec<u8>) {
        dispatch!(self, c => c.ecdsa_sign(d, e, entropy))
    }
    fn ecdsa_verify(&self, q: &[u8], e: &[u8], r: &[u8], s: &[u8]) -> bool {
        dispatch!(self, c => c.ecdsa_verify(q, e, r, s))
    }
}

fn index(curve: CurveId) -> usize {
    match curve {
        CurveId::P192 => 0,
        CurveId::P224 => 1,
        CurveId::P256 => 2,
        CurveId::P384 => 3,
        CurveId::P521 => 4,
        CurveId::BrainpoolP192r1 => 5,
        CurveId::BrainpoolP224r1 => 6,
        CurveId::BrainpoolP256r1 => 7,
        CurveId::BrainpoolP320r1 => 8,
        CurveId::BrainpoolP384r1 => 9,
        CurveId::BrainpoolP512r1 => 10,
    }
}

static RUNTIME: [OnceLock<Runtime>; 11] = [const { OnceLock::new() }; 11];

/// The run-time curve for `curve` (available for all eleven: it also does
/// the mod-n/mod-p integer arithmetic, and the tests cross-check it
/// against the typed crates).
pub(crate) fn runtime(curve: CurveId) -> &'static Runtime {
    RUNTIME[index(curve)].get_or_init(|| Runtime::new(curve))
}

static P192: OnceLock<Typed<p192::NistP192>> = OnceLock::new();
static P224: OnceLock<Typed<p224::NistP224>> = OnceLock::new();
static P256: OnceLock<Typed<p256::NistP256>> = OnceLock::new();
static P384: OnceLock<Typed<p384::NistP384>> = OnceLock::new();
static P521: OnceLock<Typed<p521::NistP521>> = OnceLock::new();
static BP256: OnceLock<Typed<bp256::BrainpoolP256r1>> = OnceLock::new();
static BP384: OnceLock<Typed<bp384::BrainpoolP384r1>> = OnceLock::new();

/// The typed RustCrypto backend of `curve`, if a crate exists for it.
pub(crate) fn typed(curve: CurveId) -> Option<&'static dyn Backend> {
    fn get<C>(cell: &'static OnceLock<Typed<C>>, curve: CurveId) -> &'static dyn Backend
    where
        C: primeorder::PrimeCurveParams + ::ecdsa::EcdsaCurve + 'static,
    {
        cell.get_or_init(|| Typed::new(curve))
    }
    Some(match curve {
        CurveId::P192 => get(&P192, curve),
        CurveId::P224 => get(&P224, curve),
        CurveId::P256 => get(&P256, curve),
        CurveId::P384 => get(&P384, curve),
        CurveId::P521 => get(&P521, curve),
        CurveId::BrainpoolP256r1 => get(&BP256, curve),
        CurveId::BrainpoolP384r1 => get(&BP384, curve),
        CurveId::BrainpoolP192r1
        | CurveId::BrainpoolP224r1
        | CurveId::BrainpoolP320r1
        | CurveId::BrainpoolP512r1 => return None,
    })
}

/// The backend the public API uses: the typed RustCrypto curve where one
/// exists, otherwise the run-time curve.
pub(crate) fn backend(curve: CurveId) -> &'static dyn Backend {
    typed(curve).unwrap_or_else(|| runtime(curve))
}

/// Which implementation serves a curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BackendKind {
    /// A RustCrypto curve crate (`p192`, `p224`, `p256`, `p384`, `p521`,
    /// `bp256`, `bp384`).
    RustCrypto,
    /// This crate's run-time-parameter curve over `crypto-bigint`.
    Runtime,
}

/// Which implementation [`crate::EcPoint`] and friends use for `curve`.
pub fn backend_kind(curve: CurveId) -> BackendKind {
    if typed(curve).is_some() {
        BackendKind::RustCrypto
    } else {
        BackendKind::Runtime
    }
}
