//! A whole read of the real virtual passport through a man in the middle
//! who corrupts fuzzer-chosen responses: flipped bytes, truncation, appended
//! garbage, bare or replaced status words, huge `DO'87'` lengths, reordered
//! data objects, empty frames, replays, arbitrary replacements (format in
//! `mrtd_fuzz::chip::CorruptedSession::decode`).
//!
//! Invariants: no panic; the read ends within a bounded number of APDUs in
//! `Ok` or a typed, non-internal error; and — the important one — every
//! application file reported, complete or not, is byte-identical to (a
//! prefix of) what the chip was personalised with: without the session
//! keys the man in the middle cannot make the reader accept other content.
//! With no corruption at all the read must succeed.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_fuzz::chip::{CorruptedSession, Integrity, check_read};

/// Far above an honest read (about 15 APDUs with extended length, a few
/// hundred for a short-APDU-only chip with re-authentications).
const APDU_BOUND: usize = 2_000;

/// Whether an honest chip with this behaviour must be read without error:
/// a chip whose ATR announces extended length it does not support costs
/// one re-authentication, which the options may not allow.
fn honest_read_must_succeed(session: &CorruptedSession) -> bool {
    let c = &session.config;
    c.announce_extended_length == c.extended_length || session.options.max_reauthentications > 0
}

fuzz_target!(|data: &[u8]| {
    let session = CorruptedSession::decode(data);
    let mut chip = session.chip(APDU_BOUND * 2);
    let result = check_read(&mut chip, &session.options, Integrity::Checked);
    assert!(
        chip.transmits <= APDU_BOUND,
        "{} APDUs: the read does not stop",
        chip.transmits
    );
    if session.plan.is_empty() && honest_read_must_succeed(&session) {
        assert!(
            result.is_ok(),
            "an honest chip was not read: {}",
            result.err().map(|e| e.to_string()).unwrap_or_default()
        );
    }
});
