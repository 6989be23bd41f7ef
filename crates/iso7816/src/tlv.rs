//! BER-TLV data objects as ISO/IEC 7816-4 §5.2 and Doc 9303-10 §4.6 use them.
//!
//! Tags are one to three bytes (`5F1F`, `7F61`, …), lengths use the short
//! form or the long forms `81`–`84`. The indefinite form `80` is rejected:
//! neither secure messaging nor the LDS may use it.
//!
//! Every parser works on a borrowed slice, never indexes out of range, and
//! never allocates from a length it has not checked against the bytes that
//! are actually there. Errors carry the offset of the defect relative to the
//! slice that was passed in.

use core::fmt;

/// A BER-TLV tag, the tag bytes read as a big-endian number (`0x5F1F`).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Tag(pub u32);

impl Tag {
    /// `true` when bit 6 of the first tag byte marks a constructed object.
    #[must_use]
    pub fn is_constructed(self) -> bool {
        self.first_byte() & 0x20 != 0
    }

    /// The first (class and type) byte of the tag.
    #[must_use]
    pub fn first_byte(self) -> u8 {
        let bytes = self.0.to_be_bytes();
        bytes.iter().copied().find(|b| *b != 0).unwrap_or(0)
    }

    /// The encoded tag bytes.
    #[must_use]
    pub fn to_bytes(self) -> Vec<u8> {
        let bytes = self.0.to_be_bytes();
        let skip = bytes.iter().take(3).take_while(|b| **b == 0).count();
        bytes[skip..].to_vec()
    }
}

impl fmt::Debug for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tag({self})")
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.to_bytes() {
            write!(f, "{b:02X}")?;
        }
        Ok(())
    }
}

/// What is wrong with a BER-TLV encoding, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TlvError {
    /// The input ended inside a tag, a length or a value.
    #[error("BER-TLV truncated at offset {offset}: {needed} more bytes needed")]
    Truncated {
        /// Offset where the missing bytes would start.
        offset: usize,
        /// How many more bytes the encoding announces.
        needed: usize,
    },
    /// A tag longer than three bytes.
    #[error("BER-TLV tag at offset {offset} is longer than 3 bytes")]
    TagTooLong {
        /// Offset of the tag.
        offset: usize,
    },
    /// The indefinite length form `80`.
    #[error("BER-TLV indefinite length at offset {offset} is not allowed")]
    IndefiniteLength {
        /// Offset of the length field.
        offset: usize,
    },
    /// A length form of more than four length bytes, or a reserved form.
    #[error("BER-TLV length at offset {offset} uses an unsupported form {first:02X}")]
    UnsupportedLength {
        /// Offset of the length field.
        offset: usize,
        /// The first length byte.
        first: u8,
    },
    /// A tag other than the one the caller required.
    #[error("expected tag {expected} at offset {offset}, found {found}")]
    UnexpectedTag {
        /// Offset of the tag.
        offset: usize,
        /// The required tag.
        expected: Tag,
        /// The tag that was there.
        found: Tag,
    },
    /// Bytes after the object where none may follow.
    #[error("{count} unexpected bytes after the data object at offset {offset}")]
    TrailingBytes {
        /// Offset of the first extra byte.
        offset: usize,
        /// Number of extra bytes.
        count: usize,
    },
}

impl TlvError {
    /// The same error with its offset moved by `base` (for nested parsing).
    #[must_use]
    pub fn shifted(self, base: usize) -> Self {
        match self {
            Self::Truncated { offset, needed } => Self::Truncated {
                offset: offset + base,
                needed,
            },
            Self::TagTooLong { offset } => Self::TagTooLong {
                offset: offset + base,
            },
            Self::IndefiniteLength { offset } => Self::IndefiniteLength {
                offset: offset + base,
            },
            Self::UnsupportedLength { offset, first } => Self::UnsupportedLength {
                offset: offset + base,
                first,
            },
            Self::UnexpectedTag {
                offset,
                expected,
                found,
            } => Self::UnexpectedTag {
                offset: offset + base,
                expected,
                found,
            },
            Self::TrailingBytes { offset, count } => Self::TrailingBytes {
                offset: offset + base,
                count,
            },
        }
    }
}

