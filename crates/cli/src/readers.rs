//! `mrtd readers`.

use clap::Args;

use crate::CmdResult;
use crate::exit::{Exit, Failure};

/// Arguments of `mrtd readers`.
#[derive(Debug, Args)]
pub struct ReadersArgs {
    /// Print JSON.
    #[arg(long)]
    json: bool,
}

/// Lists readers and card presence.
pub fn run(args: &ReadersArgs) -> CmdResult {
    let readers = mrtd_pcsc::list_readers().map_err(|e| Failure::communication(e.to_string()));
    let readers = match readers {
        Ok(r) => r,
        Err(f) if args.json => {
            crate::summary::print_json_failure(&f);
            return Err(f);
        }
        Err(f) => return Err(f),
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&readers).unwrap_or_default()
        );
    } else {
        for r in &readers {
            let card = match &r.atr {
                Some(atr) if r.card_present => {
                    format!("card present, ATR {}", hex::encode_upper(atr))
                }
                _ if r.card_present => "card present".to_string(),
                _ => "no card".to_string(),
            };
            println!("{}: {card}", r.name);
        }
    }
    Ok(Exit::Success)
}
