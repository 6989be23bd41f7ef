//! A minimal, allocation-light walker over ASN.1 TLV encodings, used where
//! the *original bytes* of a part matter (what was signed, what a digest
//! covers) and for the DER-versus-BER decision.
//!
//! Typed decoding is left to the `der` crate; this module only finds
//! element boundaries. Every read is bounds-checked; lengths are never
//! trusted before they are compared with the bytes present.

use std::borrow::Cow;

/// Nesting deeper than this is refused (no legitimate CMS, certificate or
/// CRL comes close; the limit bounds recursion on hostile input).
pub const MAX_DEPTH: usize = 48;

/// Why a TLV could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TlvError {
    /// The input ended inside a tag, a length or a value.
    #[error("truncated at offset {0}")]
    Truncated(usize),
    /// A length in more than 4 bytes, or the reserved form `FF`.
    #[error("unsupported length encoding at offset {0}")]
    BadLength(usize),
    /// An indefinite length where only definite ones are accepted.
    #[error("indefinite length at offset {0}")]
    Indefinite(usize),
    /// A tag number in more than 4 bytes.
    #[error("tag too long at offset {0}")]
    BadTag(usize),
    /// Nesting deeper than [`MAX_DEPTH`].
    #[error("nesting deeper than {MAX_DEPTH} at offset {0}")]
    TooDeep(usize),
    /// An element other than the one the structure requires.
    #[error("expected {expected} at offset {offset}")]
    Unexpected {
        /// What was expected.
        expected: &'static str,
        /// Offset of the element found (or of the end).
        offset: usize,
    },
}

/// One element: its identifier octets, and where header and value are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The identifier octets (tag class, constructed bit and number), as
    /// they are encoded (e.g. `[0x30]`, `[0xA0]`, `[0x5F, 0x1F]`).
    pub tag: &'a [u8],
    /// The whole element: header and value.
    pub raw: &'a [u8],
    /// The value octets.
    pub value: &'a [u8],
    /// Offset of the element from the start of the outermost input.
    pub offset: usize,
}

impl<'a> Tlv<'a> {
    /// The first identifier octet.
    pub fn tag_byte(&self) -> u8 {
        self.tag.first().copied().unwrap_or(0)
    }

    /// Whether the constructed bit is set.
    pub fn constructed(&self) -> bool {
        self.tag_byte() & 0x20 != 0
    }

    /// Offset of the first value byte.
    pub fn value_offset(&self) -> usize {
        self.offset + (self.raw.len() - self.value.len())
    }

    /// The elements inside this (constructed) one.
    pub fn children(&self) -> Result<Vec<Tlv<'a>>, TlvError> {
        children(self.value, self.value_offset())
    }
}

/// Header of an element: identifier octets length and the length field.
struct Header {
    tag_len: usize,
    header_len: usize,
    /// `None` for the indefinite form.
    length: Option<usize>,
    /// The length was not in its shortest form (BER, not DER).
    non_minimal: bool,
}

fn read_header(input: &[u8], base: usize) -> Result<Header, TlvError> {
    let first = *input.first().ok_or(TlvError::Truncated(base))?;
    let mut tag_len = 1;
    if first & 0x1F == 0x1F {
        loop {
            let b = *input
                .get(tag_len)
                .ok_or(TlvError::Truncated(base + tag_len))?;
            tag_len += 1;
            if b & 0x80 == 0 {
                break;
            }
            if tag_len > 5 {
                return Err(TlvError::BadTag(base));
            }
        }
    }
    let l0 = *input
        .get(tag_len)
        .ok_or(TlvError::Truncated(base + tag_len))?;
    if l0 < 0x80 {
        return Ok(Header {
            tag_len,
            header_len: tag_len + 1,
            length: Some(usize::from(l0)),
            non_minimal: false,
        });
    }
    if l0 == 0x80 {
        return Ok(Header {
            tag_len,
            header_len: tag_len + 1,
            length: None,
            non_minimal: false,
        });
    }
    let n = usize::from(l0 & 0x7F);
    if n > 4 {
        return Err(TlvError::BadLength(base + tag_len));
    }
    let bytes = input
        .get(tag_len + 1..tag_len + 1 + n)
        .ok_or(TlvError::Truncated(base + tag_len + 1))?;
    let length = bytes
        .iter()
        .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
    let non_minimal = length < 0x80 || bytes.first() == Some(&0);
    Ok(Header {
        tag_len,
        header_len: tag_len + 1 + n,
        length: Some(length),
        non_minimal,
    })
}

