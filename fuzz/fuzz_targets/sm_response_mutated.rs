//! Secure messaging, structure-aware: the input describes a plaintext
//! response and a list of mutations applied to its *valid* protected form.
//! The unchanged response must be accepted with exactly its plaintext;
//! any change to what the MAC covers (every data object before `DO'8E'`,
//! Doc 9303-11 §9.8.6) or to the MAC must be rejected, and nothing may
//! follow `DO'8E'`. The encoding of `DO'8E'`'s own length is outside the
//! MAC: `8E 81 08 …` is accepted like `8E 08 …` (harmless malleability).
//!
//! Input: plaintext (u8 length, bytes), SW u16, odd INS u8 & 1, then
//! mutations to the end: kind u8 % 9 and parameters.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_fuzz::fixtures;
use mrtd_fuzz::input::Input;
use mrtd_iso7816::tlv::{self, Tag, TlvIter};
use mrtd_iso7816::{ResponseApdu, StatusWord};
use mrtd_protocol::sm::codec::{protect_response, unprotect_response};

fn objects(data: &[u8]) -> Option<Vec<(Tag, Vec<u8>)>> {
    TlvIter::new(data)
        .map(|r| r.ok().map(|(_, t)| (t.tag, t.value.to_vec())))
        .collect()
}

fn encode(objects: &[(Tag, Vec<u8>)]) -> Vec<u8> {
    objects.iter().flat_map(|(t, v)| tlv::tlv(*t, v)).collect()
}

fn mutate(input: &mut Input<'_>, data: &mut Vec<u8>) {
    let kind = input.u8() % 9;
    let at = usize::from(input.u16());
    let b = input.u8();
    match kind {
        0 if !data.is_empty() => {
            let i = at % data.len();
            data[i] ^= b.max(1);
        }
        1 if !data.is_empty() => data.truncate(at % data.len()),
        2 => data.insert(at % (data.len() + 1), b),
        3 if !data.is_empty() => {
            data.remove(at % data.len());
        }
        4 => data.push(b),
        // The object-level mutations apply while the data still parses.
        5..=8 => {
            let Some(mut objs) = objects(data) else {
                return;
            };
            if objs.is_empty() {
                return;
            }
            let n = objs.len();
            match kind {
                5 => objs.rotate_left(at % n),
                6 => {
                    objs.remove(at % n);
                }
                7 => {
                    let o = objs[at % n].clone();
                    objs.insert(at % (n + 1), o);
                }
                _ => {
                    // Another single-byte tag (0x1F would start a longer one).
                    let tag = if b & 0x1F == 0x1F { 0x53 } else { b };
                    objs[at % n].0 = Tag(u32::from(tag));
                }
            }
            *data = encode(&objs);
        }
        _ => {}
    }
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let plain = ResponseApdu::new(input.bytes_u8().to_vec(), StatusWord::from(input.u16()));
    let ins = if input.u8() & 1 == 1 { 0xB1 } else { 0xB0 };
    let (cipher, ssc) = fixtures::sm_session();
    let valid =
        protect_response(&cipher, &mut ssc.clone(), ins, &plain).expect("protecting cannot fail");
    let mut bytes = valid.data.clone();
    while !input.is_empty() {
        mutate(&mut input, &mut bytes);
    }
    let result = unprotect_response(
        &cipher,
        &mut ssc.clone(),
        &ResponseApdu::new(bytes.clone(), valid.sw),
    );
    match result {
        Ok(accepted) => {
            // Accepted: the same plaintext, and the same MACed bytes and
            // MAC as the valid response. Only the encoding of DO'8E'
            // itself (e.g. `8E 81 08`), which no MAC covers, may differ.
            assert_eq!(accepted, plain);
            assert_eq!(
                split_at_mac(&bytes),
                split_at_mac(&valid.data),
                "a changed protected response was accepted"
            );
        }
        Err(e) => assert_ne!(bytes, valid.data, "the valid response was rejected: {e}"),
    }
});

/// The bytes before `DO'8E'` and the MAC value of accepted data.
fn split_at_mac(data: &[u8]) -> (&[u8], &[u8]) {
    let (offset, mac) = TlvIter::new(data)
        .map(|r| r.expect("accepted data parses"))
        .find(|(_, t)| t.tag == Tag(0x8E))
        .expect("accepted data has a MAC");
    (&data[..offset], mac.value)
}