/// The tag and length of a data object, without its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TlvHeader {
    /// The tag.
    pub tag: Tag,
    /// Bytes taken by tag and length fields.
    pub header_len: usize,
    /// The announced value length.
    pub value_len: usize,
}

impl TlvHeader {
    /// Header plus value length (saturating: a hostile length cannot overflow).
    #[must_use]
    pub fn total_len(&self) -> usize {
        self.header_len.saturating_add(self.value_len)
    }
}

/// Parses only the tag and length at the start of `input`.
///
/// This is what a reader does with the first bytes of a file to learn its
/// length (Doc 9303-10 §3.x: every LDS1 EF is a single data object). The
/// value itself need not be present.
///
/// # Errors
/// [`TlvError::Truncated`] when the tag or length fields are incomplete,
/// and the other variants for malformed fields.
pub fn parse_header(input: &[u8]) -> Result<TlvHeader, TlvError> {
    let (tag, tag_len) = parse_tag(input)?;
    let (value_len, len_len) =
        parse_length(input.get(tag_len..).unwrap_or_default()).map_err(|e| e.shifted(tag_len))?;
    Ok(TlvHeader {
        tag,
        header_len: tag_len + len_len,
        value_len,
    })
}

fn parse_tag(input: &[u8]) -> Result<(Tag, usize), TlvError> {
    let first = *input.first().ok_or(TlvError::Truncated {
        offset: 0,
        needed: 1,
    })?;
    let mut value = u32::from(first);
    if first & 0x1F != 0x1F {
        return Ok((Tag(value), 1));
    }
    // Multi-byte tag: subsequent bytes have b8 set while more follow.
    for i in 1..=3 {
        if i == 3 {
            return Err(TlvError::TagTooLong { offset: 0 });
        }
        let b = *input.get(i).ok_or(TlvError::Truncated {
            offset: i,
            needed: 1,
        })?;
        value = (value << 8) | u32::from(b);
        if b & 0x80 == 0 {
            return Ok((Tag(value), i + 1));
        }
    }
    Err(TlvError::TagTooLong { offset: 0 })
}

fn parse_length(input: &[u8]) -> Result<(usize, usize), TlvError> {
    let first = *input.first().ok_or(TlvError::Truncated {
        offset: 0,
        needed: 1,
    })?;
    match first {
        0x00..=0x7F => Ok((usize::from(first), 1)),
        0x80 => Err(TlvError::IndefiniteLength { offset: 0 }),
        0x81..=0x84 => {
            let n = usize::from(first & 0x7F);
            let bytes = input.get(1..=n).ok_or(TlvError::Truncated {
                offset: input.len(),
                needed: (1 + n).saturating_sub(input.len()),
            })?;
            let len = bytes
                .iter()
                .fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
            Ok((len, 1 + n))
        }
        _ => Err(TlvError::UnsupportedLength { offset: 0, first }),
    }
}

/// One parsed data object borrowing its value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// The tag.
    pub tag: Tag,
    /// The value bytes.
    pub value: &'a [u8],
    /// Bytes taken by tag and length fields.
    pub header_len: usize,
}

impl Tlv<'_> {
    /// Header plus value length.
    #[must_use]
    pub fn total_len(&self) -> usize {
        self.header_len + self.value.len()
    }

    /// Iterates over the children of a constructed object.
    #[must_use]
    pub fn children(&self) -> TlvIter<'_> {
        TlvIter::new(self.value)
    }
}

/// Values may be personal data: the debug view shows tag and length only.
impl fmt::Debug for Tlv<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Tlv {{ tag: {}, len: {} }}", self.tag, self.value.len())
    }
}

