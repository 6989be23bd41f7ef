//! The summary `mrtd read` prints: human-readable or JSON.
//!
//! Neither form contains personal data beyond the masked document number
//! and the issuing state.

use std::path::{Path, PathBuf};

use mrtd_lds::EfId;
use mrtd_protocol::read::ExtendedLength;
use mrtd_session::report::SkipReason;
use mrtd_session::{ReadReport, SessionError, Validation};
use serde_json::json;

use crate::exit::{Exit, Failure};

/// What happened, for printing.
pub struct Outcome<'a> {
    /// Where the document was read.
    pub source: &'a str,
    /// The report (complete or partial).
    pub report: &'a ReadReport,
    /// The failure, if the read did not complete.
    pub failure: Option<&'a SessionError>,
    /// The dump folder, if any.
    pub out: Option<&'a Path>,
    /// The files written there.
    pub written: Option<Vec<PathBuf>>,
    /// Passive authentication and chip authenticity, with `--trust`.
    pub validation: Option<&'a Validation>,
    /// The exit code the command ends with.
    pub exit: Exit,
}

/// Issuing state and masked document number from DG1, if it was read.
fn document(report: &ReadReport) -> Option<(String, String)> {
    let dg1 = report.files.get(&EfId::Dg(mrtd_lds::DgNumber::new(1)?))?;
    let dg1 = mrtd_lds::dg1::Dg1::parse(dg1).ok()?;
    Some((
        dg1.mrz.issuing_state().to_string(),
        mask(&dg1.mrz.document_number()),
    ))
}

/// Keeps the first and the last character: enough to tell documents
/// apart at a desk, not enough to be the BAC secret.
pub fn mask(document_number: &str) -> String {
    let chars: Vec<char> = document_number.chars().collect();
    match chars.len() {
        0 => String::new(),
        1..=2 => "*".repeat(chars.len()),
        n => format!("{}{}{}", chars[0], "*".repeat(n - 2), chars[n - 1]),
    }
}

fn human_bytes(n: u64) -> String {
    if n < 10_000 {
        format!("{n} B")
    } else {
        format!("{:.1} KB", n as f64 / 1000.0)
    }
}

/// Prints the human-readable summary on standard output.
pub fn print_human(o: &Outcome<'_>, stats: bool) {
    let r = o.report;
    match (document(r), o.failure) {
        (Some((state, number)), None) => println!(
            "Read {state} document {number} from the {} in {} ms",
            o.source, r.totals.millis
        ),
        (None, None) => println!("Read the {} in {} ms", o.source, r.totals.millis),
        (_, Some(e)) => println!("Read FAILED on the {}: {e}", o.source),
    }
    if let Some(ac) = &r.access_control {
        let again = if ac.reauthentications > 0 {
            format!(", re-run {} time(s)", ac.reauthentications)
        } else {
            String::new()
        };
        match &ac.pace {
            Some(p) => {
                let id = p
                    .parameter_id
                    .map_or_else(String::new, |id| format!(", parameter id {id}"));
                println!(
                    "Access control: PACE {} ({}{id}, {}; {} secure messaging{again})",
                    p.protocol.name(),
                    p.domain,
                    ac.password,
                    ac.cipher
                );
            }
            None => println!(
                "Access control: {} ({}; {} secure messaging{again})",
                ac.protocol, ac.password, ac.cipher
            ),
        }
        if let Some(why) = &ac.fallback_from_pace {
            println!("  fell back from PACE: {why}");
        }
        for quirk in &ac.quirks {
            println!("  chip quirk: {quirk}");
        }
    }
    print_chip_authentication(r);
    for warning in &r.warnings {
        println!("  warning: {warning}");
    }
    let mut names: Vec<EfId> = r
        .file_stats
        .keys()
        .chain(r.skipped.keys())
        .copied()
        .collect();
    names.sort();
    names.dedup();
    for ef in names {
        if let Some(s) = r.file_stats.get(&ef) {
            let ext = if s.extended_length {
                ", extended length"
            } else {
                ""
            };
            if stats {
                println!(
                    "  {:<16} {:>9}  {:>3} APDUs ({} reads, {} retries), {} sent, {} received, {} ms{ext}",
                    ef.name(),
                    human_bytes(s.size as u64),
                    s.apdus,
                    s.reads,
                    s.retries,
                    human_bytes(s.bytes_sent),
                    human_bytes(s.bytes_received),
                    s.millis
                );
            } else {
                println!(
                    "  {:<16} {:>9}  {:>3} APDUs{ext}",
                    ef.name(),
                    human_bytes(s.size as u64),
                    s.apdus
                );
            }
        } else if let Some(reason) = r.skipped.get(&ef) {
            let why = match reason {
                SkipReason::NotPresent => "not present".to_string(),
                SkipReason::AccessDenied { sw } => format!("access denied ({sw})"),
                SkipReason::Failed { message } => format!("FAILED: {message}"),
            };
            println!("  {:<16} {why}", ef.name());
        }
    }
    if let Some(inc) = &r.incomplete {
        let total = inc.total.map_or_else(|| "?".to_string(), |t| t.to_string());
        println!(
            "  {:<16} INCOMPLETE: {} of {total} bytes",
            inc.ef.name(),
            inc.read
        );
    }
    println!(
        "Total: {} APDUs, {} sent, {} received, {} ms",
        r.totals.apdus,
        human_bytes(r.totals.bytes_sent),
        human_bytes(r.totals.bytes_received),
        r.totals.millis
    );
    if stats && let Some(link) = &r.link {
        let extended = match link.extended_length {
            ExtendedLength::Supported(max) => format!("up to {max} bytes"),
            ExtendedLength::Unsupported => "not used".to_string(),
            ExtendedLength::Unknown => "not probed".to_string(),
        };
        let sfi = match link.short_ef_identifiers {
            Some(true) => "yes",
            Some(false) => "no",
            None => "not tried",
        };
        println!(
            "Link: extended length {extended}, short Le {} ({:02X}), short EF identifiers {sfi}",
            link.short_le, link.short_le
        );
    }
    if let (Some(dir), Some(written)) = (o.out, &o.written) {
        let kept = if o.failure.is_some() {
            " (files completed before the failure)"
        } else {
            ""
        };
        println!("{} files written to {}{kept}", written.len(), dir.display());
    }
}

