//! Error types: [`VerifyError`] for one signature verification,
//! [`ParseError`] for trust material that does not decode.

/// Why a signature was not accepted. Typed, so the report can tell a
/// forged signature from an algorithm the backend does not implement.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VerifyError {
    /// The signature does not verify (or is malformed for the key).
    #[error("the signature does not verify")]
    BadSignature,
    /// The signature or key algorithm is not one this backend knows.
    #[error("unsupported algorithm: {0}")]
    UnsupportedAlgorithm(String),
    /// A legal but unimplemented variant (e.g. RSASSA-PSS with an MGF1
    /// hash other than the message hash, which the `rsa` crate cannot do).
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The algorithm parameters contradict themselves, the key or the
    /// surrounding structure (e.g. RSASSA-PSS trailer ≠ 1, a salt too long
    /// for the modulus, a PSS hash other than the CMS digest algorithm).
    #[error("inconsistent algorithm parameters: {0}")]
    InconsistentParameters(String),
    /// The public key does not decode or is not a valid key.
    #[error("invalid public key: {0}")]
    InvalidKey(String),
    /// Explicit EC domain parameters (or a named curve) outside the
    /// whitelist of Brainpool and NIST curves.
    #[error("unknown elliptic curve: {0}")]
    UnknownCurve(String),
    /// The key type does not fit the signature algorithm (an RSA
    /// signature with an EC key, say).
    #[error("key type {key} does not fit signature algorithm {algorithm}")]
    KeyMismatch {
        /// The key type.
        key: String,
        /// The signature algorithm.
        algorithm: String,
    },
}

/// Why a certificate, CRL, CMS object, master list or LDIF file could not
/// be read. `what` names the structure, `detail` says what went wrong
/// (with offsets where the decoder gives them).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{what}: {detail}")]
pub struct ParseError {
    /// Which structure.
    pub what: &'static str,
    /// What is wrong with it.
    pub detail: String,
}

impl ParseError {
    /// A parse error about `what`.
    pub fn new(what: &'static str, detail: impl ToString) -> Self {
        Self {
            what,
            detail: detail.to_string(),
        }
    }
}
