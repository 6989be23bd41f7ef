//! Group arithmetic for the ICAO Doc 9303 eMRTD protocols: PACE (Generic,
//! Integrated and Chip Authentication Mapping, Doc 9303-11 §4.4), Chip
//! Authentication (§6.2), Active Authentication with ECDSA (§6.1) and
//! passive authentication (ECDSA signatures of CSCA, DS and EF.SOD, with
//! named or explicit domain parameters, Doc 9303-12).
//!
//! # What is here
//!
//! - Domain parameters: the eleven whitelisted curves ([`CurveId`]), the
//!   three RFC 5114 MODP groups ([`ModpGroup`]), the standardized parameter
//!   IDs ([`DomainParameters`]), and explicit EC parameters matched against
//!   the whitelist ([`identify_explicit`], [`curve_from_algorithm_parameters`]).
//! - Elliptic curves, dynamic over the curve: [`EcPoint`] (validated public
//!   points), [`EcSecret`] (secret scalars), the PACE mappings
//!   [`map_generator_gm`] and [`icao_point_encoding`], [`ecdsa`], and
//!   [`ec_public_key_from_spki`].
//! - Finite-field DH: [`DhElement`], [`DhSecret`], [`map_generator_gm_dh`],
//!   [`dh_integrated_mapping`].
//!
//! # Backends
//!
//! P-192, P-224, P-256, P-384, P-521, brainpoolP256r1 and brainpoolP384r1
//! use RustCrypto's typed curve crates; brainpoolP192r1, P224r1, P320r1 and
//! P512r1 — for which no crate exists — use this crate's run-time-parameter
//! curve over `crypto-bigint`, which is only ever instantiated with the
//! whitelisted constants. [`backend_kind`] tells which serves a curve; the
//! tests run the run-time curve on all eleven curves and require identical
//! results to the typed crates.
//!
//! # Side channels
//!
//! | operation | secret input | constant time in it |
//! |---|---|---|
//! | [`EcSecret::public_key`], [`EcSecret::public_key_on`], [`EcSecret::diffie_hellman`] | scalar `d` | yes, both backends |
//! | [`map_generator_gm`] (`s·G + H`) | nonce `s` | yes; `s mod n` by constant-time Horner reduction |
//! | [`icao_point_encoding`] | `t = R_p(s,t)` | yes; both candidate points computed, selected by mask |
//! | [`EcSecret::invert`], [`EcSecret::mul_mod_n`] | scalars | yes (safegcd inversion, Montgomery multiplication) |
//! | [`EcSecret::from_bytes`] range check | scalar | yes (byte-wise constant-time comparison) |
//! | [`ecdsa::sign_prehash`] | key and nonce `k` | yes (hedged RFC 6979; constant-time `k·G` and `k⁻¹`) |
//! | [`DhSecret::public_key`], [`DhSecret::public_key_on`], [`DhSecret::agree`], [`map_generator_gm_dh`] | exponent / nonce | yes (`BoxedMontyForm::pow` with fixed-precision exponent) |
//! | [`dh_integrated_mapping`], [`DhSecret::from_bytes`] (reduction mod q) | input | yes, for a given input length |
//! | [`EcSecret::random`], [`DhSecret::random`] | — | rejection sampling: only the number of draws leaks |
//! | [`EcPoint::mul_public`], [`EcPoint::add`], [`DhElement::pow_public`], decoding and validation, ECDSA verification | nothing secret | **no** — variable time by design |
//!
//! How: the RustCrypto backend relies on `primeorder`'s constant-time
//! radix-16 multiplication and basepoint tables and the crates' field
//! arithmetic; the run-time backend uses `crypto-bigint`'s constant-time
//! Montgomery arithmetic, the complete Renes–Costello–Batina formulas (no
//! exceptional cases, the identity included) and a fixed 4-bit window over
//! every nibble of the scalar with a table lookup that touches all sixteen
//! entries. Both backends produce the same RFC 6979 nonces, so their
//! signatures are identical. The length of a secret (e.g. a nonce) is not
//! hidden, and the rare exceptional-input branch of the point encoding
//! reveals that the input was exceptional (and fails).
//!
//! Secret scalars and exponents are held in [`zeroize::Zeroizing`]
//! buffers; intermediate copies are zeroized where this crate owns them
//! (the typed crates' `Scalar` values are `Copy` stack values and are not).
//!
//! The crate does no I/O; randomness is a [`rand_core::CryptoRng`]
//! parameter.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod curve;
mod dh;
mod domain;
mod ec;
pub mod ecdsa;
mod error;
mod explicit;
mod modp;
mod util;

pub use curve::{CurveId, CurveParams};
pub use dh::{DhElement, DhSecret, dh_integrated_mapping, map_generator_gm_dh};
pub use domain::{
    DomainParameters, ID_DH_PUBLIC_NUMBER, ID_STANDARDIZED_DOMAIN_PARAMETERS, PublicKey,
    public_key_from_spki,
};
pub use ec::{
    BackendKind, EcPoint, EcSecret, ID_EC_PUBLIC_KEY, backend_kind, ec_public_key_from_spki,
    icao_point_encoding, map_generator_gm,
};
pub use error::GroupError;
pub use explicit::{
    CurveCoefficients, EcParameters, FieldId, ID_PRIME_FIELD, SpecifiedEcDomain,
    curve_from_algorithm_parameters, identify_explicit,
};
pub use modp::{ModpGroup, ModpParams};

#[doc(hidden)]
pub mod __bench {
    //! Not API: lets the benchmark (and nothing else) drive the run-time
    //! backend on curves the typed crates also serve.
    use crate::CurveId;
    use crate::ec::backend::{Backend, runtime, typed};

    /// Which backend to drive.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Which {
        /// RustCrypto.
        Typed,
        /// The run-time curve.
        Runtime,
    }

    fn get(curve: CurveId, which: Which) -> Option<&'static dyn Backend> {
        match which {
            Which::Typed => typed(curve),
            Which::Runtime => Some(runtime(curve)),
        }
    }

    /// `d·Q` (x‖y in, x‖y out) on the chosen backend.
    pub fn ecdh(curve: CurveId, which: Which, d: &[u8], q_xy: &[u8]) -> Option<Vec<u8>> {
        get(curve, which)?.mul_ct(q_xy, d)
    }

    /// ECDSA `(r, s)` on the chosen backend; `e` is `order_len` bytes.
    pub fn sign(curve: CurveId, which: Which, d: &[u8], e: &[u8]) -> Option<(Vec<u8>, Vec<u8>)> {
        Some(get(curve, which)?.ecdsa_sign(d, e, &[0u8; 32]))
    }

    /// ECDSA verification on the chosen backend.
    pub fn verify(
        curve: CurveId,
        which: Which,
        q_xy: &[u8],
        e: &[u8],
        r: &[u8],
        s: &[u8],
    ) -> Option<bool> {
        Some(get(curve, which)?.ecdsa_verify(q_xy, e, r, s))
    }
}
#[cfg(test)]
mod crosscheck;