/// What the chip did to prove it is genuine (the verdict needs `--trust`).
fn print_chip_authentication(r: &ReadReport) {
    use mrtd_trust::authenticity::CaOutcome;
    let e = &r.chip_evidence;
    if let Some(cam) = &e.cam {
        println!(
            "Chip authentication: PACE-CAM on {} (chip key checked against EF.CardSecurity on validation)",
            cam.curve
        );
    }
    if let Some(ca) = &e.ca {
        let how = match &ca.outcome {
            CaOutcome::Confirmed { confirmed_by } => {
                format!("new session keys confirmed by reading {confirmed_by}")
            }
            CaOutcome::Failed { error } => format!("FAILED: {error}"),
            CaOutcome::Refused { error } => format!("refused: {error}"),
        };
        println!("Chip authentication: CA {} ({how})", ca.protocol_name());
    }
    if let Some(aa) = &e.aa {
        match &aa.refused {
            Some(sw) => println!("Active authentication: refused ({sw})"),
            None => println!(
                "Active authentication: {}-byte signature over a {} challenge",
                aa.signature.len(),
                aa.challenge_source
            ),
        }
    }
}

/// Prints the JSON summary on standard output.
pub fn print_json(o: &Outcome<'_>) {
    let (state, number) = document(o.report).unzip();
    let value = json!({
        "status": if o.failure.is_none() { "ok" } else { "error" },
        "exit_code": o.exit as u8,
        "error": o.failure.map(|e| e.to_string()),
        "source": o.source,
        "document": { "issuing_state": state, "document_number_masked": number },
        "report": o.report,
        "out_dir": o.out.map(|p| p.display().to_string()),
        "files_written": o.written.as_ref().map(|w| w.iter().map(|p| p.display().to_string()).collect::<Vec<_>>()),
        "validation": o.validation,
    });
    println!(
        "{}",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    );
}

/// Prints a failure that happened before any read, as JSON.
pub fn print_json_failure(f: &Failure) {
    let value =
        json!({ "status": "error", "exit_code": f.exit as u8, "kind": f.kind, "error": f.message });
    println!(
        "{}",
        serde_json::to_string_pretty(&value).unwrap_or_default()
    );
}
