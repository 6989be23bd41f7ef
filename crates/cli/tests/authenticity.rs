//! `mrtd read --virtual --trust` and `mrtd verify` with chip
//! authentication: verdicts, exit codes (0 genuine, 1 clone suspected or
//! `--require-genuine` unmet, 5 unknown, 2 usage) and the evidence that a
//! dump folder keeps for a later `mrtd verify`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");

fn mrtd(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mrtd"))
        .args(args)
        .env_remove("MRTD_HOME")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn store(dir: &Path) -> PathBuf {
    let store = dir.join("store");
    let csca = format!("{REPO}/test-vectors/pki/csca.der");
    let (code, out, err) = mrtd(&["trust", "import", &csca, "--store", store.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    store
}

/// `mrtd read --virtual --trust STORE --json` with the chip flags: exit
/// code and the `validation` member.
fn read(store: &Path, chip: &[&str], extra: &[&str]) -> (i32, Value) {
    let mut args = vec![
        "read",
        "--virtual",
        "--trust",
        store.to_str().unwrap(),
        "--at",
        "2027-06-01",
        "--json",
    ];
    args.extend_from_slice(chip);
    args.extend_from_slice(extra);
    let (code, out, err) = mrtd(&args);
    let v: Value = serde_json::from_str(&out)
        .unwrap_or_else(|e| panic!("{chip:?}: not JSON ({e}): {out}{err}"));
    (code, v)
}

/// Virtual-chip flags, extra read flags, exit code, verdict, the check
/// that decides.
type Case<'a> = (&'a [&'a str], &'a [&'a str], i32, &'a str, Option<&'a str>);

#[test]
fn verdicts_and_exit_codes() {
    let tmp = tempfile::tempdir().unwrap();
    let store = store(tmp.path());
    let cases: [Case<'_>; 9] = [
        (
            &["--aa", "rsa:2048:sha256"],
            &[],
            0,
            "genuine",
            Some("chip.aa"),
        ),
        (
            &["--aa", "ecdsa:13:sha256"],
            &["--require-genuine"],
            0,
            "genuine",
            Some("chip.aa"),
        ),
        (
            &["--ca", "12:aes256"],
            &["--require-genuine"],
            0,
            "genuine",
            Some("chip.ca"),
        ),
        (
            &["--aa", "ecdsa:16:sha384", "--clone"],
            &[],
            1,
            "clone-suspected",
            Some("chip.aa"),
        ),
        (
            &["--ca", "13:aes128", "--clone"],
            &[],
            1,
            "clone-suspected",
            Some("chip.ca"),
        ),
        (&[], &[], 0, "not-supported", None),
        (&[], &["--require-genuine"], 1, "not-supported", None),
        // Passive authentication fails the read (dg.unlisted.DG15) and the
        // key it does not vouch for proves nothing.
        (
            &["--aa", "rsa:2048:sha256", "--unsigned-dg", "15"],
            &[],
            1,
            "unknown",
            None,
        ),
        (
            &[
                "--aa",
                "ecdsa:12:sha256",
                "--ca",
                "12:aes128",
                "--unsigned-dg",
                "14",
            ],
            &[],
            1,
            "unknown",
            None,
        ),
    ];
    for (chip, extra, code, verdict, check) in cases {
        let (got, v) = read(&store, chip, extra);
        let a = &v["validation"]["authenticity"];
        assert_eq!(got, code, "{chip:?} {extra:?}: {a:#}");
        assert_eq!(v["exit_code"], code, "{chip:?} {extra:?}");
        assert_eq!(a["verdict"], verdict, "{chip:?} {extra:?}: {a:#}");
        if let Some(id) = check {
            let status = a["checks"]
                .as_array()
                .unwrap()
                .iter()
                .find(|c| c["id"] == id)
                .map(|c| c["status"].clone());
            let expected = if verdict == "genuine" { "pass" } else { "fail" };
            assert_eq!(status, Some(Value::from(expected)), "{chip:?}: {id}");
        }
    }
}

#[test]
fn skipping_the_protocols_is_visible_in_the_verdict() {
    let tmp = tempfile::tempdir().unwrap();
    let store = store(tmp.path());
    let (code, v) = read(
        &store,
        &["--aa", "rsa:2048:sha256"],
        &["--no-aa", "--require-genuine"],
    );
    assert_eq!(code, 5);
    assert_eq!(v["validation"]["authenticity"]["verdict"], "unknown");
    assert!(v["report"]["chip_evidence"]["aa"].is_null());
}

#[test]
fn bad_arguments_exit_2_before_any_read() {
    let tmp = tempfile::tempdir().unwrap();
    let store = store(tmp.path());
    for (args, says) in [
        (vec!["--challenge", "0011"], "8 bytes"),
        (vec!["--challenge", "zz11223344556677"], "not hex"),
        (vec!["--aa", "rsa:999:sha256"], "RSA test key"),
        (vec!["--aa", "rsa:2048"], "expected rsa:BITS:HASH"),
    ] {
        let mut all = vec!["read", "--virtual", "--trust", store.to_str().unwrap()];
        all.extend(args.iter().copied());
        let (code, out, err) = mrtd(&all);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let (code, _, err) = mrtd(&["read", "--aa", "rsa:2048:sha256", "--mrz", "x"]);
    assert_eq!(code, 2);
    assert!(err.contains("--virtual"), "{err}");
}

/// The dump keeps the evidence: `mrtd verify` later reaches the same
/// verdict, with the caller's challenge, and a forged signature in
/// read-report.json makes it a suspected clone.
#[test]
fn verify_judges_the_evidence_a_dump_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let store = store(tmp.path());
    let dump = tmp.path().join("dump");
    let (code, _) = read(
        &store,
        &["--aa", "rsa:2048:sha256"],
        &[
            "--challenge",
            "A1A2A3A4A5A6A7A8",
            "--out",
            dump.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0);
    let verify = |extra: &[&str]| {
        let mut args = vec![
            "verify",
            dump.to_str().unwrap(),
            "--trust",
            store.to_str().unwrap(),
            "--at",
            "2027-06-01",
        ];
        args.extend_from_slice(extra);
        mrtd(&args)
    };
    let (code, out, _) = verify(&["--json"]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "mrtd-validation/1");
    assert_eq!(v["authenticity"]["verdict"], "genuine");
    assert_eq!(
        v["authenticity"]["evidence"]["aa"]["challenge"],
        "A1A2A3A4A5A6A7A8"
    );
    assert_eq!(
        v["authenticity"]["evidence"]["aa"]["challenge_source"],
        "caller"
    );

    let (code, out, _) = verify(&[]);
    assert_eq!(code, 0);
    assert!(out.contains("pass  chip.aa"), "{out}");
    assert!(out.contains("Authenticity: GENUINE (by AA)"), "{out}");

    // A forged signature: the last byte of the recorded one.
    let path = dump.join("read-report.json");
    let mut report: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let sig = report["chip_evidence"]["aa"]["signature"]
        .as_str()
        .unwrap()
        .to_owned();
    let last = u8::from_str_radix(&sig[sig.len() - 2..], 16).unwrap() ^ 1;
    report["chip_evidence"]["aa"]["signature"] =
        Value::from(format!("{}{last:02X}", &sig[..sig.len() - 2]));
    std::fs::write(&path, serde_json::to_vec(&report).unwrap()).unwrap();
    let (code, out, _) = verify(&[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL  chip.aa"), "{out}");
    assert!(out.contains("CLONE SUSPECTED"), "{out}");

    // Without the report, nothing ran: not genuine, but PA still valid.
    std::fs::remove_file(&path).unwrap();
    let (code, out, _) = verify(&[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Authenticity: UNKNOWN"), "{out}");
    let (code, _, _) = verify(&["--require-genuine"]);
    assert_eq!(code, 5);

    // A mangled report is an input error, said as such.
    std::fs::write(&path, b"{not json").unwrap();
    let (code, _, err) = verify(&[]);
    assert_eq!(code, 2);
    assert!(err.contains("read-report.json"), "{err}");
}
