//! `mrtd verify DIR --trust STORE [--at DATE] [--json]`: passive
//! authentication of a dump folder (`mrtd read --out`, or another tool's
//! file names) against a trust store, and the chip-authenticity verdict
//! from the evidence `mrtd read` recorded in `read-report.json`.
//! Exit 0 valid, 1 invalid or clone suspected, 5 unknown.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::Args;
use mrtd_lds::EfId;
use mrtd_session::{Validation, ValidationRules, validate_files_with};
use mrtd_trust::authenticity::{AuthenticityReport, AuthenticityVerdict, ChipEvidence};
use mrtd_trust::{CheckStatus, Checks, PaReport, Policy, Timestamp, TrustStore, Verdict};

use crate::CmdResult;
use crate::exit::{Exit, Failure};

/// Arguments of `mrtd verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The dump folder (EF.SOD.bin, EF.DG1.bin, … or EF_SOD.bin, SOD.bin,
    /// DG1.bin, Datagroup1.bin, EF_DG1.bin).
    #[arg(value_name = "DIR")]
    dir: PathBuf,

    /// The trust store directory (default: $MRTD_HOME/trust or
    /// ~/.local/share/mrtd/trust).
    #[arg(long, value_name = "STORE")]
    trust: Option<PathBuf>,

    /// Verify as of this UTC date or time (YYYY-MM-DD or
    /// YYYY-MM-DDTHH:MM:SSZ) instead of now.
    #[arg(long, value_name = "DATE")]
    at: Option<String>,

    /// The MRZ issuing state to bind, when DG1 was not read (e.g. D, KOR).
    #[arg(long, value_name = "CODE")]
    issuing_state: Option<String>,

    /// Accept a BER-encoded EF.SOD with a warning.
    #[arg(long)]
    allow_ber: bool,

    /// Exit 1 unless the chip proved it is genuine (Active or Chip
    /// Authentication, or PACE-CAM, with a key passive authentication
    /// verified).
    #[arg(long)]
    require_genuine: bool,

    /// Print the report as JSON (schema mrtd-validation/1).
    #[arg(long)]
    json: bool,
}

/// The exit code of a verdict.
pub fn exit_for(verdict: Verdict) -> Exit {
    match verdict {
        Verdict::Valid => Exit::Success,
        Verdict::Invalid => Exit::Invalid,
        Verdict::Unknown => Exit::Unknown,
    }
}

/// The current time (the only place the clock is read for verification).
pub fn now() -> Timestamp {
    Timestamp::from_unix(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
    )
}

/// The exit code of a validation: PA's verdict, made worse by a
/// suspected clone, or (with `require_genuine`) by any authenticity
/// verdict but `genuine`.
pub fn exit_for_validation(v: &Validation, require_genuine: bool) -> Exit {
    let pa = exit_for(v.pa.verdict);
    match v.authenticity.verdict {
        AuthenticityVerdict::CloneSuspected => Exit::Invalid,
        AuthenticityVerdict::Genuine => pa,
        _ if !require_genuine || pa == Exit::Invalid => pa,
        AuthenticityVerdict::NotSupported => Exit::Invalid,
        AuthenticityVerdict::Unknown => Exit::Unknown,
    }
}

/// The trust store a command names with `--trust` (or the default one).
pub fn open_store(given: Option<&Path>) -> Result<(PathBuf, TrustStore), Failure> {
    let store_dir = crate::trust::store_dir(given)?;
    if given.is_some() && !store_dir.join("index.json").is_file() {
        return Err(Failure::usage(format!(
            "{} is not a trust store (no index.json): create it with `mrtd trust import FILE --store {}`",
            store_dir.display(),
            store_dir.display()
        )));
    }
    let store = crate::trust::load_store(&store_dir)?;
    Ok((store_dir, store))
}

/// Runs `mrtd verify`.
pub fn run(args: &VerifyArgs) -> CmdResult {
    let at = match &args.at {
        Some(s) => Timestamp::parse(s).map_err(Failure::usage)?,
        None => now(),
    };
    let (store_dir, store) = open_store(args.trust.as_deref())?;
    let (files, evidence) = read_dump(&args.dir)?;
    if !files.contains_key(&EfId::Sod) {
        return Err(Failure::usage(format!(
            "no EF.SOD in {} (expected EF.SOD.bin, EF_SOD.bin or SOD.bin)",
            args.dir.display()
        )));
    }
    let rules = ValidationRules {
        pa: Policy {
            allow_ber: args.allow_ber,
            ..Policy::default()
        },
        issuing_state: args.issuing_state.clone(),
        ..ValidationRules::default()
    };
    let validation = validate_files_with(&files, evidence.as_ref(), &store, at, &rules);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&validation).unwrap_or_default()
        );
    } else {
        print_validation(&validation, &store_dir.display().to_string());
        if evidence.is_none() {
            println!(
                "(no read-report.json with chip evidence in {}: the chip's authentication protocols were not run)",
                args.dir.display()
            );
        }
    }
    Ok(exit_for_validation(&validation, args.require_genuine))
}

