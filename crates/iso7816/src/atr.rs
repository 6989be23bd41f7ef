//! Answer-to-reset: the historical bytes and what they say about the card's
//! capabilities (ISO/IEC 7816-3 §8.2, ISO/IEC 7816-4 §12.1.1).
//!
//! A contactless reader builds the ATR from the ATS historical bytes, so the
//! same parsing serves contact and contactless chips. For an eMRTD the
//! interesting part is the third software function table of the "card
//! capabilities" object (tag `7`, length 3), which says whether extended
//! Lc/Le fields are supported and whether EF.ATR/INFO describes their limits
//! (Doc 9303-10 §3.x refers to it for extended length).

/// Card capabilities announced in the historical bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct CardCapabilities {
    /// Extended Lc and Le fields supported (`None`: not announced).
    pub extended_length: Option<bool>,
    /// Extended-length limits are in EF.ATR/INFO (`None`: not announced).
    pub extended_length_info_in_ef_atr: Option<bool>,
    /// Command chaining supported (`None`: not announced).
    pub command_chaining: Option<bool>,
}

/// The historical bytes of an ATR, or `None` when the ATR is malformed.
#[must_use]
pub fn historical_bytes(atr: &[u8]) -> Option<&[u8]> {
    // TS, T0: the high nibble of T0 (Y1) says which of TA1..TD1 follow,
    // the low nibble (K) the number of historical bytes.
    let (&t0, mut rest) = atr.get(1..)?.split_first()?;
    let k = usize::from(t0 & 0x0F);
    let mut y = t0 >> 4;
    loop {
        let present = (y & 1) + ((y >> 1) & 1) + ((y >> 2) & 1) + ((y >> 3) & 1);
        let interface = rest.get(..usize::from(present))?;
        rest = &rest[usize::from(present)..];
        // TDi is the last interface byte of the group, if present.
        if y & 0x08 != 0 {
            let td = *interface.last()?;
            y = td >> 4;
        } else {
            break;
        }
    }
    rest.get(..k)
}

/// Reads the card capabilities from the historical bytes of `atr`.
///
/// Only the compact-TLV format (category indicator `80`) is understood;
/// anything else yields "not announced" for every field.
#[must_use]
pub fn card_capabilities(atr: &[u8]) -> CardCapabilities {
    let mut caps = CardCapabilities::default();
    let Some(hist) = historical_bytes(atr) else {
        return caps;
    };
    let Some((&0x80, mut objects)) = hist.split_first() else {
        return caps;
    };
    while let Some((&tl, rest)) = objects.split_first() {
        let (tag, len) = (tl >> 4, usize::from(tl & 0x0F));
        let Some(value) = rest.get(..len) else { break };
        if tag == 0x7 && len == 3 {
            let third = value[2];
            caps.command_chaining = Some(third & 0x80 != 0);
            caps.extended_length = Some(third & 0x40 != 0);
            caps.extended_length_info_in_ef_atr = Some(third & 0x20 != 0);
        }
        objects = &rest[len..];
    }
    caps
}

/// Reads the extended length information (`7F66`) from the content of
/// EF.ATR/INFO: the maximum numbers of bytes in a command APDU and in a
/// response APDU (ISO/IEC 7816-4 §12.7.1). `None` when absent or malformed.
#[must_use]
pub fn extended_length_info(ef_atr_info: &[u8]) -> Option<(usize, usize)> {
    use crate::tlv::{Tag, TlvIter};
    let info = TlvIter::new(ef_atr_info)
        .filter_map(Result::ok)
        .find(|(_, t)| t.tag == Tag(0x7F66))?
        .1;
    let mut ints = info
        .children()
        .filter_map(Result::ok)
        .filter(|(_, t)| t.tag == Tag(0x02))
        .map(|(_, t)| {
            t.value
                .iter()
                .take(4)
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
        });
    Some((ints.next()?, ints.next()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_interface_bytes_and_capabilities() {
        // TS 3B, T0 85 (TD1, 5 historical bytes), TD1 80 (TD2), TD2 01,
        // historical: 80 (compact TLV) 73 (capabilities, 3 bytes) 00 00 60, TCK.
        let atr = hex::decode("3B85800180730000607F").unwrap();
        assert_eq!(
            historical_bytes(&atr).unwrap(),
            &hex::decode("8073000060").unwrap()[..]
        );
        let caps = card_capabilities(&atr);
        assert_eq!(caps.extended_length, Some(true));
        assert_eq!(caps.extended_length_info_in_ef_atr, Some(true));
        assert_eq!(caps.command_chaining, Some(false));
    }

    #[test]
    fn malformed_atrs_give_nothing() {
        assert_eq!(historical_bytes(&[]), None);
        assert_eq!(historical_bytes(&[0x3B, 0xFF]), None);
        assert_eq!(
            card_capabilities(&[0x3B, 0x80, 0x80]),
            CardCapabilities::default()
        );
        assert_eq!(
            card_capabilities(&hex::decode("3B8180018082").unwrap()).extended_length,
            None
        );
    }

    #[test]
    fn extended_length_info_from_ef_atr_info() {
        let file = hex::decode("7F66080202040002020400").unwrap();
        assert_eq!(extended_length_info(&file), Some((1024, 1024)));
        assert_eq!(extended_length_info(&[0x7F, 0x66, 0x01]), None);
    }
}
