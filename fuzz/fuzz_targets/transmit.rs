//! `transmit_apdu` (ISO/IEC 7816-4 §5.3.4: `61XX` GET RESPONSE chaining and
//! the `6CXX` retry) against a chip that cycles through fuzzer-chosen
//! answers forever: it must stop within a bounded number of exchanges and
//! never assemble more than `MAX_CHAINED_RESPONSE` bytes.
//!
//! Input: a command selector u8, then answers (u8 length, bytes) to the end.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_fuzz::input::Input;
use mrtd_iso7816::transport::MAX_CHAINED_RESPONSE;
use mrtd_iso7816::{CommandApdu, Transport, TransportError, transmit_apdu};

/// A sound `transmit_apdu` needs at most: the command, one `6CXX` retry,
/// and GET RESPONSEs that each bring at least one byte.
const BOUND: usize = 2 + MAX_CHAINED_RESPONSE + 1;

struct Cycling {
    answers: Vec<Vec<u8>>,
    sent: usize,
}

impl Transport for Cycling {
    fn transmit(&mut self, _command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.sent += 1;
        if self.sent > BOUND + 1 {
            // Ends a loop so that libFuzzer reports the assertion below
            // rather than a timeout.
            return Err(TransportError::CardRemoved);
        }
        Ok(self.answers[(self.sent - 1) % self.answers.len()].clone())
    }
    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        Err(TransportError::CardRemoved)
    }
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let command = match input.u8() % 4 {
        0 => CommandApdu::new(0x00, 0x84, 0, 0).with_ne(8),
        1 => CommandApdu::new(0x00, 0xB0, 0x81, 0).with_ne(256),
        2 => CommandApdu::new(0x0C, 0xB0, 0, 0)
            .with_data(vec![0x97, 0x01, 0xE7, 0x8E, 0x08, 1, 2, 3, 4, 5, 6, 7, 8])
            .and_then(|c| c.with_ne(65_536)),
        _ => CommandApdu::new(0x00, 0xA4, 0x04, 0x0C).with_data(vec![0xA0, 0, 0, 2, 0x47, 0x10, 1]),
    }
    .expect("valid command");
    let mut answers = Vec::new();
    while !input.is_empty() {
        answers.push(input.bytes_u8().to_vec());
    }
    if answers.is_empty() {
        return;
    }
    let mut chip = Cycling { answers, sent: 0 };
    let result = transmit_apdu(&mut chip, &command);
    assert!(
        chip.sent <= BOUND,
        "{} exchanges for one command",
        chip.sent
    );
    if let Ok(r) = result {
        assert!(r.data.len() <= MAX_CHAINED_RESPONSE);
    }
});
