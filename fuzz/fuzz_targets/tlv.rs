//! BER-TLV (ISO/IEC 7816-4 §5.2) and ATR parsing: no panic, offsets and
//! lengths consistent with the input, parse → encode → parse identity.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_iso7816::atr;
use mrtd_iso7816::tlv::{self, TlvIter};

fuzz_target!(|data: &[u8]| {
    if let Ok(h) = tlv::parse_header(data) {
        assert!((2..=8).contains(&h.header_len), "{h:?}");
        assert!(h.header_len <= data.len());
    }
    match tlv::parse_tlv(data) {
        Ok((t, rest)) => {
            assert_eq!(t.total_len() + rest.len(), data.len());
            assert_eq!(t.value, &data[t.header_len..t.total_len()]);
            // Re-encoding (shortest length form) parses to the same object.
            let again = tlv::tlv(t.tag, t.value);
            let back = tlv::parse_single(&again, t.tag).expect("re-encoded object parses");
            assert_eq!((back.tag, back.value), (t.tag, t.value));
            assert_eq!(tlv::parse_single(data, t.tag).is_ok(), rest.is_empty());
            let _ = t.children().count();
        }
        Err(_) => assert!(tlv::parse_single(data, tlv::Tag(0)).is_err()),
    }
    let mut expected_offset = 0;
    let mut failed = false;
    for item in TlvIter::new(data) {
        assert!(!failed, "item after an error");
        match item {
            Ok((offset, t)) => {
                assert_eq!(offset, expected_offset);
                expected_offset += t.total_len();
                assert!(expected_offset <= data.len());
            }
            Err(_) => failed = true,
        }
    }
    if !failed {
        assert_eq!(expected_offset, data.len());
    }

    if let Some(hist) = atr::historical_bytes(data) {
        assert!(hist.len() <= 15);
        let start = hist.as_ptr() as usize - data.as_ptr() as usize;
        assert!(start + hist.len() <= data.len());
    }
    let _ = atr::card_capabilities(data);
    let _ = atr::extended_length_info(data);
});
