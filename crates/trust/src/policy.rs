//! What the verifier tolerates: algorithm strength, encoding leniency,
//! which unread data groups are expected.

use serde::{Deserialize, Serialize};

/// Verification policy. [`Policy::default`] follows Doc 9303-12 §4.1 and
/// current practice (BSI TR-03116-2): RSA below 2048 bits and SHA-1 warn,
/// RSA below 1024 bits fails, EF.SOD must be DER.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Policy {
    /// RSA moduli shorter than this fail `algorithm.policy`.
    pub rsa_min_bits: u32,
    /// RSA moduli shorter than this warn.
    pub rsa_warn_bits: u32,
    /// SHA-1 anywhere in the chain warns (`false`: passes silently).
    pub warn_sha1: bool,
    /// Accept a BER-encoded EF.SOD (indefinite or non-minimal lengths) with
    /// a warning instead of failing `sod.structure`. Some older documents
    /// (e.g. New Zealand 2013) are BER; Doc 9303-10 asks for DER.
    pub allow_ber: bool,
    /// Data groups that may be in the SOD without having been read without
    /// a warning: DG3 and DG4 need Extended Access Control.
    pub expected_unread: Vec<u8>,
    /// Treat a DS validity problem as a warning instead of a failure.
    /// Some inspection systems accept documents whose DS certificate has
    /// expired while the document has not; Doc 9303-12 §5.3 sizes the DS
    /// validity to cover the documents, so the default fails.
    pub lenient_ds_validity: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Self {
            rsa_min_bits: 1024,
            rsa_warn_bits: 2048,
            warn_sha1: true,
            allow_ber: false,
            expected_unread: vec![3, 4],
            lenient_ds_validity: false,
        }
    }
}
