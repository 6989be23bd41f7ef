//! `mrtd`: read, verify and use ICAO Doc 9303 electronic passports.
//!
//! A thin shell over the mrtd libraries: every command is a few library
//! calls an integrator can make too.

#![forbid(unsafe_code)]

mod conformance;
mod exit;
mod logging;
mod progress;
mod read;
mod readers;
mod show;
mod sim;
mod summary;
mod testpki;
mod trust;
mod verify;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::exit::{Exit, Failure};

/// Read, verify and use ICAO Doc 9303 electronic passports.
#[derive(Debug, Parser)]
#[command(name = "mrtd", version, about, long_about = None)]
struct Cli {
    /// More log output on standard error (-v info, -vv debug, -vvv trace).
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    verbose: u8,

    /// Log every APDU in full at trace level, INCLUDING session keys,
    /// MRZ-derived data and personal data. For debugging with test
    /// documents only.
    #[arg(long, global = true)]
    trace_apdu_unsafe: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read every file the access rights allow from a passport chip.
    Read(read::ReadArgs),
    /// List PC/SC readers and whether a card is present.
    Readers(readers::ReadersArgs),
    /// Serve the virtual passport through the vpcd virtual reader of pcscd.
    Sim(sim::SimArgs),
    /// Generate a test PKI (CSCA, DS, CRL, master list) or sign an EF.SOD
    /// over a dump folder. Test keys only.
    Testpki(testpki::TestPkiArgs),
    #[command(
        about = "Show every file of a dump folder: names, dates, MRZ, images, security infos"
    )]
    Show(show::ShowArgs),
    /// Manage the trust store: CSCA master lists, certificates, CRLs, PKD LDIF.
    Trust(trust::TrustArgs),
    /// Passive authentication of a dump folder against a trust store.
    Verify(verify::VerifyArgs),
    /// Run the conformance cases: worked examples, LDS specimens, the PA
    /// matrix, virtual-passport profiles, fault scenarios, transcripts.
    Conformance(conformance::ConformanceArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    logging::init(cli.verbose, cli.trace_apdu_unsafe);
    let result = match cli.command {
        Command::Read(args) => read::run(&args, cli.trace_apdu_unsafe),
        Command::Readers(args) => readers::run(&args),
        Command::Sim(args) => sim::run(&args),
        Command::Show(args) => show::run(&args),
        Command::Testpki(args) => testpki::run(&args),
        Command::Trust(args) => trust::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Conformance(args) => conformance::run(&args),
    };
    match result {
        Ok(exit) => exit.into(),
        Err(failure) => {
            eprintln!("mrtd: {}", failure.message);
            failure.exit.into()
        }
    }
}

/// Shorthand for command results.
pub(crate) type CmdResult = Result<Exit, Failure>;

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        super::Cli::command().debug_assert();
    }
}