/// Parses one complete data object at the start of `input` and returns it
/// with the bytes after it.
///
/// # Errors
/// See [`parse_header`]; also [`TlvError::Truncated`] when the value is
/// shorter than its length field says.
pub fn parse_tlv(input: &[u8]) -> Result<(Tlv<'_>, &[u8]), TlvError> {
    let header = parse_header(input)?;
    let available = input.len() - header.header_len;
    if header.value_len > available {
        return Err(TlvError::Truncated {
            offset: input.len(),
            needed: header.value_len - available,
        });
    }
    let (head, rest) = input.split_at(header.total_len());
    let value = &head[header.header_len..];
    Ok((
        Tlv {
            tag: header.tag,
            value,
            header_len: header.header_len,
        },
        rest,
    ))
}

/// Parses exactly one data object with tag `expected` spanning all of `input`.
///
/// # Errors
/// [`TlvError::UnexpectedTag`], [`TlvError::TrailingBytes`] and the errors of
/// [`parse_tlv`].
pub fn parse_single(input: &[u8], expected: Tag) -> Result<Tlv<'_>, TlvError> {
    let (tlv, rest) = parse_tlv(input)?;
    if tlv.tag != expected {
        return Err(TlvError::UnexpectedTag {
            offset: 0,
            expected,
            found: tlv.tag,
        });
    }
    if !rest.is_empty() {
        return Err(TlvError::TrailingBytes {
            offset: tlv.total_len(),
            count: rest.len(),
        });
    }
    Ok(tlv)
}

/// Iterator over consecutive data objects. Yields `Err` once and then stops.
#[derive(Clone, Debug)]
pub struct TlvIter<'a> {
    rest: &'a [u8],
    offset: usize,
    failed: bool,
}

impl<'a> TlvIter<'a> {
    /// Iterates over the data objects in `input`.
    #[must_use]
    pub fn new(input: &'a [u8]) -> Self {
        Self {
            rest: input,
            offset: 0,
            failed: false,
        }
    }

    /// Offset of the next object relative to the start of the input.
    #[must_use]
    pub fn offset(&self) -> usize {
        self.offset
    }
}

impl<'a> Iterator for TlvIter<'a> {
    type Item = Result<(usize, Tlv<'a>), TlvError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.rest.is_empty() {
            return None;
        }
        match parse_tlv(self.rest) {
            Ok((tlv, rest)) => {
                let at = self.offset;
                self.offset += tlv.total_len();
                self.rest = rest;
                Some(Ok((at, tlv)))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e.shifted(self.offset)))
            }
        }
    }
}

/// Appends a definite length field in its shortest form.
///
/// # Panics
/// For lengths of 4 GiB or more, which have no encoding with at most four
/// length bytes (no chip, file or message of the LDS comes near).
pub fn encode_length(len: usize, out: &mut Vec<u8>) {
    match len {
        0..=0x7F => out.push(len as u8),
        0x80..=0xFF => out.extend_from_slice(&[0x81, len as u8]),
        0x100..=0xFFFF => {
            out.push(0x82);
            out.extend_from_slice(&(len as u16).to_be_bytes());
        }
        0x1_0000..=0xFF_FFFF => {
            out.push(0x83);
            out.extend_from_slice(&(len as u32).to_be_bytes()[1..]);
        }
        _ => {
            // Four length bytes are the most BER-TLV allows here; a value
            // of 4 GiB or more cannot be encoded, and writing a wrong length
            // silently would be worse than stopping.
            let len = u32::try_from(len)
                .unwrap_or_else(|_| panic!("BER-TLV value of {len} bytes exceeds 4 GiB"));
            out.push(0x84);
            out.extend_from_slice(&len.to_be_bytes());
        }
    }
}

/// Appends a complete data object.
pub fn encode_tlv(tag: Tag, value: &[u8], out: &mut Vec<u8>) {
    out.extend_from_slice(&tag.to_bytes());
    encode_length(value.len(), out);
    out.extend_from_slice(value);
}

