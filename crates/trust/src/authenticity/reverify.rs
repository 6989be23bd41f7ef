//! Checking a chip-authenticity report somewhere else (a server that was
//! not at the desk): from the report's JSON and the files it verified
//! itself, with its own nonce.
//!
//! The report must be exactly what an honest reader produces for that
//! evidence: it is parsed strictly, evaluated again from its evidence and
//! the verifier's own verified files, and the result — serialised the same
//! way — must equal the submitted bytes. Editing any byte of it therefore
//! fails: either it no longer parses, or the evaluation no longer matches
//! what it claims. The Active Authentication signature over the verifier's
//! nonce is the cryptographic anchor of the whole check.

use super::evaluate::{AuthenticityPolicy, VerifiedKeys, evaluate};
use super::evidence::ChallengeSource;
use super::report::{AuthenticityReport, AuthenticityVerdict};
use crate::report::CheckStatus;

/// Why a report does not stand.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReverifyError {
    /// The JSON is not an authenticity report.
    #[error("not an authenticity report: {0}")]
    Malformed(String),
    /// The report carries no Active Authentication.
    #[error("the report carries no Active Authentication")]
    NoActiveAuthentication,
    /// The challenge is not the verifier's nonce.
    #[error("the Active Authentication challenge is not the expected nonce")]
    ChallengeMismatch,
    /// The report was evaluated under other rules than the verifier's.
    #[error("the report was evaluated with another policy")]
    PolicyMismatch,
    /// Evaluating the evidence again does not give the report.
    #[error("the report does not match its own evidence: {0}")]
    Altered(String),
    /// The signature does not prove the chip.
    #[error("Active Authentication does not prove the chip: {0}")]
    NotProven(String),
}

/// Re-verifies a report made with the caller-supplied `expected_challenge`.
/// `keys` are the verifier's own verified files (at least DG15; DG14 for an
/// ECDSA key). Returns the report when it stands and its Active
/// Authentication passed.
///
/// # Errors
/// [`ReverifyError`] saying why the report does not stand.
pub fn reverify(
    report_json: &[u8],
    keys: VerifiedKeys<'_>,
    expected_challenge: &[u8; 8],
    policy: &AuthenticityPolicy,
) -> Result<AuthenticityReport, ReverifyError> {
    let claimed = AuthenticityReport::from_json(report_json).map_err(ReverifyError::Malformed)?;
    let aa = claimed
        .evidence
        .aa
        .as_ref()
        .ok_or(ReverifyError::NoActiveAuthentication)?;
    if aa.challenge.as_slice() != expected_challenge
        || aa.challenge_source != ChallengeSource::Caller
    {
        return Err(ReverifyError::ChallengeMismatch);
    }
    if &claimed.policy != policy {
        return Err(ReverifyError::PolicyMismatch);
    }
    let recomputed = evaluate(&claimed.evidence, keys, policy);
    let canonical =
        serde_json::to_vec(&recomputed).map_err(|e| ReverifyError::Malformed(e.to_string()))?;
    if canonical != report_json {
        let what = if recomputed.verdict != claimed.verdict {
            format!(
                "it claims {} where the evidence gives {}",
                claimed.verdict, recomputed.verdict
            )
        } else {
            "its checks or encoding differ from the evaluation of its evidence".to_string()
        };
        return Err(ReverifyError::Altered(what));
    }
    match recomputed.check("chip.aa").map(|c| c.status) {
        Some(CheckStatus::Pass | CheckStatus::Warn)
            if recomputed.verdict != AuthenticityVerdict::CloneSuspected =>
        {
            Ok(recomputed)
        }
        _ => Err(ReverifyError::NotProven(
            recomputed
                .check("chip.aa")
                .map_or_else(|| "no chip.aa check".to_string(), |c| c.reason.clone()),
        )),
    }
}

/// The form a reader hands to [`reverify`]: compact JSON.
///
/// # Errors
/// Only if serialisation fails (it does not for these types).
pub fn to_json(report: &AuthenticityReport) -> Result<Vec<u8>, serde_json::Error> {
    serde_json::to_vec(report)
}
