//! Secure messaging against a hostile chip or a man in the middle
//! (Doc 9303-11 §9.8.6): whatever bytes arrive as a protected response,
//! `unprotect_response` returns without panicking, and it accepts nothing
//! that was not MACed with the session key at the expected SSC.
//!
//! The fuzz target `sm_response` explores the same ground without the
//! time limit of the test suite (see `fuzz/README.md`).

use mrtd_iso7816::tlv::{self, Tag, TlvIter};
use mrtd_iso7816::{CommandApdu, ResponseApdu, StatusWord};
use mrtd_protocol::SmError;
use mrtd_protocol::sm::codec::{protect_response, unprotect_command, unprotect_response};
use mrtd_protocol::sm::{SecureChannel, Ssc, TdesSm};
use proptest::prelude::*;

/// The session every test attacks: fixed keys and SSC, as after BAC.
fn session() -> (TdesSm, Ssc) {
    (
        TdesSm::derive(&[0x42; 16]),
        Ssc::from([0x88, 0x70, 0x22, 0x12, 0x0C, 0x06, 0xC2, 0x26]),
    )
}

/// A correct protected response to an even- or odd-INS command, made by
/// the chip side at the SSC the terminal will expect next.
fn valid_response(plain: &ResponseApdu, ins: u8) -> ResponseApdu {
    let (cipher, ssc) = session();
    protect_response(&cipher, &mut ssc.clone(), ins, plain).expect("protecting cannot fail")
}

fn any_sw() -> impl Strategy<Value = StatusWord> {
    prop_oneof![
        Just(StatusWord::Success),
        Just(StatusWord::EndOfFile),
        Just(StatusWord::WrongLength),
        Just(StatusWord::SmDataObjectsIncorrect),
        any::<u16>().prop_map(StatusWord::from),
    ]
}

/// Data objects a protected response may carry, with random content: the
/// structure is plausible (so the MAC check is reached) but no MAC in it
/// was made with the session key.
fn plausible_objects() -> impl Strategy<Value = Vec<u8>> {
    (
        prop::option::of(prop_oneof![
            // DO'87' with the padding indicator and whole blocks.
            (1usize..8, any::<u8>()).prop_map(|(blocks, b)| {
                let mut v = vec![0x01];
                v.extend((0..blocks * 8).map(|i| b.wrapping_add(i as u8)));
                tlv::tlv(Tag(0x87), &v)
            }),
            // DO'85' without an indicator.
            prop::collection::vec(any::<u8>(), 8..40).prop_map(|v| tlv::tlv(Tag(0x85), &v)),
        ]),
        any::<[u8; 2]>(),
        any::<[u8; 8]>(),
    )
        .prop_map(|(enc, sw, mac)| {
            let mut out = enc.unwrap_or_default();
            out.extend(tlv::tlv(Tag(0x99), &sw));
            out.extend(tlv::tlv(Tag(0x8E), &mac));
            out
        })
}

/// The data objects of a protected response, as `(tag, value)` in order.
fn objects(data: &[u8]) -> Vec<(Tag, Vec<u8>)> {
    TlvIter::new(data)
        .map(|r| r.map(|(_, t)| (t.tag, t.value.to_vec())).unwrap())
        .collect()
}

fn encode(objects: &[(Tag, Vec<u8>)]) -> Vec<u8> {
    objects.iter().flat_map(|(t, v)| tlv::tlv(*t, v)).collect()
}

/// Ways to change a valid protected response without the key.
#[derive(Clone, Debug)]
enum Tamper {
    /// XOR one byte of the data field.
    Flip { at: usize, mask: u8 },
    /// Keep only a prefix.
    Truncate { keep: usize },
    /// Append bytes after `DO'8E'`.
    Append(Vec<u8>),
    /// Put the data objects in another order.
    Reorder { seed: usize },
    /// Drop one data object.
    Drop { which: usize },
    /// Replace the status in `DO'99'`.
    Status([u8; 2]),
    /// Insert a data object the terminal does not expect.
    Insert { at: usize, tag: u8, value: Vec<u8> },
}

fn any_tamper() -> impl Strategy<Value = Tamper> {
    prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(at, mask)| Tamper::Flip { at, mask }),
        any::<usize>().prop_map(|keep| Tamper::Truncate { keep }),
        prop::collection::vec(any::<u8>(), 1..20).prop_map(Tamper::Append),
        any::<usize>().prop_map(|seed| Tamper::Reorder { seed }),
        any::<usize>().prop_map(|which| Tamper::Drop { which }),
        any::<[u8; 2]>().prop_map(Tamper::Status),
        (
            any::<usize>(),
            any::<u8>(),
            prop::collection::vec(any::<u8>(), 0..12)
        )
            .prop_map(|(at, tag, value)| Tamper::Insert { at, tag, value }),
    ]
}