/// Reads one definite-length element from the start of `input` (`base` is
/// its offset, for error messages). Returns it and the bytes after it.
pub fn read(input: &[u8], base: usize) -> Result<(Tlv<'_>, &[u8]), TlvError> {
    let h = read_header(input, base)?;
    let length = h.length.ok_or(TlvError::Indefinite(base + h.tag_len))?;
    let end = h
        .header_len
        .checked_add(length)
        .ok_or(TlvError::Truncated(base))?;
    let raw = input
        .get(..end)
        .ok_or(TlvError::Truncated(base + h.header_len))?;
    Ok((
        Tlv {
            tag: &input[..h.tag_len],
            raw,
            value: &raw[h.header_len..],
            offset: base,
        },
        &input[end..],
    ))
}

/// Reads exactly one element that fills `input`.
pub fn read_single(input: &[u8], base: usize) -> Result<Tlv<'_>, TlvError> {
    let (tlv, rest) = read(input, base)?;
    if rest.is_empty() {
        Ok(tlv)
    } else {
        Err(TlvError::Unexpected {
            expected: "end of data",
            offset: base + tlv.raw.len(),
        })
    }
}

/// The consecutive elements filling `input`.
pub fn children(mut input: &[u8], mut base: usize) -> Result<Vec<Tlv<'_>>, TlvError> {
    let mut out = Vec::new();
    while !input.is_empty() {
        let (tlv, rest) = read(input, base)?;
        base += tlv.raw.len();
        out.push(tlv);
        input = rest;
    }
    Ok(out)
}

/// Expects `tlv` to carry the one-byte tag `tag`.
pub fn expect<'a>(
    tlv: Option<&Tlv<'a>>,
    tag: u8,
    what: &'static str,
    at: usize,
) -> Result<Tlv<'a>, TlvError> {
    match tlv {
        Some(t) if t.tag == [tag] => Ok(*t),
        Some(t) => Err(TlvError::Unexpected {
            expected: what,
            offset: t.offset,
        }),
        None => Err(TlvError::Unexpected {
            expected: what,
            offset: at,
        }),
    }
}

/// What made an encoding BER rather than DER (in its framing).
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BerFeature {
    /// An indefinite length (`80` … `00 00`).
    IndefiniteLength,
    /// A length not in its shortest form.
    NonMinimalLength,
    /// A constructed OCTET STRING (segments to concatenate).
    ConstructedOctetString,
}

impl core::fmt::Display for BerFeature {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::IndefiniteLength => "indefinite length",
            Self::NonMinimalLength => "length not in its shortest form",
            Self::ConstructedOctetString => "constructed OCTET STRING",
        })
    }
}

/// The input as DER framing: borrowed when it already is, re-encoded when
/// it uses BER framing (indefinite or non-minimal lengths, constructed
/// OCTET STRINGs), with what was found. Primitive values are copied as
/// they are: what a digest covers (an OCTET STRING's content octets) is
/// unchanged by the conversion, RFC 5652 §5.4.
///
/// Only the first element of `input` is converted; bytes after it are
/// returned unchanged after it (the caller decides about trailing bytes).
pub fn to_der(input: &[u8]) -> Result<(Cow<'_, [u8]>, Vec<BerFeature>), TlvError> {
    let mut features = Vec::new();
    scan(input, 0, 0, &mut features)?;
    if features.is_empty() {
        return Ok((Cow::Borrowed(input), features));
    }
    let mut out = Vec::with_capacity(input.len());
    let used = convert(input, 0, 0, &mut out)?;
    out.extend_from_slice(input.get(used..).unwrap_or_default());
    features.sort_by_key(|f| *f as u8);
    features.dedup();
    Ok((Cow::Owned(out), features))
}

/// Walks the first element of `input` (recursively through constructed
/// ones) noting BER features; returns the encoded length.
fn scan(
    input: &[u8],
    base: usize,
    depth: usize,
    features: &mut Vec<BerFeature>,
) -> Result<usize, TlvError> {
    if depth > MAX_DEPTH {
        return Err(TlvError::TooDeep(base));
    }
    let h = read_header(input, base)?;
    let constructed = input.first().is_some_and(|b| b & 0x20 != 0);
    if h.non_minimal && !features.contains(&BerFeature::NonMinimalLength) {
        features.push(BerFeature::NonMinimalLength);
    }
    if input.first() == Some(&0x24) && !features.contains(&BerFeature::ConstructedOctetString) {
        features.push(BerFeature::ConstructedOctetString);
    }
    match h.length {
        Some(len) => {
            let end = h
                .header_len
                .checked_add(len)
                .ok_or(TlvError::Truncated(base))?;
            let value = input
                .get(h.header_len..end)
                .ok_or(TlvError::Truncated(base + h.header_len))?;
            if constructed {
                let mut pos = 0;
                while pos < value.len() {
                    pos += scan(
                        &value[pos..],
                        base + h.header_len + pos,
                        depth + 1,
                        features,
                    )?;
                }
            }
            Ok(end)
        }
        None => {
            if !constructed {
                return Err(TlvError::Indefinite(base + h.tag_len));
            }
            if !features.contains(&BerFeature::IndefiniteLength) {
                features.push(BerFeature::IndefiniteLength);
            }
            let mut pos = h.header_len;
            loop {
                let rest = input.get(pos..).ok_or(TlvError::Truncated(base + pos))?;
                if rest.starts_with(&[0, 0]) {
                    return Ok(pos + 2);
                }
                if rest.is_empty() {
                    return Err(TlvError::Truncated(base + pos));
                }
                pos += scan(rest, base + pos, depth + 1, features)?;
            }
        }
    }
}

