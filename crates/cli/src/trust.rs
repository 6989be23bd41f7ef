//! `mrtd trust import|list|show`: the trust store directory (CSCA master
//! lists, CSCA and link certificates, DSCs, CRLs, PKD LDIF files).
//!
//! The store logic is `mrtd-trust` (pure); reading and writing the
//! directory is `mrtd-truststore`. Default directory: `$MRTD_HOME/trust`,
//! else `~/.local/share/mrtd/trust`.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use mrtd_trust::{CertificateInfo, ImportOptions, ImportOutcome, RustCryptoVerifier, TrustStore};
use serde_json::json;

use crate::CmdResult;
use crate::exit::{Exit, Failure};

/// Arguments of `mrtd trust`.
#[derive(Debug, Args)]
pub struct TrustArgs {
    #[command(subcommand)]
    command: TrustCommand,
}

#[derive(Debug, Subcommand)]
enum TrustCommand {
    /// Import CSCA master lists, CSCA/link/DS certificates (DER or PEM),
    /// CRLs and ICAO PKD LDIF files into the store.
    Import(ImportArgs),
    /// List the certificates, CRLs and lists in the store.
    List(ListArgs),
    /// Show one certificate or CRL by its id (a unique prefix of its
    /// SHA-256 fingerprint).
    Show(ShowArgs),
}

/// Where the store is.
#[derive(Debug, Args)]
pub struct StoreArg {
    /// The trust store directory (default: $MRTD_HOME/trust or
    /// ~/.local/share/mrtd/trust).
    #[arg(long, value_name = "DIR")]
    store: Option<PathBuf>,
}

impl StoreArg {
    fn dir(&self) -> Result<PathBuf, Failure> {
        store_dir(self.store.as_deref())
    }
}

/// The store directory given, or the default one.
pub fn store_dir(given: Option<&Path>) -> Result<PathBuf, Failure> {
    given
        .map(Path::to_path_buf)
        .or_else(mrtd_truststore::default_dir)
        .ok_or_else(|| {
            Failure::usage("no trust store directory: give --store DIR (or set MRTD_HOME)")
        })
}

/// Loads a store directory.
pub fn load_store(dir: &Path) -> Result<TrustStore, Failure> {
    mrtd_truststore::load(dir).map_err(|e| Failure::usage(format!("trust store: {e}")))
}

