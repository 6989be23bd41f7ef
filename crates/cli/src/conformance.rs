//! `mrtd conformance`: runs every executable conformance case (worked
//! examples, LDS specimens, the passive-authentication matrix, virtual
//! passport profiles, fault scenarios, replayed transcripts) and says which
//! failed. Exit 0 when none failed, 1 otherwise.

use std::path::PathBuf;

use clap::Args;
use mrtd_conformance::{Context, Outcome, RunReport};

use crate::CmdResult;
use crate::exit::{Exit, Failure};

/// Arguments of `mrtd conformance`.
#[derive(Debug, Args)]
pub struct ConformanceArgs {
    /// Run only cases whose id matches (`*` wildcards; without `*`, ids
    /// containing the text). Repeatable: a case runs if any matches.
    #[arg(long, value_name = "PATTERN")]
    filter: Vec<String>,

    /// List the selected cases (id, source, expectation) without running them.
    #[arg(long)]
    list: bool,

    /// Print the results as JSON (every case with its outcome).
    #[arg(long)]
    json: bool,

    /// Also write the results as JUnit XML to this file.
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,

    /// Read the virtual passports through pcscd and the vpcd reader instead
    /// of in-process.
    #[arg(long)]
    pcsc: bool,

    /// The repository checkout holding test-vectors/ (default: the one
    /// this binary was built from).
    #[arg(long, value_name = "DIR")]
    repo: Option<PathBuf>,

    /// The public corpus (default: ../shared beside the repository).
    #[arg(long, value_name = "DIR")]
    shared: Option<PathBuf>,

    /// Print every case, not only the failures.
    #[arg(long)]
    all: bool,

    /// Cases run at once (default: the number of CPUs; 1 with --pcsc,
    /// which has one virtual reader per pass).
    #[arg(long, value_name = "N")]
    jobs: Option<usize>,
}

/// Runs `mrtd conformance`.
pub fn run(args: &ConformanceArgs) -> CmdResult {
    let mut ctx = Context::from_checkout();
    if let Some(repo) = &args.repo {
        if !repo.join("test-vectors").is_dir() {
            return Err(Failure::usage(format!(
                "{} has no test-vectors/ directory",
                repo.display()
            )));
        }
        ctx.repo_dir = repo.clone();
    }
    if let Some(shared) = &args.shared {
        if !shared.join("test-vectors").is_dir() {
            return Err(Failure::usage(format!(
                "{} has no test-vectors/ directory",
                shared.display()
            )));
        }
        ctx.shared_dir = Some(shared.clone());
    }
    ctx.pcsc = args.pcsc;
    let cases = mrtd_conformance::all_cases(&ctx);
    if args.list {
        let selected = cases.iter().filter(|c| {
            args.filter.is_empty()
                || args
                    .filter
                    .iter()
                    .any(|f| mrtd_conformance::runner::matches(f, &c.id))
        });
        for c in selected {
            println!("{}\t{}\t{}", c.id, c.source, c.expectation);
        }
        return Ok(Exit::Success);
    }
    let jobs = args.jobs.unwrap_or(if args.pcsc {
        1
    } else {
        std::thread::available_parallelism().map_or(1, usize::from)
    });
    let report = mrtd_conformance::run(cases, &args.filter, &ctx, jobs);
    if let Some(path) = &args.junit {
        std::fs::write(
            path,
            mrtd_conformance::junit::to_junit(&report, "mrtd conformance"),
        )
        .map_err(|e| Failure::usage(format!("{}: {e}", path.display())))?;
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).unwrap_or_default()
        );
    } else {
        print_human(&report, args.all);
    }
    Ok(if report.failed == 0 {
        Exit::Success
    } else {
        Exit::Invalid
    })
}

fn print_human(report: &RunReport, all: bool) {
    for r in &report.results {
        match &r.outcome {
            Outcome::Fail { reason } => {
                println!("FAIL {}: {reason} (source: {})", r.case.id, r.case.source);
            }
            Outcome::Skip { reason } if all => println!("skip {}: {reason}", r.case.id),
            Outcome::Pass { detail } if all => {
                if detail.is_empty() {
                    println!("pass {}", r.case.id);
                } else {
                    println!("pass {}: {detail}", r.case.id);
                }
            }
            _ => {}
        }
    }
    println!("{}", report.summary());
}
