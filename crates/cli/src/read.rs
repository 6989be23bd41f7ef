//! `mrtd read`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use mrtd_iso7816::{Transport, TransportError};
use mrtd_mrz::AccessFields;
use mrtd_pcsc::PcscTransport;
use mrtd_session::{AccessKey, ReadFailure, ReadOptions, SessionError, dump, read_document};
use mrtd_sim::{InProcessTransport, personalise};

use crate::CmdResult;
use crate::exit::{Exit, Failure};
use crate::progress::ProgressObserver;
use crate::summary::{self, Outcome};

/// Arguments of `mrtd read`.
#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("source").args(["reader", "virtual"]))]
pub struct ReadArgs {
    /// PC/SC reader name (exact, or a unique part of it). Default: the
    /// first reader with a card.
    #[arg(long)]
    reader: Option<String>,

    /// Read the built-in virtual passport in-process (no reader needed).
    #[arg(long = "virtual", id = "virtual")]
    virtual_: bool,

    /// The MRZ line with document number, date of birth and date of expiry
    /// (the second line of a passport), or the whole MRZ.
    #[arg(long, conflicts_with_all = ["doc", "dob", "expiry", "can"])]
    mrz: Option<String>,

    /// The card access number printed on the data page (6 digits; PACE only).
    #[arg(long, conflicts_with_all = ["doc", "dob", "expiry"])]
    can: Option<String>,

    /// Refuse to fall back to BAC: fail (exit 4) unless PACE runs.
    #[arg(long)]
    require_pace: bool,

    /// Document number (with --dob and --expiry).
    #[arg(long, requires_all = ["dob", "expiry"])]
    doc: Option<String>,

    /// Date of birth, YYMMDD.
    #[arg(long, requires_all = ["doc", "expiry"])]
    dob: Option<String>,

    /// Date of expiry, YYMMDD.
    #[arg(long, requires_all = ["doc", "dob"])]
    expiry: Option<String>,

    /// Write the files into this folder (EF.COM.bin, EF.SOD.bin, EF.DG1.bin, …).
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    /// Print a machine-readable summary on standard output.
    #[arg(long)]
    json: bool,

    /// Show APDU and byte counts per file.
    #[arg(long)]
    stats: bool,

    /// Seconds to wait for a card to be placed on the reader.
    #[arg(long, value_name = "SECONDS", default_value_t = 15)]
    wait: u64,

    /// Never use extended-length APDUs.
    #[arg(long)]
    no_extended_length: bool,

    /// Cap the Le of short READ BINARY commands (1-256).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    max_le: Option<u16>,

    /// Try all data groups, not only those EF.COM and EF.SOD list.
    #[arg(long)]
    probe_all: bool,
}

/// Runs `mrtd read`.
pub fn run(args: &ReadArgs, trace_apdu_unsafe: bool) -> CmdResult {
    let result = run_read(args, trace_apdu_unsafe);
    if args.json
        && let Err(failure) = &result
    {
        summary::print_json_failure(failure);
    }
    result
}

