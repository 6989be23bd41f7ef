//! The passive-authentication report: one [`Check`] per rule with a
//! stable id (`notes/pa-checks.md`), a [`CheckStatus`] and a reason a
//! person can act on, and the overall [`Verdict`]. Serialises to JSON with
//! stable field names (schema `mrtd-pa/1`).

use core::fmt;

use serde::{Deserialize, Serialize};

use crate::cert::CertificateSummary;
use crate::time::Timestamp;

/// The outcome of one check.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CheckStatus {
    /// The rule holds.
    Pass,
    /// The rule is broken: the document is not authentic as presented.
    Fail,
    /// The rule holds with a reservation (weak algorithm, stale CRL, …).
    Warn,
    /// The rule could not be evaluated (input or trust material absent).
    NotChecked,
}

impl fmt::Display for CheckStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::Warn => "warn",
            Self::NotChecked => "not-checked",
        })
    }
}

/// One rule's result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Check {
    /// Stable id, e.g. `sod.signature`, `dg.hash.DG2`.
    pub id: String,
    /// Outcome.
    pub status: CheckStatus,
    /// What was found and, for anything but a pass, what to do about it.
    pub reason: String,
}

/// The overall result.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// Every essential check passed and a trust anchor was found.
    Valid,
    /// At least one check failed.
    Invalid,
    /// Nothing failed, but authenticity could not be established (no
    /// trust anchor for the issuer, DS certificate unavailable, an
    /// unsupported algorithm).
    Unknown,
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Valid => "valid",
            Self::Invalid => "invalid",
            Self::Unknown => "unknown",
        })
    }
}

/// The checks in order, with helpers to add and query them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Checks(pub Vec<Check>);

impl Checks {
    /// Adds a check.
    pub fn push(&mut self, id: impl Into<String>, status: CheckStatus, reason: impl Into<String>) {
        self.0.push(Check {
            id: id.into(),
            status,
            reason: reason.into(),
        });
    }

    /// Adds a passing check.
    pub fn pass(&mut self, id: impl Into<String>, reason: impl Into<String>) {
        self.push(id, CheckStatus::Pass, reason);
    }

    /// Adds a failing check.
    pub fn fail(&mut self, id: impl Into<String>, reason: impl Into<String>) {
        self.push(id, CheckStatus::Fail, reason);
    }

    /// Adds a warning.
    pub fn warn(&mut self, id: impl Into<String>, reason: impl Into<String>) {
        self.push(id, CheckStatus::Warn, reason);
    }

    /// Adds a check that could not be evaluated.
    pub fn not_checked(&mut self, id: impl Into<String>, reason: impl Into<String>) {
        self.push(id, CheckStatus::NotChecked, reason);
    }

    /// The check with id `id`.
    #[must_use]
    pub fn get(&self, id: &str) -> Option<&Check> {
        self.0.iter().find(|c| c.id == id)
    }

    /// The status of check `id`.
    #[must_use]
    pub fn status(&self, id: &str) -> Option<CheckStatus> {
        self.get(id).map(|c| c.status)
    }

    /// Whether any check failed.
    #[must_use]
    pub fn any_failed(&self) -> bool {
        self.0.iter().any(|c| c.status == CheckStatus::Fail)
    }

    /// Whether check `id` exists and passed or only warned.
    #[must_use]
    pub fn ok(&self, id: &str) -> bool {
        matches!(self.status(id), Some(CheckStatus::Pass | CheckStatus::Warn))
    }
}

/// The result of passive authentication of one document (or of one
/// signed object, for [`verify_signed_data`](crate::verify_signed_data)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PaReport {
    /// `"mrtd-pa/1"`.
    pub schema: &'static str,
    /// The overall verdict.
    pub verdict: Verdict,
    /// The time the checks were made for.
    pub verification_time: Timestamp,
    /// The signingTime signed attribute, when present.
    pub signing_time: Option<Timestamp>,
    /// The MRZ issuing state used for `issuer.country`.
    pub issuing_state: Option<String>,
    /// The Document Signer certificate used.
    pub document_signer: Option<CertificateSummary>,
    /// Where the DS certificate came from: `"sod"` or `"store"`.
    pub document_signer_source: Option<&'static str>,
    /// The certificates from the DS issuer up to the trust anchor (a link
    /// certificate path has more than one).
    pub csca_path: Vec<CertificateSummary>,
    /// The signature backend.
    pub backend: &'static str,
    /// Every check, in evaluation order.
    pub checks: Checks,
}

impl PaReport {
    /// The schema name of the JSON form.
    pub const SCHEMA: &'static str = "mrtd-pa/1";

    /// The check with id `id`.
    #[must_use]
    pub fn check(&self, id: &str) -> Option<&Check> {
        self.checks.get(id)
    }

    /// The ids of the failed checks.
    #[must_use]
    pub fn failed(&self) -> Vec<&str> {
        self.checks
            .0
            .iter()
            .filter(|c| c.status == CheckStatus::Fail)
            .map(|c| c.id.as_str())
            .collect()
    }
}
