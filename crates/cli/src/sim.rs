//! `mrtd sim`: the virtual passport behind pcscd.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use clap::Args;
use mrtd_protocol::pace::PaceProtocol;
use mrtd_protocol::pace::chip::ParameterIdPolicy;
use mrtd_sim::chip_keys::{AaKeySpec, CaKeySpec, ChipAuthenticity};
use mrtd_sim::personalise::AccessControl;
use mrtd_sim::vpcd::{self, ServeOutcome, VpcdOptions};
use mrtd_sim::{ChipConfig, personalise};

use crate::CmdResult;
use crate::exit::{Exit, Failure};

/// Arguments of `mrtd sim`.
#[derive(Debug, Args)]
pub struct SimArgs {
    /// Which vpcd reader to plug into: 0 ("Virtual PCD 00 00", port 35963)
    /// or 1 ("Virtual PCD 00 01", port 35964).
    #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=1))]
    reader: u8,

    /// Only short APDUs: extended-length commands are refused with 6700.
    #[arg(long)]
    short_only: bool,

    /// Largest Le the chip serves in a short READ BINARY (1-256).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    max_le: Option<u16>,

    /// Largest Le the chip serves in an extended READ BINARY.
    #[arg(long, value_name = "N")]
    max_extended_le: Option<usize>,

    /// Leave the reader (close the connection) when APDU N+1 arrives.
    #[arg(long, value_name = "N")]
    remove_after: Option<u64>,

    /// Serve once and exit when the card is removed or the reader closes,
    /// instead of re-inserting the card.
    #[arg(long)]
    once: bool,

    /// Offer PACE with this protocol (e.g. ECDH-GM-AES-128, DH-IM-3DES,
    /// ECDH-CAM-AES-256); EF.CardAccess announces it.
    #[arg(long, value_name = "PROTOCOL")]
    pace: Option<PaceProtocol>,

    /// The standardized domain parameter id of the PACE offer (0-2 DH,
    /// 8-18 elliptic curves; default 13, brainpoolP256r1, or 0 for DH).
    #[arg(long, value_name = "ID", requires = "pace")]
    param_id: Option<u8>,

    /// A PACE-only chip: BAC is refused.
    #[arg(long, requires = "pace")]
    no_bac: bool,

    /// How the chip treats the parameter id (tag 84) in MSE:Set AT.
    #[arg(long, value_enum, default_value_t = SetAtParameterId::Optional, requires = "pace")]
    set_at_parameter_id: SetAtParameterId,

    #[command(flatten)]
    chip: ChipAuthenticityArgs,
}

/// How the virtual passport proves it is genuine (`mrtd sim`, `mrtd read
/// --virtual`).
#[derive(Debug, Default, Args)]
pub struct ChipAuthenticityArgs {
    /// Active Authentication with this key: rsa:BITS:HASH (rsa:2048:sha256,
    /// rsa:1024:sha1) or ecdsa:PARAMETER-ID:HASH (ecdsa:12:sha256 on P-256,
    /// ecdsa:13:sha256 on brainpoolP256r1); DG15 holds the public key.
    #[arg(long, value_name = "KEY")]
    aa: Option<AaKeySpec>,

    /// Chip Authentication with this key: PARAMETER-ID:CIPHER[:KEY-ID]
    /// (13:aes128 ECDH on brainpoolP256r1, 12:3des on P-256, 0:3des DH);
    /// DG14 holds the public key.
    #[arg(long, value_name = "KEY")]
    ca: Option<CaKeySpec>,

    /// A cloned chip: the signed DG14, DG15 and EF.CardSecurity of the
    /// genuine chip, the private keys of another.
    #[arg(long = "clone")]
    cloned: bool,

    /// Carry this data group without EF.SOD covering it (e.g. 14 or 15):
    /// its key cannot be verified. Repeatable.
    #[arg(long, value_name = "N")]
    unsigned_dg: Vec<u8>,
}

impl ChipAuthenticityArgs {
    /// The personalisation these flags ask for.
    pub fn authenticity(&self) -> ChipAuthenticity {
        ChipAuthenticity {
            active_authentication: self.aa,
            chip_authentication: self.ca,
            cloned: self.cloned,
            unsigned_data_groups: self.unsigned_dg.clone(),
        }
    }

    /// Whether any flag was given.
    pub fn any(&self) -> bool {
        self.aa.is_some() || self.ca.is_some() || self.cloned || !self.unsigned_dg.is_empty()
    }
}

/// `--set-at-parameter-id`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum SetAtParameterId {
    /// Accepted present or absent.
    Optional,
    /// MSE:Set AT without it is refused.
    Required,
    /// MSE:Set AT with it is refused.
    Forbidden,
}

/// Serves until SIGINT or SIGTERM.
pub fn run(args: &SimArgs) -> CmdResult {
    let mut config = if args.short_only {
        ChipConfig::short_only()
    } else {
        ChipConfig::default()
    };
    if let Some(le) = args.max_le {
        config.max_short_le = usize::from(le);
    }
    if let Some(le) = args.max_extended_le {
        config.max_extended_le = le;
    }
    let access = match args.pace {
        Some(protocol) => {
            let default_id = if protocol.key_agreement == mrtd_protocol::pace::KeyAgreement::Dh {
                0
            } else {
                13
            };
            let mut access =
                AccessControl::pace(protocol, args.param_id.unwrap_or(default_id), !args.no_bac);
            access.parameter_id_policy = match args.set_at_parameter_id {
                SetAtParameterId::Optional => ParameterIdPolicy::Optional,
                SetAtParameterId::Required => ParameterIdPolicy::Required,
                SetAtParameterId::Forbidden => ParameterIdPolicy::Forbidden,
            };
            access
        }
        None => AccessControl::bac_only(),
    };
    let content = personalise::content_with_profile(
        &personalise::default_holder(),
        &access,
        &args.chip.authenticity(),
    )
    .map_err(|e| Failure::usage(format!("cannot personalise the virtual passport: {e}")))?;
    let mut passport = mrtd_sim::VirtualPassport::new(config, content);
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .map_err(|e| Failure::usage(format!("cannot install the signal handler: {e}")))?;
    }
    let mut options = VpcdOptions::reader(args.reader);
    options.remove_after_apdus = args.remove_after;
    eprintln!(
        "Virtual passport on {} (port {}); Ctrl-C to stop.",
        vpcd::reader_name(args.reader),
        options.addr.port()
    );
    loop {
        let outcome = vpcd::serve(&mut passport, &options, &stop)
            .map_err(|e| Failure::communication(format!("vpcd: {e}")))?;
        match outcome {
            ServeOutcome::Stopped { apdus } => {
                eprintln!("Stopped after {apdus} APDUs.");
                return Ok(Exit::Success);
            }
            ServeOutcome::CardRemoved { apdus } => {
                eprintln!("Card removed after {apdus} APDUs (fault injection).");
                if args.once {
                    return Ok(Exit::Success);
                }
                // Re-inserting would trip the same fault forever.
                options.remove_after_apdus = None;
            }
            ServeOutcome::ReaderClosed { apdus } => {
                eprintln!("The reader closed the connection after {apdus} APDUs.");
                if args.once {
                    return Ok(Exit::Success);
                }
            }
        }
    }
}
