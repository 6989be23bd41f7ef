//! `mrtd show` on dump folders built from the shared corpus: the names of
//! `mrtd read` and of other tools, the JSON schema of docs/show-json.md,
//! warnings, `--strict`, `--face` and the exit codes.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/test-vectors/");

fn copy(from: &str, dir: &Path, name: &str) {
    let src = format!("{CORPUS}{from}");
    let bytes = std::fs::read(&src).unwrap_or_else(|e| {
        panic!("test vector {src} is missing ({e}); the shared corpus is required")
    });
    std::fs::write(dir.join(name), bytes).unwrap();
}

fn show(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_mrtd"))
        .arg("show")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

#[test]
fn mrtd_read_names_json_and_face() {
    let dir = tempfile::tempdir().unwrap();
    let set = "lds/bsi-tr03105-5-reference-dataset/";
    for (from, to) in [
        ("EF_COM.bin", "EF.COM.bin"),
        ("EF_SOD.bin", "EF.SOD.bin"),
        ("Datagroup1.bin", "EF.DG1.bin"),
        ("Datagroup2.bin", "EF.DG2.bin"),
        ("Datagroup14.bin", "EF.DG14.bin"),
        ("Datagroup15.bin", "EF.DG15.bin"),
    ] {
        copy(&format!("{set}{from}"), dir.path(), to);
    }
    copy(
        "lds/cardsecurity/openpace_EF_CardAccess_slowenia.bin",
        dir.path(),
        "EF.CardAccess.bin",
    );
    std::fs::write(dir.path().join("read-report.json"), "{}").unwrap();
    let png = dir.path().join("face.png");
    let (code, out) = show(&[
        dir.path().to_str().unwrap(),
        "--json",
        "--face",
        png.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema"], "mrtd-show/1");
    assert_eq!(v["status"], "ok");
    assert_eq!(v["exit_code"], 0);
    let doc = &v["document"];
    assert_eq!(doc["document_number"], "C11T002JM");
    assert_eq!(doc["nationality"], "D");
    assert_eq!(doc["date_of_birth_iso"], "1996-08-12");
    assert_eq!(doc["date_of_expiry_iso"], "2023-10-31");
    assert_eq!(doc["check_digits_valid"], true);
    let files = v["files"].as_array().unwrap();
    assert_eq!(files.len(), 7);
    let file = |ef: &str| files.iter().find(|f| f["ef"] == ef).unwrap();
    let face = &file("EF.DG2")["content"]["faces"][0]["images"][0];
    assert_eq!(
        (face["width"].as_u64(), face["height"].as_u64()),
        (Some(413), Some(531))
    );
    assert_eq!(face["encoding"], "jp2");
    // The specimen's record states another size than its image has.
    assert_eq!(file("EF.DG2")["warnings"].as_array().unwrap().len(), 1);
    let ca = file("EF.CardAccess");
    assert_eq!(ca["warnings"][0]["offset"], 93);
    assert_eq!(ca["warnings"][0]["defect"]["kind"], "trailing_bytes");
    assert_eq!(ca["warnings"][0]["defect"]["what"]["sw"], 0x6282);
    assert_eq!(file("EF.DG15")["content"]["algorithm"], "RSA-1024");
    assert_eq!(
        file("EF.DG14")["content"]["security_infos"][1]["protocol"],
        "id-CA-ECDH-3DES-CBC-CBC"
    );
    assert_eq!(v["skipped"][0]["name"], "read-report.json");
    assert_eq!(v["face"]["width"], 413);
    let png = std::fs::read(&png).unwrap();
    assert!(png.starts_with(b"\x89PNG"));

    // Human view: the essentials, the warning with file and offset.
    let (code, out) = show(&[dir.path().to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(
        out.contains("C11T002JM") && out.contains("1996-08-12"),
        "{out}"
    );
    assert!(out.contains("EF.CardAccess at offset 93"), "{out}");

    // Strict: the appended status word makes EF.CardAccess fail: exit 1.
    let (code, out) = show(&[dir.path().to_str().unwrap(), "--json", "--strict"]);
    assert_eq!(code, 1, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["status"], "defective");
    let ca = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["ef"] == "EF.CardAccess")
        .unwrap()
        .clone();
    assert_eq!(ca["status"], "error");
}

#[test]
fn other_tools_names() {
    let dir = tempfile::tempdir().unwrap();
    copy("lds/jmrtd-bsi2008/EF_COM.bin", dir.path(), "COM.bin");
    copy("lds/jmrtd-bsi2008/Datagroup1.bin", dir.path(), "dg1.bin");
    copy(
        "lds/tsemrtd-synthetic/EF_DG11.bin",
        dir.path(),
        "EF_DG11.bin",
    );
    copy(
        "lds/tsemrtd-synthetic/EF_DG12.bin",
        dir.path(),
        "Datagroup12.bin",
    );
    copy("lds/tsemrtd-synthetic/EF_DG7.bin", dir.path(), "DG7.BIN");
    copy("lds/jmrtd-bsi2008/EF_SOD.bin", dir.path(), "SOD.bin");
    copy(
        "lds/cardsecurity/ausweisapp_efCardSecurity.bin",
        dir.path(),
        "EF_CardSecurity.bin",
    );
    let (code, out) = show(&[dir.path().to_str().unwrap(), "--json"]);
    assert_eq!(code, 0, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    let efs: Vec<&str> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["ef"].as_str().unwrap())
        .collect();
    assert_eq!(
        efs,
        [
            "EF.CardSecurity",
            "EF.COM",
            "EF.SOD",
            "EF.DG1",
            "EF.DG7",
            "EF.DG11",
            "EF.DG12"
        ]
    );
    let dg11 = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["ef"] == "EF.DG11")
        .unwrap();
    assert_eq!(dg11["content"]["full_date_of_birth"]["iso"], "1970-01-01");
    assert_eq!(dg11["content"]["full_date_of_birth"]["bcd"], true);
    assert_eq!(dg11["warnings"].as_array().unwrap().len(), 2);
}

#[test]
fn exit_codes() {
    // Unreadable folder: usage error.
    let (code, _) = show(&["/nonexistent/mrtd-show"]);
    assert_eq!(code, 2);
    // A folder without LDS files: usage error.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "x").unwrap();
    assert_eq!(show(&[dir.path().to_str().unwrap()]).0, 2);
    // A DG1 that is not a DG1: the document is defective.
    std::fs::write(
        dir.path().join("EF.DG1.bin"),
        [0x61, 0x03, 0x5F, 0x1F, 0x05],
    )
    .unwrap();
    let (code, out) = show(&[dir.path().to_str().unwrap(), "--json"]);
    assert_eq!(code, 1, "{out}");
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["files"][0]["status"], "error");
    assert!(v["files"][0]["error"].as_str().unwrap().contains("EF.DG1"));
    // --face without a face: usage error.
    let png = dir.path().join("f.png");
    assert_eq!(
        show(&[
            dir.path().to_str().unwrap(),
            "--face",
            png.to_str().unwrap()
        ])
        .0,
        2
    );
}