/// A complete data object as a new vector.
#[must_use]
pub fn tlv(tag: Tag, value: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 8);
    encode_tlv(tag, value, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn header_of_ef_com_prefix() {
        // First four bytes of EF.COM in Doc 9303-11 Appendix D.4.
        let h = parse_header(&[0x60, 0x14, 0x5F, 0x01]).unwrap();
        assert_eq!(
            h,
            TlvHeader {
                tag: Tag(0x60),
                header_len: 2,
                value_len: 0x14
            }
        );
        assert_eq!(h.total_len(), 22);
    }

    #[test]
    fn multi_byte_tags_and_long_lengths() {
        let h = parse_header(&[0x7F, 0x61, 0x82, 0x01, 0x00]).unwrap();
        assert_eq!(h.tag, Tag(0x7F61));
        assert_eq!(h.header_len, 5);
        assert_eq!(h.value_len, 256);
        assert!(h.tag.is_constructed());
        assert_eq!(h.tag.to_bytes(), vec![0x7F, 0x61]);
        assert_eq!(Tag(0x5F1F).to_string(), "5F1F");
    }

    #[test]
    fn precise_errors() {
        assert_eq!(
            parse_header(&[]),
            Err(TlvError::Truncated {
                offset: 0,
                needed: 1
            })
        );
        assert_eq!(
            parse_header(&[0x75, 0x82, 0x01]),
            Err(TlvError::Truncated {
                offset: 3,
                needed: 1
            })
        );
        assert_eq!(
            parse_header(&[0x75, 0x80]),
            Err(TlvError::IndefiniteLength { offset: 1 })
        );
        assert_eq!(
            parse_header(&[0x75, 0x85, 1, 1, 1, 1, 1]),
            Err(TlvError::UnsupportedLength {
                offset: 1,
                first: 0x85
            })
        );
        assert_eq!(
            parse_header(&[0x5F, 0x81, 0x81, 0x01]),
            Err(TlvError::TagTooLong { offset: 0 })
        );
        assert_eq!(
            parse_tlv(&[0x87, 0x05, 1, 2]),
            Err(TlvError::Truncated {
                offset: 4,
                needed: 3
            })
        );
        assert_eq!(
            parse_single(&[0x99, 0x02, 0x90, 0x00, 0x00], Tag(0x99)),
            Err(TlvError::TrailingBytes {
                offset: 4,
                count: 1
            })
        );
    }

    #[test]
    fn iterates_and_reports_offsets() {
        let bytes = [0x87, 0x01, 0xAA, 0x99, 0x02, 0x90, 0x00, 0x8E, 0x09];
        let items: Vec<_> = TlvIter::new(&bytes).collect();
        assert_eq!(items.len(), 3);
        assert_eq!(items[1].as_ref().unwrap().0, 3);
        assert_eq!(
            items[2],
            Err(TlvError::Truncated {
                offset: 9,
                needed: 9
            })
        );
    }

    #[test]
    fn huge_announced_length_does_not_allocate() {
        let bytes = [0x75, 0x84, 0xFF, 0xFF, 0xFF, 0xFF, 0x00];
        let h = parse_header(&bytes).unwrap();
        assert_eq!(h.value_len, 0xFFFF_FFFF);
        assert!(matches!(parse_tlv(&bytes), Err(TlvError::Truncated { .. })));
    }

    proptest! {
        #[test]
        fn encode_parse_round_trip(tag in prop_oneof![
                (0u32..=0xFF).prop_filter("single", |t| t & 0x1F != 0x1F),
                (0x5F01u32..=0x5F7F),
                (0x7F01u32..=0x7F7F)],
            value in prop::collection::vec(any::<u8>(), 0..600)) {
            let bytes = tlv(Tag(tag), &value);
            let parsed = parse_single(&bytes, Tag(tag)).unwrap();
            prop_assert_eq!(parsed.value, &value[..]);
        }

        #[test]
        fn never_panics(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
            let _ = parse_header(&bytes);
            for item in TlvIter::new(&bytes) {
                let _ = item;
            }
        }
    }
}
