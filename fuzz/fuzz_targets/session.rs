//! A whole read (`mrtd_session::read_document`) against a scripted hostile
//! chip: ATR, transport capabilities and every response come from the
//! fuzz input (format in `mrtd_fuzz::chip::ScriptedSession::decode`).
//! Seeds recorded from the virtual passport replay a complete session, so
//! mutations reach secure messaging, re-authentication and every file.
//!
//! Invariants: no panic; the read ends in `Ok` or a typed error that is not
//! an internal error; once the card is gone (the script is used up) the
//! reader stops sending; reported files respect the size limit.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_fuzz::chip::{Integrity, ScriptedSession, check_read};

fuzz_target!(|data: &[u8]| {
    let mut session = ScriptedSession::decode(data);
    let _ = check_read(&mut session.chip, &session.options, Integrity::Unchecked);
    let after_removal = session
        .chip
        .transmits
        .saturating_sub(session.chip.script_len());
    assert!(
        after_removal <= 1,
        "{after_removal} commands sent to a removed card"
    );
});