/// Applies `tamper`; `None` when it would leave the bytes as they were.
fn apply(tamper: &Tamper, data: &[u8]) -> Option<Vec<u8>> {
    let mut objs = objects(data);
    let out = match tamper {
        Tamper::Flip { at, mask } => {
            let mut d = data.to_vec();
            let i = at % d.len();
            d[i] ^= mask;
            d
        }
        Tamper::Truncate { keep } => data[..keep % data.len()].to_vec(),
        Tamper::Append(extra) => [data, extra].concat(),
        Tamper::Reorder { seed } => {
            let n = objs.len();
            objs.rotate_left(1 + seed % (n - 1));
            encode(&objs)
        }
        Tamper::Drop { which } => {
            let i = which % objs.len();
            objs.remove(i);
            encode(&objs)
        }
        Tamper::Status(sw) => {
            let i = objs.iter().position(|(t, _)| *t == Tag(0x99)).unwrap();
            objs[i].1 = sw.to_vec();
            encode(&objs)
        }
        Tamper::Insert { at, tag, value } => {
            // Single-byte tags only; 0x1F would start a multi-byte tag.
            let tag = if tag & 0x1F == 0x1F { 0x53 } else { *tag };
            objs.insert(at % (objs.len() + 1), (Tag(u32::from(tag)), value.clone()));
            encode(&objs)
        }
    };
    (out != data).then_some(out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// Arbitrary bytes: never a panic, never accepted.
    #[test]
    fn arbitrary_bytes_are_rejected(data in prop::collection::vec(any::<u8>(), 0..300), sw in any_sw()) {
        let (cipher, mut ssc) = session();
        let result = unprotect_response(&cipher, &mut ssc, &ResponseApdu::new(data, sw));
        prop_assert!(result.is_err(), "random bytes accepted: {:?}", result);
    }

    /// Well-formed data objects with a MAC not made with the session key
    /// reach the MAC check and fail it.
    #[test]
    fn plausible_objects_without_the_key_fail_the_mac(data in plausible_objects(), sw in any_sw()) {
        let (cipher, mut ssc) = session();
        let result = unprotect_response(&cipher, &mut ssc, &ResponseApdu::new(data, sw));
        prop_assert_eq!(result, Err(SmError::MacMismatch));
    }

    /// A response made with another key, or for another SSC (a replayed or
    /// reordered message), is a MAC mismatch.
    #[test]
    fn responses_for_another_key_or_ssc_are_rejected(
        other_seed in any::<[u8; 16]>(),
        ssc_skip in 1u8..5,
        data in prop::collection::vec(any::<u8>(), 0..100),
        sw in any_sw(),
        odd in any::<bool>(),
    ) {
        prop_assume!(other_seed != [0x42; 16]);
        let (cipher, ssc) = session();
        let plain = ResponseApdu::new(data, sw);
        let ins = if odd { 0xB1 } else { 0xB0 };
        let other = TdesSm::derive(&other_seed);
        let forged = protect_response(&other, &mut ssc.clone(), ins, &plain).unwrap();
        prop_assert_eq!(unprotect_response(&cipher, &mut ssc.clone(), &forged), Err(SmError::MacMismatch));

        let mut later = ssc.clone();
        for _ in 0..ssc_skip { later.increment(); }
        let replayed = protect_response(&cipher, &mut later, ins, &plain).unwrap();
        prop_assert_eq!(unprotect_response(&cipher, &mut ssc.clone(), &replayed), Err(SmError::MacMismatch));
    }

    /// Every change to a valid protected response is rejected; the unchanged
    /// response is accepted with its authenticated content.
    #[test]
    fn tampered_valid_responses_are_rejected(
        data in prop::collection::vec(any::<u8>(), 0..100),
        sw in any_sw(),
        odd in any::<bool>(),
        tamper in any_tamper(),
        frame_sw in any::<u16>(),
    ) {
        let plain = ResponseApdu::new(data, sw);
        let valid = valid_response(&plain, if odd { 0xB1 } else { 0xB0 });
        let (cipher, ssc) = session();
        // The SW1-SW2 of the transport frame is not authenticated and must
        // not matter: DO'99' is what counts.
        let reframed = ResponseApdu::new(valid.data.clone(), StatusWord::from(frame_sw));
        prop_assert_eq!(unprotect_response(&cipher, &mut ssc.clone(), &reframed), Ok(plain));
        if let Some(tampered) = apply(&tamper, &valid.data) {
            let result = unprotect_response(&cipher, &mut ssc.clone(), &ResponseApdu::new(tampered, valid.sw));
            prop_assert!(result.is_err(), "{:?} accepted", tamper);
        }
    }

    /// The same through the typed channel: a bad response consumes it.
    #[test]
    fn the_channel_is_lost_on_any_bad_response(data in prop::collection::vec(any::<u8>(), 0..200), sw in any_sw()) {
        let (cipher, ssc) = session();
        let channel = SecureChannel::new(Box::new(cipher), ssc);
        let read = CommandApdu::new(0x00, 0xB0, 0x00, 0x00).with_ne(0xE7).unwrap();
        let (awaiting, _protected) = channel.protect(&read).unwrap();
        prop_assert!(awaiting.unprotect(&ResponseApdu::new(data, sw)).is_err());
    }

    /// The chip side (the virtual passport) parses hostile commands without
    /// panicking and accepts none without the key.
    #[test]
    fn arbitrary_protected_commands_are_rejected(bytes in prop::collection::vec(any::<u8>(), 4..300)) {
        let (cipher, mut ssc) = session();
        if let Ok(cmd) = CommandApdu::parse(&bytes) {
            prop_assert!(unprotect_command(&cipher, &mut ssc, &cmd).is_err());
        }
    }
}

#[test]
fn the_tamper_helpers_are_sound() {
    // A guard for the test itself: the valid response really is valid and
    // has the three objects the tampering expects.
    let plain = ResponseApdu::new(vec![1, 2, 3], StatusWord::Success);
    let valid = valid_response(&plain, 0xB0);
    let tags: Vec<Tag> = objects(&valid.data).into_iter().map(|(t, _)| t).collect();
    assert_eq!(tags, [Tag(0x87), Tag(0x99), Tag(0x8E)]);
    let (cipher, mut ssc) = session();
    assert_eq!(unprotect_response(&cipher, &mut ssc, &valid), Ok(plain));
}
