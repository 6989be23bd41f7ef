//! Raw DER walking for tests: signatures must be checked over the bytes as
//! they are in the file, never over a re-encoding.

#![allow(dead_code)]

use der::{Decode, Header, Reader, SliceReader};

/// Splits one complete TLV into (header + value) and returns the value.
pub fn value(tlv: &[u8]) -> &[u8] {
    let mut r = SliceReader::new(tlv).unwrap();
    let header = Header::decode(&mut r).unwrap();
    let value = r.read_slice(header.length()).unwrap();
    assert!(r.is_finished(), "trailing bytes after TLV");
    value
}

/// The complete TLVs inside a constructed TLV, in order.
pub fn children(tlv: &[u8]) -> Vec<&[u8]> {
    let mut r = SliceReader::new(value(tlv)).unwrap();
    let mut out = Vec::new();
    while !r.is_finished() {
        out.push(r.tlv_bytes().unwrap());
    }
    out
}

/// Offset of `inner` inside `outer` (both slices of the same buffer).
pub fn offset_in(outer: &[u8], inner: &[u8]) -> usize {
    let start = inner.as_ptr() as usize - outer.as_ptr() as usize;
    assert!(start + inner.len() <= outer.len());
    start
}
