//! `mrtd conformance`: every case passes (none skipped: the suite needs the
//! public corpus), the last line counts them, JUnit XML is written — and a
//! deliberately broken expectation makes the runner fail.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn mrtd(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mrtd"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn every_conformance_case_passes() {
    let tmp = tempfile::tempdir().unwrap();
    let junit = tmp.path().join("junit.xml");
    let (code, out, err) = mrtd(&["conformance", "--json", "--junit", junit.to_str().unwrap()]);
    let v: Value =
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("not JSON ({e}): {out}{err}"));
    let failed: Vec<String> = v["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"]["status"] != "pass")
        .map(|r| format!("{} {}: {}", r["outcome"]["status"], r["id"], r["outcome"]))
        .collect();
    assert!(
        failed.is_empty(),
        "{} cases did not pass:\n{}",
        failed.len(),
        failed.join("\n")
    );
    assert_eq!(code, 0);
    let passed = v["passed"].as_u64().unwrap();
    assert!(passed >= 100, "only {passed} cases");
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert!(
        xml.contains(&format!("tests=\"{passed}\" failures=\"0\"")),
        "{}",
        &xml[..200.min(xml.len())]
    );
    println!("{passed} conformance cases passed");
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A runner that cannot fail proves nothing: one PA-matrix case with its
/// expected verdict turned around must be reported as failing, with exit 1.
#[test]
fn a_broken_expectation_makes_the_runner_fail() {
    let tmp = tempfile::tempdir().unwrap();
    let case = "sod-signature-corrupted";
    let from = Path::new(REPO).join("test-vectors/pa-matrix").join(case);
    assert!(from.is_dir(), "{} missing", from.display());
    let to = tmp.path().join("test-vectors/pa-matrix").join(case);
    copy_dir(&from, &to);
    let expected_path = to.join("expected.json");
    let mut expected: Value =
        serde_json::from_slice(&std::fs::read(&expected_path).unwrap()).unwrap();
    assert_eq!(expected["verdict"], "invalid");
    expected["verdict"] = Value::from("valid");
    std::fs::write(&expected_path, serde_json::to_vec(&expected).unwrap()).unwrap();

    let filter = format!("pa.matrix.{case}");
    let (code, out, err) = mrtd(&[
        "conformance",
        "--repo",
        tmp.path().to_str().unwrap(),
        "--filter",
        &filter,
    ]);
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.contains(&format!("FAIL {filter}: verdict invalid instead of valid")),
        "{out}"
    );
    assert_eq!(
        out.lines().last(),
        Some("0 passed, 1 failed, 0 skipped"),
        "{out}"
    );

    // The unchanged case passes from the same copy.
    std::fs::write(
        &expected_path,
        std::fs::read(from.join("expected.json")).unwrap(),
    )
    .unwrap();
    let (code, out, _) = mrtd(&[
        "conformance",
        "--repo",
        tmp.path().to_str().unwrap(),
        "--filter",
        &filter,
    ]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        out.lines().last(),
        Some("1 passed, 0 failed, 0 skipped"),
        "{out}"
    );
}

#[test]
fn list_and_usage_errors() {
    let (code, out, _) = mrtd(&["conformance", "--list", "--filter", "pa.matrix.*"]);
    assert_eq!(code, 0);
    assert!(out.lines().count() >= 100, "{out}");
    assert!(out.lines().all(|l| l.starts_with("pa.matrix.")), "{out}");
    let (code, _, err) = mrtd(&["conformance", "--repo", "/nonexistent"]);
    assert_eq!(code, 2, "{err}");
}
