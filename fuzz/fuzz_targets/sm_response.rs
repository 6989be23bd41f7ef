//! Secure messaging (Doc 9303-11 §9.8.6) with a fixed 3DES session: the
//! input as a protected response, verified directly with
//! `codec::unprotect_response` and through `SecureChannel` /
//! `AwaitingResponse`, and as a protected command for the chip side
//! (`codec::unprotect_command`).
//!
//! Invariants: no panic; both terminal paths agree; and a response is
//! accepted only if its MACed part and MAC are exactly what the key holder
//! produces for that plaintext at that SSC (so an accepted input was MACed
//! with the key — which the fuzzer does not have; seeds made with it are
//! accepted).

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_fuzz::fixtures;
use mrtd_iso7816::tlv::{Tag, TlvIter};
use mrtd_iso7816::{CommandApdu, ResponseApdu};
use mrtd_protocol::sm::SecureChannel;
use mrtd_protocol::sm::codec::{protect_response, unprotect_command, unprotect_response};

/// The bytes before `DO'8E'` and the MAC value (the input was accepted,
/// so it parses and has a `DO'8E'`).
fn split_at_mac(data: &[u8]) -> (&[u8], &[u8]) {
    let (offset, mac) = TlvIter::new(data)
        .map(|r| r.expect("accepted data parses"))
        .find(|(_, t)| t.tag == Tag(0x8E))
        .expect("accepted data has a MAC");
    (&data[..offset], mac.value)
}

fuzz_target!(|data: &[u8]| {
    let (cipher, ssc) = fixtures::sm_session();
    if let Ok(response) = ResponseApdu::parse(data) {
        let direct = unprotect_response(&cipher, &mut ssc.clone(), &response);

        let channel = SecureChannel::new(Box::new(cipher.clone()), fixtures::channel_ssc());
        let read = CommandApdu::new(0x00, 0xB0, 0x00, 0x00)
            .with_ne(0xE7)
            .expect("valid Ne");
        let (awaiting, _protected) = channel
            .protect(&read)
            .expect("a plain READ BINARY protects");
        let via_channel = awaiting.unprotect(&response);
        assert_eq!(
            direct.as_ref().ok(),
            via_channel.as_ref().ok().map(|(_, plain)| plain),
            "the channel and the codec disagree"
        );

        if let Ok(plain) = direct {
            let ins = if response.data.first() == Some(&0x85) {
                0xB1
            } else {
                0xB0
            };
            let again = protect_response(&cipher, &mut ssc.clone(), ins, &plain)
                .expect("protecting cannot fail");
            // Everything the MAC covers is exactly what the key holder
            // sends, and so is the MAC. Only the encoding of DO'8E' itself
            // (e.g. a long-form length `8E 81 08`) is outside the MAC and
            // may differ without changing the meaning.
            let (covered, mac) = split_at_mac(&response.data);
            let (covered_again, mac_again) = split_at_mac(&again.data);
            assert_eq!(
                covered, covered_again,
                "accepted data objects the key holder would not send"
            );
            assert_eq!(mac, mac_again);
        }
    }
    if let Ok(command) = CommandApdu::parse(data) {
        let _ = unprotect_command(&cipher, &mut ssc.clone(), &command);
    }
});
