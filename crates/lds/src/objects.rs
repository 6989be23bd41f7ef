//! BER-TLV walking with offsets relative to the file, on top of
//! `mrtd_iso7816::tlv`, and the byte cursor the binary biometric records
//! are read with.

use mrtd_iso7816::tlv::{self, Tag};

use crate::{EfId, LdsError};

/// A data object inside a file, with where it starts.
#[derive(Clone, Copy)]
pub(crate) struct Object<'a> {
    pub(crate) tag: Tag,
    pub(crate) value: &'a [u8],
    /// Offset of the tag.
    pub(crate) offset: usize,
    /// Offset of the first value byte.
    pub(crate) value_offset: usize,
}

impl<'a> Object<'a> {
    /// The data objects inside this one, in order.
    pub(crate) fn children(&self, ef: EfId) -> Result<Vec<Object<'a>>, LdsError> {
        let mut out = Vec::new();
        for item in tlv::TlvIter::new(self.value) {
            let (at, child) = item.map_err(|e| LdsError::Tlv {
                ef,
                source: e.shifted(self.value_offset),
            })?;
            let offset = self.value_offset + at;
            out.push(Object {
                tag: child.tag,
                value: child.value,
                offset,
                value_offset: offset + child.header_len,
            });
        }
        Ok(out)
    }

    /// The error for a child that has no place in this object.
    pub(crate) fn unexpected(&self, ef: EfId, child: &Object<'_>) -> LdsError {
        LdsError::UnexpectedObject {
            ef,
            offset: child.offset,
            parent: self.tag,
            tag: child.tag,
        }
    }

    /// The error for a mandatory child that is absent.
    pub(crate) fn missing(&self, ef: EfId, tag: Tag) -> LdsError {
        LdsError::MissingObject {
            ef,
            offset: self.offset,
            parent: self.tag,
            tag,
        }
    }
}

/// The single data object with tag `expected` that makes up a whole file.
pub(crate) fn file_object(ef: EfId, bytes: &[u8], expected: Tag) -> Result<Object<'_>, LdsError> {
    let tlv = tlv::parse_single(bytes, expected).map_err(|source| LdsError::Tlv { ef, source })?;
    Ok(Object {
        tag: tlv.tag,
        value: tlv.value,
        offset: 0,
        value_offset: tlv.header_len,
    })
}

/// Stores a child in `slot`, refusing a second one.
pub(crate) fn set_once<'a>(
    ef: EfId,
    slot: &mut Option<Object<'a>>,
    child: Object<'a>,
) -> Result<(), LdsError> {
    if slot.is_some() {
        return Err(LdsError::DuplicateObject {
            ef,
            offset: child.offset,
            tag: child.tag,
        });
    }
    *slot = Some(child);
    Ok(())
}

/// Reads big-endian fields from a byte slice that is hostile input: every
/// read is checked against the bytes that are there.
pub(crate) struct Cursor<'a> {
    ef: EfId,
    bytes: &'a [u8],
    pos: usize,
    /// File offset of `bytes[0]`.
    base: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(ef: EfId, bytes: &'a [u8], base: usize) -> Self {
        Self {
            ef,
            bytes,
            pos: 0,
            base,
        }
    }

    /// File offset of the next byte.
    pub(crate) fn offset(&self) -> usize {
        self.base + self.pos
    }

    pub(crate) fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    pub(crate) fn take(&mut self, n: usize, field: &'static str) -> Result<&'a [u8], LdsError> {
        let out = self
            .pos
            .checked_add(n)
            .and_then(|end| self.bytes.get(self.pos..end))
            .ok_or(LdsError::Truncated {
                ef: self.ef,
                offset: self.offset(),
                field,
                needed: n,
                available: self.remaining(),
            })?;
        self.pos += n;
        Ok(out)
    }

    pub(crate) fn array<const N: usize>(
        &mut self,
        field: &'static str,
    ) -> Result<[u8; N], LdsError> {
        let bytes = self.take(N, field)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    pub(crate) fn u8(&mut self, field: &'static str) -> Result<u8, LdsError> {
        Ok(self.array::<1>(field)?[0])
    }

    pub(crate) fn u16(&mut self, field: &'static str) -> Result<u16, LdsError> {
        Ok(u16::from_be_bytes(self.array(field)?))
    }

    pub(crate) fn u24(&mut self, field: &'static str) -> Result<u32, LdsError> {
        let [a, b, c] = self.array(field)?;
        Ok(u32::from_be_bytes([0, a, b, c]))
    }

    pub(crate) fn u32(&mut self, field: &'static str) -> Result<u32, LdsError> {
        Ok(u32::from_be_bytes(self.array(field)?))
    }

    /// The rest of the bytes.
    pub(crate) fn rest(&mut self) -> &'a [u8] {
        let out = self.bytes.get(self.pos..).unwrap_or_default();
        self.pos = self.bytes.len();
        out
    }
}

/// The data object with tag `expected` at the start of a file; bytes after
/// it are a [`Defect::TrailingBytes`](crate::lenient::Defect) (an error in
/// strict mode, with the error [`file_object`] gives).
pub(crate) fn lenient_root<'a>(
    diag: &mut crate::lenient::Diag,
    bytes: &'a [u8],
    expected: Tag,
) -> Result<Object<'a>, LdsError> {
    let ef = diag.ef();
    if diag.strict() {
        return file_object(ef, bytes, expected);
    }
    let (tlv, rest) = tlv::parse_tlv(bytes).map_err(|source| LdsError::Tlv { ef, source })?;
    if tlv.tag != expected {
        return Err(LdsError::Tlv {
            ef,
            source: tlv::TlvError::UnexpectedTag {
                offset: 0,
                expected,
                found: tlv.tag,
            },
        });
    }
    if !rest.is_empty() {
        diag.warn(
            tlv.total_len(),
            crate::lenient::Defect::TrailingBytes {
                count: rest.len(),
                what: crate::lenient::TrailingData::classify(rest),
            },
        )?;
    }
    Ok(Object {
        tag: tlv.tag,
        value: tlv.value,
        offset: 0,
        value_offset: tlv.header_len,
    })
}
