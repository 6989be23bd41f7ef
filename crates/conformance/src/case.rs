//! One conformance case and what it needs to run.

use std::path::PathBuf;

use serde::Serialize;

/// Where the cases find their data, and how they may reach a chip.
#[derive(Clone, Debug)]
pub struct Context {
    /// The repository root (for `test-vectors/`).
    pub repo_dir: PathBuf,
    /// The public corpus (`../shared/` beside the repository), when present.
    /// Cases that need it are skipped with a reason when it is missing;
    /// the test suite requires it and fails on any skip.
    pub shared_dir: Option<PathBuf>,
    /// Read the virtual passports through pcscd and the vpcd reader instead
    /// of in-process.
    pub pcsc: bool,
}

impl Context {
    /// The context of a source checkout: the repository this crate was
    /// built from, and `../shared/` beside it when it exists.
    #[must_use]
    pub fn from_checkout() -> Self {
        let repo_dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."));
        let shared = repo_dir.join("../shared");
        Self {
            shared_dir: shared.join("test-vectors").is_dir().then_some(shared),
            repo_dir,
            pcsc: false,
        }
    }

    /// `test-vectors/<rel>` in the repository.
    #[must_use]
    pub fn test_vectors(&self, rel: &str) -> PathBuf {
        self.repo_dir.join("test-vectors").join(rel)
    }

    /// `../shared/test-vectors/<rel>`, or the reason a case is skipped.
    ///
    /// # Errors
    /// An [`Outcome::Skip`] saying the corpus is missing.
    pub fn shared(&self, rel: &str) -> Result<PathBuf, Outcome> {
        match &self.shared_dir {
            Some(dir) => Ok(dir.join("test-vectors").join(rel)),
            None => Err(Outcome::Skip {
                reason: "the public corpus ../shared/ is not beside the repository".into(),
            }),
        }
    }
}

/// How a case came out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Outcome {
    /// The expectation held.
    Pass {
        /// What was observed, briefly (may be empty).
        detail: String,
    },
    /// It did not: what was observed instead.
    Fail {
        /// What differed from the expectation.
        reason: String,
    },
    /// The case could not run here (missing data, no reader).
    Skip {
        /// Why.
        reason: String,
    },
}

impl Outcome {
    /// A pass with a detail.
    pub fn pass(detail: impl Into<String>) -> Self {
        Self::Pass {
            detail: detail.into(),
        }
    }

    /// A failure with its reason.
    pub fn fail(reason: impl Into<String>) -> Self {
        Self::Fail {
            reason: reason.into(),
        }
    }

    /// `Pass` when `mismatches` is empty, else a failure listing them.
    #[must_use]
    pub fn from_mismatches(mismatches: Vec<String>, detail: impl Into<String>) -> Self {
        if mismatches.is_empty() {
            Self::pass(detail)
        } else {
            Self::fail(mismatches.join("; "))
        }
    }
}

type Check = Box<dyn FnOnce(&Context) -> Outcome + Send>;

/// One executable case.
pub struct Case {
    /// Stable id, dot-separated, lower case (`pa.matrix.rsa-pss-sha256`).
    pub id: String,
    /// Where it comes from: a document and section, a specimen, a profile.
    pub source: String,
    /// What a correct implementation does, in words.
    pub expectation: String,
    check: Check,
}

impl core::fmt::Debug for Case {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Case")
            .field("id", &self.id)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl Case {
    /// A case whose `check` decides the outcome.
    pub fn new(
        id: impl Into<String>,
        source: impl Into<String>,
        expectation: impl Into<String>,
        check: impl FnOnce(&Context) -> Outcome + Send + 'static,
    ) -> Self {
        Self {
            id: id.into(),
            source: source.into(),
            expectation: expectation.into(),
            check: Box::new(check),
        }
    }

    /// Runs the check.
    pub(crate) fn execute(self, ctx: &Context) -> (CaseInfo, Outcome) {
        let info = CaseInfo {
            id: self.id,
            source: self.source,
            expectation: self.expectation,
        };
        (info, (self.check)(ctx))
    }
}

/// A case without its check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CaseInfo {
    /// [`Case::id`].
    pub id: String,
    /// [`Case::source`].
    pub source: String,
    /// [`Case::expectation`].
    pub expectation: String,
}