/// The files of a dump folder, by EF.
type DumpFiles = BTreeMap<EfId, Vec<u8>>;

/// The files of a dump folder and the chip evidence of its
/// `read-report.json`, if it has one.
fn read_dump(dir: &Path) -> Result<(DumpFiles, Option<ChipEvidence>), Failure> {
    let entries =
        std::fs::read_dir(dir).map_err(|e| Failure::usage(format!("{}: {e}", dir.display())))?;
    let mut files = BTreeMap::new();
    let mut evidence = None;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let read =
            || std::fs::read(&path).map_err(|e| Failure::usage(format!("{}: {e}", path.display())));
        if name == mrtd_session::dump::REPORT_FILE {
            evidence = Some(chip_evidence(&read()?).map_err(|e| {
                Failure::usage(format!(
                    "{}: not a read report with chip evidence: {e}",
                    path.display()
                ))
            })?);
        } else if let Some(ef) = mrtd_trust::ef_from_dump_name(&name) {
            files.insert(ef, read()?);
        }
    }
    Ok((files, evidence.flatten()))
}

/// The `chip_evidence` member of a read report (absent in reports written
/// before chip authentication existed).
fn chip_evidence(json: &[u8]) -> Result<Option<ChipEvidence>, serde_json::Error> {
    let mut value: serde_json::Value = serde_json::from_slice(json)?;
    match value.get_mut("chip_evidence").map(serde_json::Value::take) {
        None => Ok(None),
        Some(v) => serde_json::from_value(v).map(Some),
    }
}

/// Prints passive authentication (EF.SOD and, when read, EF.CardSecurity)
/// and chip authenticity.
pub fn print_validation(v: &Validation, store: &str) {
    print_report(&v.pa, store);
    if let Some(cs) = &v.card_security {
        println!();
        println!("EF.CardSecurity (PACE-CAM key):");
        print_checks(&cs.checks);
    }
    println!();
    print_authenticity(&v.authenticity);
}

/// The human form of the chip-authenticity report.
pub fn print_authenticity(a: &AuthenticityReport) {
    let order: Vec<&str> = a.policy.preference.iter().map(|p| p.name()).collect();
    println!("Chip authenticity (preference {}):", order.join(" > "));
    print_checks(&a.checks);
    if let Some(aa) = &a.evidence.aa {
        println!(
            "  AA challenge {} ({}), signature {} bytes",
            hex::encode_upper(&aa.challenge),
            aa.challenge_source,
            aa.signature.len()
        );
    }
    if let Some(ca) = &a.evidence.ca {
        let key_id = ca
            .key_id
            .map_or_else(String::new, |id| format!(", key id {id}"));
        println!("  CA {}{key_id}", ca.protocol_name());
    }
    println!();
    let by = a
        .decided_by
        .map_or_else(String::new, |p| format!(" (by {p})"));
    let line = match a.verdict {
        AuthenticityVerdict::Genuine => {
            format!("GENUINE{by}: the chip holds the private key the issuing state signed")
        }
        AuthenticityVerdict::CloneSuspected => {
            format!("CLONE SUSPECTED{by}: the chip does not hold the signed key")
        }
        AuthenticityVerdict::NotSupported => {
            "NOT SUPPORTED: the chip offers none of PACE-CAM, CA and AA".to_owned()
        }
        AuthenticityVerdict::Unknown => {
            format!("UNKNOWN{by}: no protocol proved a key that passive authentication verified")
        }
    };
    println!("Authenticity: {line}");
}

fn print_checks(checks: &Checks) {
    for c in &checks.0 {
        let tag = match c.status {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "FAIL",
            CheckStatus::Warn => "warn",
            CheckStatus::NotChecked => " -- ",
        };
        println!("  {tag}  {:<24} {}", c.id, c.reason);
    }
}

/// The human form of a report: every check with its status and reason.
pub fn print_report(report: &PaReport, store: &str) {
    println!(
        "Passive authentication at {} (trust store {store})",
        report.verification_time
    );
    if let Some(ds) = &report.document_signer {
        println!(
            "  Document Signer: {} ({}, from the {})",
            ds.subject,
            ds.key,
            report.document_signer_source.unwrap_or("?")
        );
    }
    for c in &report.csca_path {
        println!("  CSCA:            {} ({})", c.subject, c.key);
    }
    println!();
    print_checks(&report.checks);
    println!();
    let v = match report.verdict {
        Verdict::Valid => "VALID: the data groups read were signed by the issuing state".to_owned(),
        Verdict::Invalid => format!("INVALID: failed {}", report.failed().join(", ")),
        Verdict::Unknown => "UNKNOWN: nothing failed, but authenticity could not be established (see the checks marked --)".to_owned(),
    };
    println!("Verdict: {v}");
}