/// Writes a DER length.
fn push_len(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | (bytes.len() - skip) as u8);
        out.extend_from_slice(&bytes[skip..]);
    }
}

/// Converts the first element of `input` to DER framing into `out`;
/// returns how many input bytes it used. Only called after [`scan`]
/// accepted the input, so the structure is known to be well formed.
fn convert(input: &[u8], base: usize, depth: usize, out: &mut Vec<u8>) -> Result<usize, TlvError> {
    if depth > MAX_DEPTH {
        return Err(TlvError::TooDeep(base));
    }
    let h = read_header(input, base)?;
    let tag = &input[..h.tag_len];
    let constructed = tag[0] & 0x20 != 0;
    // The value, converted, and the input bytes used.
    let mut value = Vec::new();
    let used = match h.length {
        Some(len) => {
            let end = h.header_len + len;
            let v = input
                .get(h.header_len..end)
                .ok_or(TlvError::Truncated(base))?;
            if constructed {
                let mut pos = 0;
                while pos < v.len() {
                    pos += convert(&v[pos..], base + h.header_len + pos, depth + 1, &mut value)?;
                }
            } else {
                value.extend_from_slice(v);
            }
            end
        }
        None => {
            let mut pos = h.header_len;
            loop {
                let rest = input.get(pos..).ok_or(TlvError::Truncated(base + pos))?;
                if rest.starts_with(&[0, 0]) {
                    break pos + 2;
                }
                pos += convert(rest, base + pos, depth + 1, &mut value)?;
            }
        }
    };
    if tag == [0x24] {
        // Constructed OCTET STRING: DER has the primitive form with the
        // segments' contents concatenated (X.690 §10.2).
        let segments = children(&value, 0)?;
        let mut flat = Vec::with_capacity(value.len());
        for s in segments {
            flat.extend_from_slice(s.value);
        }
        out.push(0x04);
        push_len(out, flat.len());
        out.extend_from_slice(&flat);
    } else {
        out.extend_from_slice(tag);
        push_len(out, value.len());
        out.extend_from_slice(&value);
    }
    Ok(used)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_is_borrowed() {
        let der = [0x30, 0x03, 0x02, 0x01, 0x05];
        let (out, f) = to_der(&der).unwrap();
        assert!(matches!(out, Cow::Borrowed(_)));
        assert!(f.is_empty());
    }

    #[test]
    fn indefinite_and_long_lengths_become_der() {
        // SEQUENCE (indefinite) { INTEGER 5 (length 81 01), OCTET STRING constructed { 04 01 AA, 04 01 BB } }
        let ber = [
            0x30, 0x80, 0x02, 0x81, 0x01, 0x05, 0x24, 0x80, 0x04, 0x01, 0xAA, 0x04, 0x01, 0xBB,
            0x00, 0x00, 0x00, 0x00,
        ];
        let (out, f) = to_der(&ber).unwrap();
        assert_eq!(
            &*out,
            &[0x30, 0x07, 0x02, 0x01, 0x05, 0x04, 0x02, 0xAA, 0xBB]
        );
        assert_eq!(
            f,
            [
                BerFeature::IndefiniteLength,
                BerFeature::NonMinimalLength,
                BerFeature::ConstructedOctetString
            ]
        );
    }

    #[test]
    fn hostile_inputs_error() {
        assert!(to_der(&[0x30, 0x80, 0x02]).is_err());
        assert!(to_der(&[0x30, 0x85, 1, 1, 1, 1, 1]).is_err());
        assert!(to_der(&[0x04, 0x80, 0, 0]).is_err());
        let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 100).flatten().collect();
        assert!(to_der(&deep).is_err());
        assert!(read(&[0x30, 0x05, 1], 0).is_err());
    }
}
