//! The passive-authentication matrix of `test-vectors/pa-matrix/` (format:
//! `test-vectors/pa-matrix/README.md`): one case per directory, each a
//! trust store, a dump and `expected.json` with the verdict and the
//! failing check (every signature algorithm and curve a passport uses,
//! every way a SOD, DS, CSCA or CRL can be wrong).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mrtd_lds::{DgNumber, EfId};
use mrtd_trust::{
    CheckStatus, ImportOutcome, PaInputs, Policy, Timestamp, TrustStore, ef_from_dump_name,
    passive_authentication,
};
use serde_json::Value;

use crate::case::{Case, Context, Outcome};

/// One case per matrix directory; a single failing case when the matrix
/// is missing or empty (it is part of the repository).
#[must_use]
pub fn cases(ctx: &Context) -> Vec<Case> {
    let dir = ctx.test_vectors("pa-matrix");
    let mut dirs: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.join("expected.json").is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    dirs.sort();
    if dirs.is_empty() {
        let shown = dir.display().to_string();
        return vec![Case::new(
            "pa.matrix",
            "test-vectors/pa-matrix",
            "the matrix exists",
            move |_| {
                Outcome::fail(format!(
                    "the PA matrix {shown} is missing or empty (test-vectors/pa-matrix/README.md)"
                ))
            },
        )];
    }
    dirs.into_iter()
        .map(|case| {
            let name = case
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let expectation = std::fs::read(case.join("expected.json"))
                .ok()
                .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
                .map_or_else(String::new, |v| {
                    let verdict = v["verdict"].as_str().unwrap_or("?");
                    match v["failing_check"].as_str() {
                        Some(check) => format!("passive authentication {verdict}, {check} fails"),
                        None => format!("passive authentication {verdict}"),
                    }
                });
            Case::new(
                format!("pa.matrix.{name}"),
                format!("test-vectors/pa-matrix/{name}"),
                expectation,
                move |_| match run_case(&case) {
                    Ok(()) => Outcome::pass(""),
                    Err(e) => Outcome::fail(e),
                },
            )
        })
        .collect()
}

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = match std::fs::read_dir(dir) {
        Ok(rd) => rd
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.is_file())
            .collect(),
        Err(_) => Vec::new(),
    };
    v.sort();
    v
}

fn status_name(s: CheckStatus) -> &'static str {
    match s {
        CheckStatus::Pass => "pass",
        CheckStatus::Fail => "fail",
        CheckStatus::Warn => "warn",
        CheckStatus::NotChecked => "not-checked",
    }
}

/// Runs one case; `Err` says what differs.
fn run_case(case: &Path) -> Result<(), String> {
    let expected: Value = serde_json::from_slice(
        &std::fs::read(case.join("expected.json")).map_err(|e| format!("expected.json: {e}"))?,
    )
    .map_err(|e| format!("expected.json: {e}"))?;
    let at = expected["at"]
        .as_str()
        .ok_or("expected.json: \"at\" missing")
        .and_then(|s| Timestamp::parse(s).map_err(|_| "expected.json: bad \"at\""))?;
    let verdict = expected["verdict"]
        .as_str()
        .ok_or("expected.json: \"verdict\" missing")?;
    let policy = match expected.get("policy") {
        None | Some(Value::Null) => Policy::default(),
        Some(overrides) => {
            let mut base = serde_json::to_value(Policy::default()).map_err(|e| e.to_string())?;
            for (k, v) in overrides.as_object().ok_or("policy must be an object")? {
                base[k] = v.clone();
            }
            serde_json::from_value(base).map_err(|e| format!("policy: {e}"))?
        }
    };

    // The store.
    let mut store = TrustStore::new();
    let may_reject = expected["import_may_reject"].as_bool().unwrap_or(false);
    for f in files_in(&case.join("store")) {
        let bytes = std::fs::read(&f).map_err(|e| format!("{}: {e}", f.display()))?;
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let report = store.import(&bytes, &name);
        let rejected: Vec<_> = report
            .items
            .iter()
            .filter(|i| matches!(i.outcome, ImportOutcome::Rejected { .. }))
            .collect();
        if !rejected.is_empty() && !may_reject {
            return Err(format!("store/{name} was rejected at import: {rejected:?}"));
        }
    }

    // The dump.
    let mut sod = None;
    let mut dgs: BTreeMap<DgNumber, Vec<u8>> = BTreeMap::new();
    for f in files_in(&case.join("dump")) {
        let name = f
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = std::fs::read(&f).map_err(|e| e.to_string())?;
        match ef_from_dump_name(&name) {
            Some(EfId::Sod) => sod = Some(bytes),
            Some(EfId::Dg(n)) => {
                dgs.insert(n, bytes);
            }
            _ => {}
        }
    }
    let sod = sod.ok_or("dump/EF.SOD.bin missing")?;
    let report = passive_authentication(&PaInputs {
        sod: &sod,
        data_groups: &dgs,
        issuing_state: expected["issuing_state"].as_str(),
        store: &store,
        at,
        policy: &policy,
    });

    let mut problems = Vec::new();
    if report.verdict.to_string() != verdict {
        problems.push(format!("verdict {} instead of {verdict}", report.verdict));
    }
    let mut must_fail: Vec<String> = expected["failing_check"]
        .as_str()
        .map(str::to_owned)
        .into_iter()
        .collect();
    if let Some(more) = expected["other_failing_checks"].as_array() {
        must_fail.extend(more.iter().filter_map(|v| v.as_str().map(str::to_owned)));
    }
    if verdict == "invalid" && must_fail.is_empty() {
        problems.push("expected.json: an invalid case must name failing_check".into());
    }
    for id in &must_fail {
        match report.check(id) {
            Some(c) if c.status == CheckStatus::Fail => {}
            Some(c) => problems.push(format!(
                "{id} is {} ({}), expected fail",
                c.status, c.reason
            )),
            None => problems.push(format!("{id} is not in the report")),
        }
    }
    if let Some(statuses) = expected["status"].as_object() {
        for (id, want) in statuses {
            let got = report.check(id).map(|c| status_name(c.status));
            if got != want.as_str() {
                problems.push(format!("{id} is {got:?}, expected {want}"));
            }
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        let failed = report.failed().join(", ");
        Err(format!("{} [failed checks: {failed}]", problems.join("; ")))
    }
}
