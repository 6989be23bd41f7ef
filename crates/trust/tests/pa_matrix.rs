//! Runs every case of `test-vectors/pa-matrix/` (format:
//! `test-vectors/pa-matrix/README.md`) through passive authentication and
//! checks the verdict and the failing check. Fails loudly when the matrix
//! is missing or empty.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use mrtd_lds::{DgNumber, EfId};
use mrtd_trust::{
    CheckStatus, ImportOutcome, PaInputs, Policy, Timestamp, TrustStore, ef_from_dump_name,
    passive_authentication,
};
use serde_json::Value;

fn matrix_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../test-vectors/pa-matrix"
    ))
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
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
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
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
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

#[test]
fn every_matrix_case_gives_its_expected_verdict_and_failing_check() {
    let dir = matrix_dir();
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the PA matrix {} is missing ({e}); it must be generated (test-vectors/pa-matrix/README.md)", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("expected.json").is_file())
        .collect();
    cases.sort();
    assert!(
        !cases.is_empty(),
        "the PA matrix {} has no case (no <case>/expected.json): it must be generated before this test can pass",
        dir.display()
    );
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|c| {
            run_case(c)
                .err()
                .map(|e| format!("{}: {e}", c.file_name().unwrap().to_string_lossy()))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} matrix cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
    println!("{} matrix cases passed", cases.len());
}