#[derive(Debug, Args)]
struct ImportArgs {
    /// Files to import.
    #[arg(required = true, value_name = "FILE")]
    files: Vec<PathBuf>,
    #[command(flatten)]
    store: StoreArg,
    /// A certificate that must have issued a master list's signer (e.g.
    /// the publishing state's CSCA); may be repeated.
    #[arg(long, value_name = "CERT")]
    root: Vec<PathBuf>,
    /// Print the import reports as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct ListArgs {
    #[command(flatten)]
    store: StoreArg,
    /// Only this country (ISO 3166 alpha-2, e.g. DE, or an MRZ code, e.g. D, KOR).
    #[arg(long, value_name = "XX")]
    country: Option<String>,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct ShowArgs {
    /// The id (at least 6 hex digits of the fingerprint).
    id: String,
    #[command(flatten)]
    store: StoreArg,
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `mrtd trust`.
pub fn run(args: &TrustArgs) -> CmdResult {
    match &args.command {
        TrustCommand::Import(a) => import(a),
        TrustCommand::List(a) => list(a),
        TrustCommand::Show(a) => show(a),
    }
}

fn import(args: &ImportArgs) -> CmdResult {
    let dir = args.store.dir()?;
    let mut store = load_store(&dir)?;
    let mut roots = Vec::new();
    for r in &args.root {
        let bytes =
            std::fs::read(r).map_err(|e| Failure::usage(format!("{}: {e}", r.display())))?;
        roots.push(
            CertificateInfo::from_der_or_pem(&bytes)
                .map_err(|e| Failure::usage(format!("{}: {e}", r.display())))?,
        );
    }
    let options = ImportOptions { roots };
    let mut reports = Vec::new();
    let mut rejected = 0;
    for f in &args.files {
        let bytes =
            std::fs::read(f).map_err(|e| Failure::usage(format!("{}: {e}", f.display())))?;
        let name = f.file_name().map_or_else(
            || f.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        let report = store.import_with(&bytes, &name, &options, &RustCryptoVerifier);
        rejected += report.rejected();
        if !args.json {
            println!(
                "{}: {} — {} imported, {} already present, {} not imported",
                f.display(),
                report.format,
                report.imported(),
                report.merged(),
                report.not_imported()
            );
            for n in &report.notes {
                println!("  {n}");
            }
            for i in &report.items {
                match &i.outcome {
                    ImportOutcome::Skipped { reason } => {
                        println!("  skipped {} {}: {reason}", i.kind, i.description)
                    }
                    ImportOutcome::Rejected { reason } => {
                        println!("  REJECTED {} {}: {reason}", i.kind, i.description)
                    }
                    ImportOutcome::Imported
                        if i.kind != "csca" && i.kind != "link" || report.items.len() <= 10 =>
                    {
                        let notes = if i.notes.is_empty() {
                            String::new()
                        } else {
                            format!(" ({})", i.notes.join("; "))
                        };
                        println!("  + {} {}{notes}", i.kind, i.description);
                    }
                    _ => {}
                }
            }
        }
        reports.push(report);
    }
    mrtd_truststore::save(&dir, &store).map_err(|e| Failure::usage(format!("trust store: {e}")))?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({ "store": dir, "reports": reports }))
                .unwrap_or_default()
        );
    } else {
        println!(
            "store {}: {} certificates ({} trust anchors), {} CRLs",
            dir.display(),
            store.certificates().count(),
            store.anchor_count(),
            store.crls().count()
        );
    }
    Ok(if rejected > 0 {
        Exit::Usage
    } else {
        Exit::Success
    })
}

/// `YYYY-MM-DD` of a time.
fn day(t: mrtd_trust::Timestamp) -> String {
    t.to_string().chars().take(10).collect()
}

fn country_filter(c: &str) -> String {
    match mrtd_trust::country::icao_to_iso(c) {
        mrtd_trust::country::IssuerCountry::Iso(iso) if c.len() != 2 => iso.to_owned(),
        _ => c.to_ascii_uppercase(),
    }
}

fn list(args: &ListArgs) -> CmdResult {
    let dir = args.store.dir()?;
    let store = load_store(&dir)?;
    let country = args.country.as_deref().map(country_filter);
    let keep = |c: Option<&str>| country.as_deref().is_none_or(|want| c == Some(want));
    let certs: Vec<_> = store
        .certificates()
        .filter(|c| keep(c.cert.subject.country()))
        .map(mrtd_trust::StoredCertificate::listing)
        .collect();
    let crls: Vec<_> = store
        .crls()
        .filter(|c| keep(c.crl.issuer.country()))
        .map(|c| {
            json!({
                "id": c.crl.id(),
                "issuer": c.crl.issuer.to_string(),
                "this_update": c.crl.this_update,
                "next_update": c.crl.next_update,
                "revoked": c.crl.revoked.len(),
                "signature": c.status,
                "sources": c.sources,
            })
        })
        .collect();
    let lists: Vec<_> = store
        .lists()
        .filter(|l| keep(l.country.as_deref()))
        .collect();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "store": dir,
                "certificates": certs,
                "crls": crls,
                "lists": lists,
            }))
            .unwrap_or_default()
        );
        return Ok(Exit::Success);
    }
    println!("store {}", dir.display());
    for c in &certs {
        println!(
            "{}  {:<18} {:<2}  {} .. {}  {}",
            &c.summary.id[..16],
            c.role.to_string(),
            c.summary.country.as_deref().unwrap_or("--"),
            day(c.summary.not_before),
            day(c.summary.not_after),
            c.summary.subject
        );
    }
    for c in store.crls().filter(|c| keep(c.crl.issuer.country())) {
        println!(
            "{}  {:<18} {:<2}  {} .. {}  {} ({} revoked)",
            &c.crl.id()[..16],
            "crl",
            c.crl.issuer.country().unwrap_or("--"),
            day(c.crl.this_update),
            c.crl.next_update.map_or_else(|| "----------".into(), day),
            c.crl.issuer,
            c.crl.revoked.len()
        );
    }
    for l in &lists {
        println!(
            "list {} from {}: {} entries; {}",
            l.id.get(..16).unwrap_or(&l.id),
            l.source,
            l.entries,
            l.verification
        );
    }
    println!(
        "{} certificates, {} CRLs, {} lists",
        certs.len(),
        crls.len(),
        lists.len()
    );
    Ok(Exit::Success)
}

