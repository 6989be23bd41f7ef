//! `mrtd read` through REAL pcscd: the virtual passport (`mrtd sim`)
//! plugged into the vpcd virtual reader, read by `mrtd read --reader`.
//!
//! These tests need pcscd running with vsmartcard-vpcd (`tools/test.sh`
//! starts it). Without it they fail with instructions, never skip. They
//! share the one virtual reader, so they run one at a time.

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use mrtd_lds::EfId;
use serde_json::Value;

const READER: &str = "Virtual PCD 00 00";
const MRTD: &str = env!("CARGO_BIN_EXE_mrtd");

static VPCD: Mutex<()> = Mutex::new(());

/// Takes the virtual reader for one test, after checking pcscd is there.
fn vpcd() -> MutexGuard<'static, ()> {
    let guard = VPCD.lock().unwrap_or_else(|e| e.into_inner());
    match mrtd_pcsc::list_readers() {
        Ok(readers) if readers.iter().any(|r| r.name == READER) => {}
        Ok(readers) => panic!(
            "pcscd runs but has no {READER:?} (readers: {:?}): install vsmartcard-vpcd and restart pcscd, or run tools/test.sh",
            readers.iter().map(|r| &r.name).collect::<Vec<_>>()
        ),
        Err(e) => panic!(
            "pcscd is not reachable ({e}); these tests need it: run tools/test.sh, which starts pcscd"
        ),
    }
    // A card left over from a failed test must be gone first.
    mrtd_pcsc::wait_for_removal(READER, Duration::from_secs(10))
        .expect("the virtual reader is free");
    guard
}

/// A running `mrtd sim`; stopped (and its card removed) on drop.
struct Sim(Child);

impl Sim {
    fn start(args: &[&str]) -> Self {
        let child = Command::new(MRTD)
            .args(["sim", "--reader", "0", "--once"])
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("mrtd sim starts");
        mrtd_pcsc::wait_for_card(READER, Duration::from_secs(15))
            .expect("pcscd sees the virtual passport");
        Sim(child)
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        // SIGTERM: the simulator stops serving and closes the connection.
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.0.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.0.kill();
        let _ = self.0.wait();
        let _ = mrtd_pcsc::wait_for_removal(READER, Duration::from_secs(10));
    }
}

fn mrtd(args: &[&str]) -> Output {
    Command::new(MRTD).args(args).output().expect("mrtd runs")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}",
            String::from_utf8_lossy(&out.stdout)
        )
    })
}

fn mrz_line() -> String {
    let mrz = mrtd_sim::personalise::default_holder().mrz().unwrap();
    mrz.lines()[1].to_string()
}

/// The dump folder holds exactly the personalised files, byte for byte.
fn assert_dump_identical(dir: &Path) {
    let expected = mrtd_sim::personalise::default_passport().files().clone();
    for ef in [
        EfId::Com,
        EfId::Sod,
        EfId::Dg(mrtd_lds::DgNumber::new(1).unwrap()),
        EfId::Dg(mrtd_lds::DgNumber::new(2).unwrap()),
    ] {
        let got =
            std::fs::read(dir.join(ef.dump_file_name())).unwrap_or_else(|e| panic!("{ef}: {e}"));
        assert!(
            got == expected[&ef],
            "{ef} differs from the personalised file"
        );
    }
    assert!(std::fs::metadata(dir.join("EF.DG2.bin")).unwrap().len() >= 20_000);
}

