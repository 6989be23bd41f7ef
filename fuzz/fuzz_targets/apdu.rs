//! Command and response APDU parsing (ISO/IEC 7816-4 §5.1): no panic, and
//! whatever parses re-encodes to the same bytes and parses to the same value.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_iso7816::{CommandApdu, ResponseApdu, StatusWord};

fuzz_target!(|data: &[u8]| {
    if let Ok(cmd) = CommandApdu::parse(data) {
        let bytes = cmd.to_bytes();
        assert_eq!(bytes, data, "{cmd:?} re-encodes differently");
        assert_eq!(CommandApdu::parse(&bytes).as_ref(), Ok(&cmd));
        assert!(cmd.data().len() <= mrtd_iso7816::apdu::MAX_NC_EXTENDED);
        let _ = format!("{cmd:?}");
    }
    match ResponseApdu::parse(data) {
        Ok(resp) => {
            assert_eq!(resp.to_bytes(), data);
            let [sw1, sw2] = resp.sw.to_bytes();
            assert_eq!(StatusWord::from_bytes(sw1, sw2), resp.sw);
            let _ = format!("{resp:?} {}", resp.sw);
        }
        Err(_) => assert!(data.len() < 2),
    }
    if let Some(pair) = data.first_chunk::<2>() {
        let raw = u16::from_be_bytes(*pair);
        assert_eq!(u16::from(StatusWord::from(raw)), raw);
    }
});
