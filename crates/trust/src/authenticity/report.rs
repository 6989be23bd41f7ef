//! The chip-authenticity report: checks `chip.aa`, `chip.ca`, `chip.cam`
//! and `chip.key-source` with the overall [`AuthenticityVerdict`], in the
//! same [`Check`] form as passive authentication.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::evaluate::AuthenticityPolicy;
use super::evidence::ChipEvidence;
use crate::report::{Check, Checks};

/// Whether the chip proved it is the one the issuing state personalised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AuthenticityVerdict {
    /// A protocol (PACE-CAM, Chip Authentication or Active Authentication)
    /// proved possession of the private key, and that key comes from a
    /// file passive authentication verified.
    Genuine,
    /// A protocol failed, or the key the chip used is not the signed one:
    /// the chip may be a copy.
    CloneSuspected,
    /// The chip offers none of the three protocols.
    NotSupported,
    /// No protocol failed, but the key could not be tied to a verified
    /// file (passive authentication did not verify DG14/DG15/EF.CardSecurity).
    Unknown,
}

impl fmt::Display for AuthenticityVerdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Genuine => "genuine",
            Self::CloneSuspected => "clone-suspected",
            Self::NotSupported => "not-supported",
            Self::Unknown => "unknown",
        })
    }
}

/// The outcome of the chip-authenticity checks, with the evidence and the
/// policy it was evaluated from, so that a verifier elsewhere can evaluate
/// it again ([`super::reverify`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuthenticityReport {
    /// `"mrtd-authenticity/1"`.
    pub schema: &'static str,
    /// The overall verdict.
    pub verdict: AuthenticityVerdict,
    /// The protocol that decided the verdict (`PACE-CAM`, `CA`, `AA`), if any.
    pub decided_by: Option<&'static str>,
    /// `chip.cam`, `chip.ca`, `chip.aa` (in order of preference) and
    /// `chip.key-source`.
    pub checks: Checks,
    /// What the chip did: AA challenge and signature, CA keys and outcome,
    /// PACE-CAM data.
    pub evidence: ChipEvidence,
    /// The rules the verdict was reached with.
    pub policy: AuthenticityPolicy,
}

/// The JSON form as read back, with owned strings (checked on conversion).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportWire {
    schema: String,
    verdict: AuthenticityVerdict,
    decided_by: Option<String>,
    checks: Checks,
    evidence: ChipEvidence,
    policy: AuthenticityPolicy,
}

impl AuthenticityReport {
    /// Reads a report back from its JSON form.
    ///
    /// # Errors
    /// A description of what is not a valid report.
    pub fn from_json(bytes: &[u8]) -> Result<Self, String> {
        let wire: ReportWire = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if wire.schema != Self::SCHEMA {
            return Err(format!("unknown schema {:?}", wire.schema));
        }
        let decided_by = match wire.decided_by.as_deref() {
            None => None,
            Some("PACE-CAM") => Some("PACE-CAM"),
            Some("CA") => Some("CA"),
            Some("AA") => Some("AA"),
            Some(other) => return Err(format!("unknown protocol {other:?}")),
        };
        Ok(Self {
            schema: Self::SCHEMA,
            verdict: wire.verdict,
            decided_by,
            checks: wire.checks,
            evidence: wire.evidence,
            policy: wire.policy,
        })
    }
}

impl AuthenticityReport {
    /// The schema name of the JSON form.
    pub const SCHEMA: &'static str = "mrtd-authenticity/1";

    /// Whether the verdict is acceptable under the report's policy:
    /// `genuine`, or `not-supported` where the policy accepts chips
    /// without any of the protocols.
    #[must_use]
    pub fn acceptable(&self) -> bool {
        match self.verdict {
            AuthenticityVerdict::Genuine => true,
            AuthenticityVerdict::NotSupported => self.policy.accept_not_supported,
            AuthenticityVerdict::CloneSuspected | AuthenticityVerdict::Unknown => false,
        }
    }

    /// The check with id `id`.
    #[must_use]
    pub fn check(&self, id: &str) -> Option<&Check> {
        self.checks.get(id)
    }
}
