//! Re-encodings that break DER on purpose while keeping the BER value —
//! for negative test vectors of verifiers that must insist on DER
//! (Doc 9303-10 §4.6.2: EF.SOD is DER).

use crate::PkiError;

/// The header of the TLV at the start of `tlv`: `(header length, content
/// length)`, definite lengths only.
fn header(tlv: &[u8]) -> Result<(usize, usize), PkiError> {
    let bad = || PkiError::InvalidInput("not a definite-length BER TLV".into());
    let (&tag, rest) = tlv.split_first().ok_or_else(bad)?;
    if tag & 0x1F == 0x1F {
        // Multi-byte tag numbers do not occur in the structures this is
        // used on.
        return Err(PkiError::InvalidInput(
            "multi-byte tags are not supported".into(),
        ));
    }
    let (&first, rest) = rest.split_first().ok_or_else(bad)?;
    let (len, len_bytes) = if first < 0x80 {
        (usize::from(first), 0)
    } else {
        let n = usize::from(first & 0x7F);
        if n == 0 || n > 4 {
            return Err(bad());
        }
        let bytes = rest.get(..n).ok_or_else(bad)?;
        (
            bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b)),
            n,
        )
    };
    let header_len = 2 + len_bytes;
    if tlv.len() != header_len + len {
        return Err(bad());
    }
    Ok((header_len, len))
}

/// `tlv` (one complete constructed TLV) with its length rewritten as the
/// BER indefinite form (`80`, contents, end-of-contents `00 00`,
/// X.690 §8.1.3.6).
///
/// # Errors
/// [`PkiError::InvalidInput`] if `tlv` is not one definite-length
/// constructed TLV.
pub fn to_indefinite_length(tlv: &[u8]) -> Result<Vec<u8>, PkiError> {
    let (header_len, _) = header(tlv)?;
    if tlv[0] & 0x20 == 0 {
        return Err(PkiError::InvalidInput(
            "only constructed encodings may use the indefinite length".into(),
        ));
    }
    let mut out = Vec::with_capacity(tlv.len() + 3);
    out.push(tlv[0]);
    out.push(0x80);
    out.extend_from_slice(&tlv[header_len..]);
    out.extend_from_slice(&[0, 0]);
    Ok(out)
}

/// `tlv` with its length written in the long form with `extra` more
/// leading zero octets than needed (valid BER, not DER: X.690 §10.1).
///
/// # Errors
/// [`PkiError::InvalidInput`] if `tlv` is not one definite-length TLV.
pub fn with_non_minimal_length(tlv: &[u8], extra: u8) -> Result<Vec<u8>, PkiError> {
    let (header_len, len) = header(tlv)?;
    let be = (len as u64).to_be_bytes();
    let minimal = be
        .iter()
        .position(|&b| b != 0)
        .map_or(&be[7..], |i| &be[i..]);
    let mut len_bytes = vec![0u8; usize::from(extra)];
    len_bytes.extend_from_slice(minimal);
    if len_bytes.len() > 0x7E {
        return Err(PkiError::InvalidInput("length too long".into()));
    }
    let mut out = Vec::with_capacity(tlv.len() + len_bytes.len() + 1);
    out.push(tlv[0]);
    out.push(0x80 | len_bytes.len() as u8);
    out.extend_from_slice(&len_bytes);
    out.extend_from_slice(&tlv[header_len..]);
    Ok(out)
}

/// The value of an EF.SOD (`77 L ContentInfo`) transformed by `f` and
/// wrapped again with a correct definite length.
///
/// # Errors
/// [`PkiError::InvalidInput`] if `sod` is not one `77` TLV, and `f`'s
/// errors.
pub fn map_sod_content(
    sod: &[u8],
    f: impl FnOnce(&[u8]) -> Result<Vec<u8>, PkiError>,
) -> Result<Vec<u8>, PkiError> {
    if sod.first() != Some(&crate::sod::EF_SOD_TAG) {
        return Err(PkiError::InvalidInput(
            "EF.SOD does not start with tag 77".into(),
        ));
    }
    let (header_len, _) = header(sod)?;
    let inner = f(&sod[header_len..])?;
    let mut out = vec![crate::sod::EF_SOD_TAG];
    let len = inner.len();
    match len {
        0..=0x7F => out.push(len as u8),
        0x80..=0xFF => out.extend_from_slice(&[0x81, len as u8]),
        0x100..=0xFFFF => out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]),
        _ => out.extend_from_slice(&[0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8]),
    }
    out.extend_from_slice(&inner);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indefinite_and_long_forms() {
        let seq = [0x30, 0x03, 0x02, 0x01, 0x05];
        assert_eq!(
            to_indefinite_length(&seq).unwrap(),
            [0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00]
        );
        assert_eq!(
            with_non_minimal_length(&seq, 1).unwrap(),
            [0x30, 0x82, 0x00, 0x03, 0x02, 0x01, 0x05]
        );
        assert_eq!(
            with_non_minimal_length(&seq, 0).unwrap(),
            [0x30, 0x81, 0x03, 0x02, 0x01, 0x05]
        );
        assert!(to_indefinite_length(&[0x02, 0x01, 0x05]).is_err());
        assert!(to_indefinite_length(&[0x30, 0x05, 0x02]).is_err());
        let sod = [0x77, 0x05, 0x30, 0x03, 0x02, 0x01, 0x05];
        assert_eq!(
            map_sod_content(&sod, to_indefinite_length).unwrap(),
            [0x77, 0x07, 0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00]
        );
    }
}