fn show(args: &ShowArgs) -> CmdResult {
    if args.id.len() < 6 || !args.id.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(Failure::usage(
            "the id must be at least 6 hex digits of a fingerprint (see `mrtd trust list`)",
        ));
    }
    let dir = args.store.dir()?;
    let store = load_store(&dir)?;
    let (certs, crls) = store.find_id(&args.id);
    let value = match (certs.as_slice(), crls.as_slice()) {
        ([c], []) => {
            let cert = &c.cert;
            json!({
                "type": "certificate",
                "role": c.role,
                "summary": cert.summary(),
                "sources": c.sources,
                "profile": cert.profile,
                "version": u32::from(cert.version) + 1,
                "key_usage": cert.key_usage.map(|(k, crit)| json!({"usages": k.to_string(), "critical": crit})),
                "basic_constraints": cert.basic_constraints,
                "extended_key_usage": cert.ext_key_usage.as_ref().map(|v| v.iter().map(ToString::to_string).collect::<Vec<_>>()),
                "document_types": cert.document_types,
                "private_key_usage_period": cert.private_key_usage_period,
                "unknown_critical_extensions": cert.unknown_critical_extensions.iter().map(ToString::to_string).collect::<Vec<_>>(),
            })
        }
        ([], [c]) => json!({
            "type": "crl",
            "id": c.crl.id(),
            "issuer": c.crl.issuer.to_string(),
            "this_update": c.crl.this_update,
            "next_update": c.crl.next_update,
            "crl_number": c.crl.crl_number,
            "signature": c.status,
            "revoked": c.crl.revoked,
            "sources": c.sources,
        }),
        ([], []) => {
            return Err(Failure::usage(format!(
                "no certificate or CRL with id {} in {}",
                args.id,
                dir.display()
            )));
        }
        _ => {
            return Err(Failure::usage(format!(
                "id {} is ambiguous ({} matches): give more digits",
                args.id,
                certs.len() + crls.len()
            )));
        }
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
    } else {
        print_value(&value, 0);
    }
    Ok(Exit::Success)
}

fn print_value(v: &serde_json::Value, depth: usize) {
    let pad = "  ".repeat(depth);
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                match v {
                    serde_json::Value::Object(_) | serde_json::Value::Array(_) if !is_flat(v) => {
                        println!("{pad}{k}:");
                        print_value(v, depth + 1);
                    }
                    _ => println!("{pad}{k}: {}", flat(v)),
                }
            }
        }
        serde_json::Value::Array(a) => {
            for v in a {
                if is_flat(v) {
                    println!("{pad}- {}", flat(v));
                } else {
                    println!("{pad}-");
                    print_value(v, depth + 1);
                }
            }
        }
        _ => println!("{pad}{}", flat(v)),
    }
}

fn is_flat(v: &serde_json::Value) -> bool {
    match v {
        serde_json::Value::Array(a) => a.iter().all(|x| !x.is_object() && !x.is_array()),
        serde_json::Value::Object(_) => false,
        _ => true,
    }
}

fn flat(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "-".into(),
        serde_json::Value::Array(a) => a.iter().map(flat).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}
