//! Logging set-up: `tracing` to standard error.
//!
//! Levels: warnings by default, `-v` info, `-vv` debug, `-vvv` trace;
//! `RUST_LOG` overrides. APDU contents are only ever logged under the
//! target `mrtd::apdu::unsafe`, which stays off unless
//! `--trace-apdu-unsafe` is given.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Installs the subscriber.
pub fn init(verbosity: u8, trace_apdu_unsafe: bool) {
    let level = match verbosity {
        0 => "warn",
        1 => "info",
        2 => "debug",
        _ => "trace",
    };
    let mut filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(level));
    // Whatever RUST_LOG says, APDU contents need the explicit switch.
    let unsafe_directive = if trace_apdu_unsafe {
        "mrtd::apdu::unsafe=trace"
    } else {
        "mrtd::apdu::unsafe=off"
    };
    if let Ok(directive) = unsafe_directive.parse() {
        filter = filter.add_directive(directive);
    }
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_target(true)
        .try_init();
}
