//! `mrtd trust import|list|show` and `mrtd verify` end to end: the virtual
//! passport read into a dump folder, its CSCA imported into a store
//! directory, verification with exit codes 0 (valid), 1 (invalid), 5
//! (unknown) and 2 (usage); other tools' file names; JSON output.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const REPO: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/test-vectors/");

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

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

#[test]
fn import_list_show_and_verify_the_virtual_passport() {
    let tmp = tempfile::tempdir().unwrap();
    let dump = tmp.path().join("dump");
    let store = tmp.path().join("store");
    let (code, _, err) = mrtd(&["read", "--virtual", "--out", p(&dump)]);
    assert_eq!(code, 0, "{err}");

    // Unknown without a trust anchor (an empty store directory).
    std::fs::create_dir_all(&store).unwrap();
    let (code, out, err) = mrtd(&[
        "verify",
        p(&dump),
        "--trust",
        p(&store),
        "--at",
        "2027-01-01",
    ]);
    assert_eq!(
        code, 2,
        "a directory without index.json is not a store: {out}{err}"
    );

    let csca = format!("{REPO}/test-vectors/pki/csca.der");
    let (code, out, err) = mrtd(&["trust", "import", &csca, "--store", p(&store)]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("1 imported"), "{out}");

    let (code, out, _) = mrtd(&[
        "verify",
        p(&dump),
        "--trust",
        p(&store),
        "--at",
        "2027-01-01",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("pass  sod.signature"), "{out}");
    assert!(out.contains("Verdict: VALID"), "{out}");

    let (code, out, _) = mrtd(&[
        "verify",
        p(&dump),
        "--trust",
        p(&store),
        "--at",
        "2027-01-01",
        "--json",
    ]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "mrtd-validation/1");
    assert_eq!(v["pa"]["schema"], "mrtd-pa/1");
    assert_eq!(v["pa"]["verdict"], "valid");

    // Invalid: another issuing state, or a tampered DG2.
    let (code, out, _) = mrtd(&[
        "verify",
        p(&dump),
        "--trust",
        p(&store),
        "--at",
        "2027-01-01",
        "--issuing-state",
        "D",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL  issuer.country"), "{out}");

    // Listing and showing.
    let (code, out, _) = mrtd(&["trust", "list", "--store", p(&store), "--json"]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_str(&out).unwrap();
    let id = v["certificates"][0]["id"].as_str().unwrap().to_owned();
    assert_eq!(v["certificates"][0]["role"], "csca");
    let (code, out, _) = mrtd(&["trust", "list", "--store", p(&store), "--country", "KOR"]);
    assert_eq!(code, 0);
    assert!(out.contains("mrtd Test CSCA KR"), "{out}");
    let (code, out, _) = mrtd(&["trust", "show", &id[..12], "--store", p(&store), "--json"]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["summary"]["country"], "KR");
    let (code, _, _) = mrtd(&["trust", "show", "zz", "--store", p(&store)]);
    assert_eq!(code, 2);

    let dg2 = dump.join("EF.DG2.bin");
    let mut bytes = std::fs::read(&dg2).unwrap();
    let n = bytes.len();
    bytes[n - 1] ^= 1;
    std::fs::write(&dg2, bytes).unwrap();
    let (code, out, _) = mrtd(&[
        "verify",
        p(&dump),
        "--trust",
        p(&store),
        "--at",
        "2027-01-01",
    ]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL  dg.hash.DG2"), "{out}");
}

#[test]
fn other_tools_names_and_unknown_verdict() {
    let tmp = tempfile::tempdir().unwrap();
    let dump = tmp.path().join("dump");
    std::fs::create_dir_all(&dump).unwrap();
    let set = "lds/bsi-tr03105-5-reference-dataset/";
    for (from, to) in [
        ("EF_SOD.bin", "EF_SOD.bin"),
        ("Datagroup1.bin", "Datagroup1.bin"),
        ("Datagroup2.bin", "DG2.bin"),
    ] {
        let bytes = std::fs::read(format!("{CORPUS}{set}{from}")).unwrap_or_else(|e| {
            panic!("test vector {set}{from} missing ({e}); the shared corpus is required")
        });
        std::fs::write(dump.join(to), bytes).unwrap();
    }
    let store = tmp.path().join("store");
    let ml = format!("{CORPUS}pki/master-lists/NL_ML_2026-07-22.ml");
    let root = format!("{CORPUS}pki/master-lists/NL_ROOT_CA.cer");
    let (code, out, err) = mrtd(&[
        "trust",
        "import",
        &ml,
        "--root",
        &root,
        "--store",
        p(&store),
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("given root"), "{out}");
    let (code, out, _) = mrtd(&[
        "verify",
        p(&dump),
        "--trust",
        p(&store),
        "--at",
        "2014-06-01",
    ]);
    assert_eq!(code, 5, "{out}");
    assert!(out.contains("Verdict: UNKNOWN"), "{out}");
    assert!(out.contains("pass  dg.hash.DG1"), "{out}");
    assert!(out.contains("pass  dg.hash.DG2"), "{out}");
    let (code, _, _) = mrtd(&[
        "verify",
        p(&dump),
        "--trust",
        p(&store),
        "--at",
        "not a date",
    ]);
    assert_eq!(code, 2);
}