fn run_read(args: &ReadArgs, trace_apdu_unsafe: bool) -> CmdResult {
    let options = ReadOptions {
        extended_length: !args.no_extended_length,
        max_short_le: args.max_le.map(usize::from),
        probe_all_data_groups: args.probe_all,
        trace_apdu_unsafe,
        require_pace: args.require_pace,
        ..ReadOptions::default()
    };
    let key = access_key(args)?;
    let mut rng = rand::rngs::SysRng;
    let mut rng = rand_core::UnwrapErr(&mut rng);

    let (source, result) = if args.virtual_ {
        let passport = personalise::default_passport();
        let key = match key {
            Some(k) => k,
            None => {
                if !args.json {
                    eprintln!("Using the MRZ of the built-in virtual passport.");
                }
                AccessKey::Mrz(personalise::default_holder().access_fields())
            }
        };
        let mut transport = InProcessTransport::new(passport);
        let mut observer = ProgressObserver::new(!args.json);
        (
            "virtual passport (in-process)".to_string(),
            read_document(&mut transport, &key, &options, &mut rng, &mut observer),
        )
    } else {
        let key = key.ok_or_else(|| {
            Failure::usage("give the access key: --mrz LINE, or --doc, --dob and --expiry")
        })?;
        let mut transport = connect(args)?;
        let name = transport.reader().to_string();
        let mut observer = ProgressObserver::new(!args.json);
        (
            name,
            read_document(&mut transport, &key, &options, &mut rng, &mut observer),
        )
    };

    let (report, failure) = match result {
        Ok(report) => (report, None),
        Err(ReadFailure { error, report }) => (*report, Some(error)),
    };
    let written = match &args.out {
        Some(dir) => Some(dump::write_dump(dir, &report).map_err(|e| {
            Failure::usage(format!(
                "cannot write the dump folder {}: {e}",
                dir.display()
            ))
        })?),
        None => None,
    };
    let outcome = Outcome {
        source: &source,
        report: &report,
        failure: failure.as_ref(),
        out: args.out.as_deref(),
        written,
    };
    if args.json {
        summary::print_json(&outcome);
    } else {
        summary::print_human(&outcome, args.stats);
    }
    Ok(match &failure {
        None => Exit::Success,
        Some(e) => exit_for(e),
    })
}

/// The exit code for a failed read.
pub fn exit_for(error: &SessionError) -> Exit {
    if error.is_access_denied() {
        Exit::AccessDenied
    } else {
        Exit::Communication
    }
}

fn access_key(args: &ReadArgs) -> Result<Option<AccessKey>, Failure> {
    if let Some(can) = &args.can {
        return AccessKey::can(can)
            .map(Some)
            .map_err(|e| Failure::usage(format!("invalid access key: {e}")));
    }
    let fields = match (&args.mrz, &args.doc, &args.dob, &args.expiry) {
        (Some(mrz), ..) => AccessFields::from_mrz_text(mrz),
        (None, Some(doc), Some(dob), Some(expiry)) => AccessFields::new(doc, dob, expiry),
        _ => return Ok(None),
    };
    fields
        .map(|f| Some(AccessKey::Mrz(f)))
        .map_err(|e| Failure::usage(format!("invalid access key: {e}")))
}

fn connect(args: &ReadArgs) -> Result<PcscTransport, Failure> {
    let wait = Duration::from_secs(args.wait);
    let info = match mrtd_pcsc::select_reader(args.reader.as_deref()) {
        Ok(info) if info.card_present => info,
        Ok(info) if !wait.is_zero() => {
            if !args.json {
                eprintln!("Place the passport on {} …", info.name);
            }
            mrtd_pcsc::wait_for_card(&info.name, wait).map_err(transport_failure)?
        }
        Ok(info) => {
            return Err(transport_failure(TransportError::NoCard {
                reader: info.name,
            }));
        }
        Err(TransportError::NoCard { .. }) if args.reader.is_none() && !wait.is_zero() => {
            if !args.json {
                eprintln!("Place the passport on a reader …");
            }
            mrtd_pcsc::wait_for_any_card(wait).map_err(transport_failure)?
        }
        Err(e) => return Err(transport_failure(e)),
    };
    let transport = PcscTransport::connect(&info.name).map_err(transport_failure)?;
    if transport.atr().is_none() {
        return Err(Failure::communication(format!(
            "no ATR from the card in {}",
            info.name
        )));
    }
    Ok(transport)
}

fn transport_failure(e: TransportError) -> Failure {
    let message = match &e {
        TransportError::NoCard { reader } => {
            let seen = mrtd_pcsc::list_readers()
                .map(|r| r.into_iter().map(|r| r.name).collect::<Vec<_>>().join(", "))
                .unwrap_or_default();
            format!("no card in reader {reader:?} (readers seen: {seen})")
        }
        other => other.to_string(),
    };
    Failure::communication(message)
}
