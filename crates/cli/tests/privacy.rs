//! Logs never carry the MRZ, keys, the SSC or file content — at any log
//! level — unless `--trace-apdu-unsafe` is given. The second test proves
//! the search would find them if they were there.

use std::process::Command;

use mrtd_lds::{DgNumber, EfId};
use mrtd_protocol::BacKey;

const MRTD: &str = env!("CARGO_BIN_EXE_mrtd");

/// Everything `mrtd` printed (stdout and stderr) for a trace-level read of
/// the virtual passport.
fn run_read(extra: &[&str]) -> String {
    let out = Command::new(MRTD)
        .args([
            "-vvv",
            "read",
            "--virtual",
            "--doc",
            "M70000012",
            "--dob",
            "850315",
            "--expiry",
            "330914",
            "--stats",
        ])
        .args(extra)
        .env("RUST_LOG", "trace")
        .output()
        .expect("mrtd runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut all = String::from_utf8_lossy(&out.stdout).into_owned();
    all.push_str(&String::from_utf8_lossy(&out.stderr));
    all
}

/// Strings that must never be logged, in the forms they could take.
fn secrets() -> Vec<String> {
    let holder = mrtd_sim::personalise::default_holder();
    let fields = holder.access_fields();
    let key = BacKey::from_mrz_information(fields.mrz_information().as_bytes());
    let files = mrtd_sim::personalise::default_passport().files().clone();
    let dg1 = &files[&EfId::Dg(DgNumber::new(1).unwrap())];
    let dg2 = &files[&EfId::Dg(DgNumber::new(2).unwrap())];
    let mut s = vec![
        "M70000012".to_string(),
        "850315".to_string(),
        "330914".to_string(),
        "GILDONG".to_string(),
        fields.mrz_information().to_string(),
        holder.mrz().unwrap().lines()[1].to_string(),
        hex::encode_upper(key.k_enc().as_bytes()),
        hex::encode_upper(key.k_mac().as_bytes()),
        hex::encode_upper(&dg1[5..30]),
    ];
    // Windows of the face image, anywhere in DG2.
    for start in (0..dg2.len() - 16).step_by(997) {
        s.push(hex::encode_upper(&dg2[start..start + 16]));
    }
    let lower: Vec<String> = s.iter().map(|x| x.to_lowercase()).collect();
    s.extend(lower);
    s
}

#[test]
fn trace_level_logs_contain_no_personal_data_or_keys() {
    let output = run_read(&[]);
    assert!(
        output.contains("EF.DG2"),
        "the read was logged at all:\n{output}"
    );
    assert!(
        output.lines().filter(|l| l.contains("mrtd::apdu")).count() > 20,
        "APDU logging is on:\n{output}"
    );
    for secret in secrets() {
        assert!(!output.contains(&secret), "log output contains {secret:?}");
    }
}

#[test]
fn the_unsafe_switch_does_log_apdus_so_the_search_above_is_meaningful() {
    let output = run_read(&["--trace-apdu-unsafe"]);
    let passport = mrtd_sim::personalise::default_passport();
    let dg1 = &passport.files()[&EfId::Dg(DgNumber::new(1).unwrap())];
    assert!(output.contains("APDU content tracing is ON"));
    assert!(
        output.contains(&hex::encode_upper(&dg1[8..48])),
        "plain DG1 bytes appear with the unsafe switch"
    );
}
