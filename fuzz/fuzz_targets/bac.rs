//! Basic Access Control (Doc 9303-11 §4.3) with arbitrary chip answers:
//! `AwaitingChallenge::on_challenge`, `AwaitingAuthentication::on_authentication`,
//! and the chip side `ChipBac::mutual_authenticate` with arbitrary data.
//!
//! Invariants: no panic; a challenge is accepted exactly when it is 8 bytes
//! with `9000`; the chip accepts no cryptogram without a challenge.
//!
//! Input: challenge response (u8 length, bytes), authentication response
//! (u8 length, bytes), then the terminal's cryptogram for the chip side.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_fuzz::fixtures;
use mrtd_fuzz::input::Input;
use mrtd_iso7816::{ResponseApdu, StatusWord};
use mrtd_protocol::bac::{Bac, ChipBac, ChipBacError};

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let challenge = input.bytes_u8();
    let answer = input.bytes_u8();
    let cryptogram = input.rest();

    let mut rng = fixtures::terminal_rng();
    let (awaiting, _get_challenge) = Bac::start(fixtures::bac_key());
    if let Ok(challenge) = ResponseApdu::parse(challenge) {
        let expect_ok = challenge.sw == StatusWord::Success && challenge.data.len() == 8;
        match awaiting.on_challenge(&challenge, &mut rng) {
            Ok((awaiting, command)) => {
                assert!(expect_ok);
                assert_eq!(command.data().len(), 40);
                if let Ok(answer) = ResponseApdu::parse(answer) {
                    let _ = awaiting.on_authentication(&answer);
                }
            }
            Err(e) => {
                assert!(!expect_ok, "{e}");
                let _ = e.to_string();
            }
        }
    }

    let mut chip_rng = fixtures::chip_rng();
    let mut chip = ChipBac::new(fixtures::bac_key());
    assert_eq!(
        chip.mutual_authenticate(cryptogram, &mut chip_rng).err(),
        Some(ChipBacError::NoChallenge)
    );
    let _challenge = chip.get_challenge(&mut chip_rng);
    let _ = chip.mutual_authenticate(cryptogram, &mut chip_rng);
});
