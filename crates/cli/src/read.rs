//! `mrtd read`.

use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use mrtd_iso7816::{Transport, TransportError};
use mrtd_mrz::AccessFields;
use mrtd_pcsc::PcscTransport;
use mrtd_session::{AccessKey, ReadFailure, ReadOptions, SessionError, dump, read_document};
use mrtd_sim::{ChipConfig, InProcessTransport, VirtualPassport, personalise};
use mrtd_trust::{Policy, Timestamp};

use crate::CmdResult;
use crate::exit::{Exit, Failure};
use crate::progress::ProgressObserver;
use crate::sim::ChipAuthenticityArgs;
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

    /// Validate the document against this trust store: passive
    /// authentication and chip authenticity.
    #[arg(long, value_name = "STORE")]
    trust: Option<PathBuf>,

    /// Validate as of this UTC date or time instead of now (with --trust).
    #[arg(long, value_name = "DATE", requires = "trust")]
    at: Option<String>,

    /// The Active Authentication challenge: 8 bytes, 16 hex digits (a
    /// server's nonce). Default: random.
    #[arg(long, value_name = "HEX")]
    challenge: Option<String>,

    /// Exit 1 unless the chip proves it is genuine (Active or Chip
    /// Authentication, or PACE-CAM, with a key the trust store vouches for).
    #[arg(long, requires = "trust")]
    require_genuine: bool,

    /// Do not run Active Authentication.
    #[arg(long)]
    no_aa: bool,

    /// Do not run Chip Authentication.
    #[arg(long)]
    no_ca: bool,

    /// How the virtual passport proves it is genuine (with --virtual).
    #[command(flatten)]
    chip: ChipAuthenticityArgs,
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
    if args.chip.any() && !args.virtual_ {
        return Err(Failure::usage(
            "--aa, --ca, --clone and --unsigned-dg personalise the virtual passport: add --virtual",
        ));
    }
    let challenge = args.challenge.as_deref().map(parse_challenge).transpose()?;
    // The trust store and time are checked before the read, so that a
    // typing error does not cost a passport tap.
    let trust = match &args.trust {
        Some(dir) => {
            let at = match &args.at {
                Some(s) => Timestamp::parse(s).map_err(Failure::usage)?,
                None => crate::verify::now(),
            };
            let (dir, store) = crate::verify::open_store(Some(dir))?;
            Some((dir, store, at))
        }
        None => None,
    };
    let options = ReadOptions {
        extended_length: !args.no_extended_length,
        max_short_le: args.max_le.map(usize::from),
        probe_all_data_groups: args.probe_all,
        trace_apdu_unsafe,
        require_pace: args.require_pace,
        active_authentication: !args.no_aa,
        active_authentication_challenge: challenge,
        chip_authentication: !args.no_ca,
        ..ReadOptions::default()
    };
    let key = access_key(args)?;
    let mut rng = rand::rngs::SysRng;
    let mut rng = rand_core::UnwrapErr(&mut rng);

    let (source, result) = if args.virtual_ {
        let content = personalise::content_with_profile(
            &personalise::default_holder(),
            &personalise::default_access_control(),
            &args.chip.authenticity(),
        )
        .map_err(|e| Failure::usage(format!("cannot personalise the virtual passport: {e}")))?;
        let passport = VirtualPassport::new(ChipConfig::default(), content);
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
    // A failed read is not validated: its files are incomplete.
    let validation = match (&trust, &failure) {
        (Some((dir, store, at)), None) => {
            let v = mrtd_session::validate(&report, store, *at, &Policy::default());
            Some((dir.display().to_string(), v))
        }
        _ => None,
    };
    let exit = match (&failure, &validation) {
        (Some(e), _) => exit_for(e),
        (None, Some((_, v))) => crate::verify::exit_for_validation(v, args.require_genuine),
        (None, None) => Exit::Success,
    };
    let outcome = Outcome {
        source: &source,
        report: &report,
        failure: failure.as_ref(),
        out: args.out.as_deref(),
        written,
        validation: validation.as_ref().map(|(_, v)| v),
        exit,
    };
    if args.json {
        summary::print_json(&outcome);
    } else {
        summary::print_human(&outcome, args.stats);
        if let Some((store, v)) = &validation {
            println!();
            crate::verify::print_validation(v, store);
        }
    }
    Ok(exit)
}

/// `--challenge`: exactly 8 bytes in hex.
fn parse_challenge(hex_text: &str) -> Result<[u8; 8], Failure> {
    let bytes = hex::decode(hex_text.trim())
        .map_err(|e| Failure::usage(format!("--challenge: not hex ({e})")))?;
    bytes.try_into().map_err(|b: Vec<u8>| {
        Failure::usage(format!(
            "--challenge: Active Authentication takes 8 bytes (16 hex digits), not {}",
            b.len()
        ))
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
