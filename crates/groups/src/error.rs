//! The one error type of this crate.

use crate::curve::CurveId;
use crate::modp::ModpGroup;

/// What went wrong in a group operation or while reading domain parameters,
/// a point, a scalar or a signature.
///
/// Every variant is a *typed* reason: callers (PACE, Chip Authentication,
/// passive authentication) map them onto their own protocol errors without
/// string matching. No variant carries secret material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GroupError {
    /// The curve (OID, standardized parameter ID or explicit parameter set)
    /// is not one of the eleven whitelisted curves.
    #[error("unknown or unsupported elliptic curve{}", .0.as_ref().map(|s| format!(" ({s})")).unwrap_or_default())]
    UnknownCurve(Option<String>),
    /// The Diffie-Hellman group (standardized ID or explicit `p, g, q`) is
    /// not one of the three RFC 5114 groups.
    #[error("unknown or unsupported Diffie-Hellman group")]
    UnknownGroup,
    /// The coordinates do not satisfy the curve equation (or are `>= p`).
    #[error("point is not on curve {0}")]
    NotOnCurve(CurveId),
    /// The result or input is the point at infinity (EC) or the element 1
    /// (DH), which no protocol of Doc 9303 may use.
    #[error("point at infinity / identity element")]
    Identity,
    /// A scalar or exponent is out of range (0, or `>= n` where the range is
    /// checked), or too long to be one.
    #[error("invalid scalar: {0}")]
    InvalidScalar(&'static str),
    /// An ECDSA signature did not verify, or is malformed (r or s outside
    /// `[1, n-1]`, wrong length).
    #[error("invalid signature")]
    InvalidSignature,
    /// The element is not in the prime-order subgroup (DH: `y^q != 1`).
    #[error("element is not in the prime-order subgroup of {0}")]
    NotInSubgroup(ModpGroup),
    /// Two operands belong to different curves or groups.
    #[error("operands belong to different curves or groups")]
    Mismatch,
    /// The operation is not defined for this curve (e.g. the Doc 9303-11
    /// Integrated Mapping point encoding needs `p ≡ 3 (mod 4)`, which
    /// P-224 does not satisfy).
    #[error("operation not supported: {0}")]
    Unsupported(&'static str),
    /// The encoding of a point, an element, a parameter set or a signature
    /// is malformed.
    #[error("malformed {what}")]
    Malformed {
        /// Which field or structure was malformed, and how.
        what: &'static str,
    },
    /// ASN.1 DER decoding failed.
    #[error("malformed ASN.1 in {what}: {detail}")]
    Asn1 {
        /// Which structure was being decoded.
        what: &'static str,
        /// The decoder's message (contains the position of the error).
        detail: String,
    },
}

impl GroupError {
    pub(crate) fn asn1(what: &'static str, e: der::Error) -> Self {
        GroupError::Asn1 {
            what,
            detail: e.to_string(),
        }
    }
}
