//! Selecting and running cases.

use std::collections::VecDeque;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Mutex;
use std::time::Instant;

use serde::Serialize;

use crate::case::{Case, CaseInfo, Context, Outcome};

/// Every case of every source.
#[must_use]
pub fn all_cases(ctx: &Context) -> Vec<Case> {
    let mut cases = Vec::new();
    cases.extend(crate::pa_matrix::cases(ctx));
    cases
}

/// Whether `id` matches `pattern`: `*` matches any run of characters; a
/// pattern without `*` matches ids that contain it.
#[must_use]
pub fn matches(pattern: &str, id: &str) -> bool {
    if !pattern.contains('*') {
        return id.contains(pattern);
    }
    let parts: Vec<&str> = pattern.split('*').collect();
    let (first, rest) = match parts.split_first() {
        Some(split) => split,
        None => return true,
    };
    let Some(mut remaining) = id.strip_prefix(first) else {
        return false;
    };
    let Some((last, middle)) = rest.split_last() else {
        return remaining.is_empty();
    };
    for part in middle {
        match remaining.find(part) {
            Some(at) => remaining = &remaining[at + part.len()..],
            None => return false,
        }
    }
    remaining.ends_with(last)
}

/// One case's result.
#[derive(Clone, Debug, Serialize)]
pub struct CaseResult {
    /// The case.
    #[serde(flatten)]
    pub case: CaseInfo,
    /// How it came out.
    pub outcome: Outcome,
    /// Wall time, milliseconds.
    pub millis: u64,
}

/// The results of a run, in case-id order.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RunReport {
    /// Every case run.
    pub results: Vec<CaseResult>,
    /// How many passed.
    pub passed: usize,
    /// How many failed.
    pub failed: usize,
    /// How many were skipped.
    pub skipped: usize,
}

impl RunReport {
    /// The failed results.
    pub fn failures(&self) -> impl Iterator<Item = &CaseResult> {
        self.results
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Fail { .. }))
    }

    /// The summary line: `N passed, M failed, K skipped`.
    #[must_use]
    pub fn summary(&self) -> String {
        format!(
            "{} passed, {} failed, {} skipped",
            self.passed, self.failed, self.skipped
        )
    }
}

/// Runs the cases whose id matches one of `filters` (all when empty) on
/// `jobs` threads. A case that panics fails with the panic message; the
/// run goes on.
#[must_use]
pub fn run(cases: Vec<Case>, filters: &[String], ctx: &Context, jobs: usize) -> RunReport {
    let selected: VecDeque<Case> = cases
        .into_iter()
        .filter(|c| filters.is_empty() || filters.iter().any(|f| matches(f, &c.id)))
        .collect();
    let queue = Mutex::new(selected);
    let results = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for _ in 0..jobs.max(1) {
            scope.spawn(|| {
                loop {
                    let next = queue
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .pop_front();
                    let Some(case) = next else { break };
                    let result = run_one(case, ctx);
                    results
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .push(result);
                }
            });
        }
    });
    let mut results = results
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    results.sort_by(|a, b| a.case.id.cmp(&b.case.id));
    let count = |f: fn(&Outcome) -> bool| results.iter().filter(|r| f(&r.outcome)).count();
    RunReport {
        passed: count(|o| matches!(o, Outcome::Pass { .. })),
        failed: count(|o| matches!(o, Outcome::Fail { .. })),
        skipped: count(|o| matches!(o, Outcome::Skip { .. })),
        results,
    }
}

fn run_one(case: Case, ctx: &Context) -> CaseResult {
    let started = Instant::now();
    let info = CaseInfo {
        id: case.id.clone(),
        source: case.source.clone(),
        expectation: case.expectation.clone(),
    };
    let outcome = match catch_unwind(AssertUnwindSafe(|| case.execute(ctx))) {
        Ok((_, outcome)) => outcome,
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "a panic without a message".into());
            Outcome::fail(format!("the case panicked: {message}"))
        }
    };
    CaseResult {
        case: info,
        outcome,
        millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(matches("pace", "pace.worked-example.g1"));
        assert!(matches("pace.*", "pace.worked-example.g1"));
        assert!(matches("*.g1", "pace.worked-example.g1"));
        assert!(matches("pace.*.g*", "pace.worked-example.g1"));
        assert!(!matches("bac.*", "pace.worked-example.g1"));
        assert!(!matches("*.g2", "pace.worked-example.g1"));
        assert!(matches("*", "anything"));
    }

    fn ctx() -> Context {
        Context::from_checkout()
    }

    #[test]
    fn a_failing_or_panicking_case_is_counted_and_the_run_goes_on() {
        let cases = vec![
            Case::new("t.pass", "test", "passes", |_| Outcome::pass("")),
            Case::new("t.fail", "test", "fails", |_| {
                Outcome::fail("expected 1, got 2")
            }),
            Case::new("t.panic", "test", "panics", |_| panic!("boom")),
            Case::new("t.skip", "test", "skips", |_| Outcome::Skip {
                reason: "no reader".into(),
            }),
            Case::new("u.other", "test", "filtered out", |_| {
                Outcome::fail("never run")
            }),
        ];
        let report = run(cases, &["t.*".into()], &ctx(), 2);
        assert_eq!((report.passed, report.failed, report.skipped), (1, 2, 1));
        assert_eq!(report.summary(), "1 passed, 2 failed, 1 skipped");
        let failed: Vec<_> = report.failures().map(|r| r.case.id.as_str()).collect();
        assert_eq!(failed, ["t.fail", "t.panic"]);
        assert!(
            matches!(&report.results[1].outcome, Outcome::Fail { reason } if reason.contains("boom"))
        );
    }
}
