//! `mrtd verify DIR --trust STORE [--at DATE] [--json]`: passive
//! authentication of a dump folder (`mrtd read --out`, or another tool's
//! file names) against a trust store. Exit 0 valid, 1 invalid, 5 unknown.

use std::collections::BTreeMap;
use std::path::PathBuf;

use clap::Args;
use mrtd_lds::{DgNumber, EfId};
use mrtd_trust::{
    CheckStatus, PaInputs, PaReport, Policy, Timestamp, Verdict, passive_authentication,
};

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

    /// Print the report as JSON (schema mrtd-pa/1).
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

/// Runs `mrtd verify`.
pub fn run(args: &VerifyArgs) -> CmdResult {
    let at = match &args.at {
        Some(s) => Timestamp::parse(s).map_err(Failure::usage)?,
        None => now(),
    };
    let store_dir = crate::trust::store_dir(args.trust.as_deref())?;
    if args.trust.is_some() && !store_dir.join("index.json").is_file() {
        return Err(Failure::usage(format!(
            "{} is not a trust store (no index.json): create it with `mrtd trust import FILE --store {}`",
            store_dir.display(),
            store_dir.display()
        )));
    }
    let store = crate::trust::load_store(&store_dir)?;
    let entries = std::fs::read_dir(&args.dir)
        .map_err(|e| Failure::usage(format!("{}: {e}", args.dir.display())))?;
    let mut sod = None;
    let mut dgs: BTreeMap<DgNumber, Vec<u8>> = BTreeMap::new();
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if !path.is_file() {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(ef) = mrtd_trust::ef_from_dump_name(&name) else {
            continue;
        };
        let bytes =
            std::fs::read(&path).map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
        match ef {
            EfId::Sod => sod = Some(bytes),
            EfId::Dg(n) => {
                dgs.insert(n, bytes);
            }
            _ => {}
        }
    }
    let sod = sod.ok_or_else(|| {
        Failure::usage(format!(
            "no EF.SOD in {} (expected EF.SOD.bin, EF_SOD.bin or SOD.bin)",
            args.dir.display()
        ))
    })?;
    let policy = Policy {
        allow_ber: args.allow_ber,
        ..Policy::default()
    };
    let report = passive_authentication(&PaInputs {
        sod: &sod,
        data_groups: &dgs,
        issuing_state: args.issuing_state.as_deref(),
        store: &store,
        at,
        policy: &policy,
    });
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        print_report(&report, &store_dir.display().to_string());
    }
    Ok(exit_for(report.verdict))
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
    for c in &report.checks.0 {
        let tag = match c.status {
            CheckStatus::Pass => "pass",
            CheckStatus::Fail => "FAIL",
            CheckStatus::Warn => "warn",
            CheckStatus::NotChecked => " -- ",
        };
        println!("  {tag}  {:<24} {}", c.id, c.reason);
    }
    println!();
    let v = match report.verdict {
        Verdict::Valid => "VALID: the data groups read were signed by the issuing state".to_owned(),
        Verdict::Invalid => format!("INVALID: failed {}", report.failed().join(", ")),
        Verdict::Unknown => "UNKNOWN: nothing failed, but authenticity could not be established (see the checks marked --)".to_owned(),
    };
    println!("Verdict: {v}");
}