#[test]
fn full_read_through_pcscd_is_byte_identical() {
    let _reader = vpcd();
    let _sim = Sim::start(&[]);
    let dir = tempfile::tempdir().unwrap();
    let out = mrtd(&[
        "read",
        "--reader",
        READER,
        "--mrz",
        &mrz_line(),
        "--out",
        dir.path().to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_dump_identical(dir.path());
    let v = json(&out);
    assert_eq!(v["status"], "ok");
    assert_eq!(v["document"]["issuing_state"], "KOR");
    assert_eq!(v["document"]["document_number_masked"], "M*******2");
    assert_eq!(v["report"]["access_control"]["protocol"], "BAC");
    // Extended length: every file in a header read plus one READ BINARY.
    for ef in ["EF.COM", "EF.SOD", "EF.DG1", "EF.DG2"] {
        assert_eq!(v["report"]["file_stats"][ef]["reads"], 2, "{ef}");
    }
}

#[test]
fn short_apdus_only_and_a_maximum_le_of_df() {
    let _reader = vpcd();
    let _sim = Sim::start(&["--short-only", "--max-le", "223"]);
    let dir = tempfile::tempdir().unwrap();
    let out = mrtd(&[
        "read",
        "--reader",
        READER,
        "--mrz",
        &mrz_line(),
        "--out",
        dir.path().to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_dump_identical(dir.path());
    let v = json(&out);
    let link = &v["report"]["link"];
    assert_eq!(link["extended_length"]["state"], "unsupported");
    assert!(link["short_le"].as_u64().unwrap() <= 0xDF);
    assert_eq!(
        v["report"]["file_stats"]["EF.DG2"]["extended_length"],
        false
    );
}

#[test]
fn wrong_mrz_exits_4_saying_access_control_was_refused() {
    let _reader = vpcd();
    let _sim = Sim::start(&[]);
    let out = mrtd(&[
        "read",
        "--reader",
        READER,
        "--doc",
        "M70000012",
        "--dob",
        "850316",
        "--expiry",
        "330914",
    ]);
    assert_eq!(out.status.code(), Some(4));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("refused access control"), "{stdout}");
}

#[test]
fn no_card_exits_3_naming_the_readers_seen() {
    let _reader = vpcd();
    let out = mrtd(&[
        "read",
        "--reader",
        READER,
        "--mrz",
        &mrz_line(),
        "--wait",
        "0",
    ]);
    assert_eq!(out.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no card")
            && stderr.contains("Virtual PCD 00 00")
            && stderr.contains("Virtual PCD 00 01"),
        "{stderr}"
    );
}

#[test]
fn unknown_reader_exits_3_naming_the_readers_seen() {
    let _reader = vpcd();
    let out = mrtd(&[
        "read",
        "--reader",
        "No Such Reader",
        "--mrz",
        &mrz_line(),
        "--json",
    ]);
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    assert_eq!(v["exit_code"], 3);
    let error = v["error"].as_str().unwrap();
    assert!(
        error.contains("No Such Reader") && error.contains("Virtual PCD 00 00"),
        "{error}"
    );
}

#[test]
fn card_removed_in_the_middle_of_dg2_exits_3_and_keeps_completed_files() {
    let _reader = vpcd();
    let _sim = Sim::start(&["--short-only", "--remove-after", "40"]);
    let dir = tempfile::tempdir().unwrap();
    let out = mrtd(&[
        "read",
        "--reader",
        READER,
        "--mrz",
        &mrz_line(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let expected = mrtd_sim::personalise::default_passport().files().clone();
    for ef in [
        EfId::Com,
        EfId::Sod,
        EfId::Dg(mrtd_lds::DgNumber::new(1).unwrap()),
    ] {
        assert_eq!(
            std::fs::read(dir.path().join(ef.dump_file_name())).unwrap(),
            expected[&ef],
            "{ef}"
        );
    }
    assert!(
        !dir.path().join("EF.DG2.bin").exists(),
        "an incomplete DG2 must not look complete"
    );
    let partial = std::fs::read(dir.path().join("EF.DG2.bin.incomplete")).unwrap();
    let dg2 = &expected[&EfId::Dg(mrtd_lds::DgNumber::new(2).unwrap())];
    assert!(!partial.is_empty() && partial.len() < dg2.len());
    assert_eq!(partial[..], dg2[..partial.len()]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("removed"), "{stdout}");
}

#[test]
fn readers_lists_the_virtual_readers_and_the_card() {
    let _reader = vpcd();
    let _sim = Sim::start(&[]);
    let out = mrtd(&["readers", "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    let readers = v.as_array().unwrap();
    let ours = readers
        .iter()
        .find(|r| r["name"] == READER)
        .expect("reader listed");
    assert_eq!(ours["card_present"], true);
    assert!(ours["atr"].as_str().unwrap().starts_with("3B"));
}

/// PACE through pcscd: a representative subset of mappings, curves,
/// groups and ciphers (the full matrix runs in-process in mrtd-session).
#[test]
fn pace_reads_through_pcscd() {
    let cases: [(&[&str], &str, &str); 5] = [
        (
            &["--pace", "ECDH-GM-AES-128", "--param-id", "13"],
            "mrz",
            "ECDH-GM-AES-128",
        ),
        (
            &["--pace", "ECDH-IM-AES-256", "--param-id", "17", "--no-bac"],
            "can",
            "ECDH-IM-AES-256",
        ),
        (
            &["--pace", "ECDH-CAM-AES-192", "--param-id", "15"],
            "mrz",
            "ECDH-CAM-AES-192",
        ),
        (
            &["--pace", "DH-GM-3DES", "--param-id", "0", "--no-bac"],
            "can",
            "DH-GM-3DES",
        ),
        (
            &[
                "--pace",
                "ECDH-GM-AES-128",
                "--param-id",
                "11",
                "--set-at-parameter-id",
                "forbidden",
            ],
            "mrz",
            "ECDH-GM-AES-128",
        ),
    ];
    for (sim_args, key, protocol) in cases {
        let _reader = vpcd();
        let _sim = Sim::start(sim_args);
        let dir = tempfile::tempdir().unwrap();
        let can = mrtd_sim::personalise::default_holder().can;
        let mrz = mrz_line();
        let key_args: [&str; 2] = if key == "can" {
            ["--can", &can]
        } else {
            ["--mrz", &mrz]
        };
        let out = mrtd(
            &[
                &[
                    "read",
                    "--reader",
                    READER,
                    "--require-pace",
                    "--out",
                    dir.path().to_str().unwrap(),
                    "--json",
                ][..],
                &key_args[..],
            ]
            .concat(),
        );
        assert_eq!(
            out.status.code(),
            Some(0),
            "{sim_args:?}: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        assert_dump_identical(dir.path());
        let v = json(&out);
        let ac = &v["report"]["access_control"];
        assert_eq!(ac["protocol"], "PACE", "{sim_args:?}");
        assert_eq!(ac["pace"]["protocol"], protocol);
        assert_eq!(ac["password"], key.to_uppercase());
    }
}

#[test]
fn wrong_can_exits_4() {
    let _reader = vpcd();
    let _sim = Sim::start(&["--pace", "ECDH-GM-AES-128", "--param-id", "13"]);
    let out = mrtd(&["read", "--reader", READER, "--can", "000000"]);
    assert_eq!(out.status.code(), Some(4));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("CAN is wrong"), "{stdout}");
}

#[test]
fn bac_only_chip_with_require_pace_exits_4() {
    let _reader = vpcd();
    let _sim = Sim::start(&[]);
    let out = mrtd(&[
        "read",
        "--reader",
        READER,
        "--mrz",
        &mrz_line(),
        "--require-pace",
    ]);
    assert_eq!(out.status.code(), Some(4));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("PACE was required") && stdout.contains("does not offer"),
        "{stdout}"
    );
}

/// Chip authenticity through pcscd: Active Authentication, Chip
/// Authentication (secure messaging restarted under the new keys across
/// the real reader stack), PACE-CAM, and a clone. The full matrix runs
/// in-process in mrtd-session.
#[test]
fn chip_authenticity_through_pcscd() {
    let store = tempfile::tempdir().unwrap();
    let store = store.path().join("store");
    let csca = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../test-vectors/pki/csca.der"
    );
    let out = mrtd(&["trust", "import", csca, "--store", store.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let cases: [(&[&str], i32, &str, &str); 5] = [
        (&["--aa", "rsa:2048:sha256"], 0, "genuine", "AA"),
        (
            &["--aa", "ecdsa:12:sha256", "--ca", "13:aes128"],
            0,
            "genuine",
            "CA",
        ),
        (&["--ca", "1:3des"], 0, "genuine", "CA"),
        (
            &["--pace", "ECDH-CAM-AES-128", "--param-id", "13"],
            0,
            "genuine",
            "PACE-CAM",
        ),
        (
            &["--aa", "rsa:1024:sha1", "--clone"],
            1,
            "clone-suspected",
            "AA",
        ),
    ];
    for (sim_args, code, verdict, by) in cases {
        let _reader = vpcd();
        let _sim = Sim::start(sim_args);
        let out = mrtd(&[
            "read",
            "--reader",
            READER,
            "--mrz",
            &mrz_line(),
            "--trust",
            store.to_str().unwrap(),
            "--challenge",
            "0011223344556677",
            "--json",
        ]);
        let v = json(&out);
        assert_eq!(out.status.code(), Some(code), "{sim_args:?}: {v:#}");
        let a = &v["validation"]["authenticity"];
        assert_eq!(a["verdict"], verdict, "{sim_args:?}: {a:#}");
        assert_eq!(a["decided_by"], by, "{sim_args:?}");
        assert_eq!(v["validation"]["pa"]["verdict"], "valid", "{sim_args:?}");
        if let Some(aa) = a["evidence"]["aa"].as_object() {
            assert_eq!(aa["challenge"], "0011223344556677");
        }
    }
}
