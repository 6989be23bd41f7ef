//! The send sequence counter (Doc 9303-11 §9.8.2).

use zeroize::{Zeroize, ZeroizeOnDrop};

/// The send sequence counter: an unsigned big-endian integer the size of the
/// cipher block (8 bytes for 3DES, 16 for AES), incremented before every
/// command and every response is protected or verified.
///
/// The SSC is derived from the access-control nonces, so it is treated as
/// session secret: zeroized on drop and never printed.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Ssc {
    bytes: [u8; 16],
    len: u8,
}

impl Ssc {
    /// An SSC of `value.len()` bytes; `None` unless the length is 8 or 16.
    #[must_use]
    pub fn new(value: &[u8]) -> Option<Self> {
        if value.len() != 8 && value.len() != 16 {
            return None;
        }
        let mut bytes = [0u8; 16];
        bytes[..value.len()].copy_from_slice(value);
        Some(Self {
            bytes,
            len: value.len() as u8,
        })
    }

    /// An all-zero SSC of `len` bytes (PACE and Chip Authentication start
    /// secure messaging with SSC 0).
    #[must_use]
    pub fn zero(len: usize) -> Option<Self> {
        Self::new(&[0u8; 16][..len.min(16)])
    }

    /// The counter bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// Adds one, wrapping around at 2^(8·len).
    pub fn increment(&mut self) {
        for b in self.bytes[..usize::from(self.len)].iter_mut().rev() {
            let (v, carry) = b.overflowing_add(1);
            *b = v;
            if !carry {
                break;
            }
        }
    }
}

impl From<[u8; 8]> for Ssc {
    /// An 8-byte SSC (3DES).
    fn from(value: [u8; 8]) -> Self {
        let mut bytes = [0u8; 16];
        bytes[..8].copy_from_slice(&value);
        Self { bytes, len: 8 }
    }
}

impl From<[u8; 16]> for Ssc {
    /// A 16-byte SSC (AES).
    fn from(bytes: [u8; 16]) -> Self {
        Self { bytes, len: 16 }
    }
}

/// The SSC is derived from secret nonces: the debug view hides it.
impl core::fmt::Debug for Ssc {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "Ssc({} bytes)", self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn increments_with_carry_and_wraps() {
        let mut s = Ssc::new(&hex::decode("887022120C06C226").unwrap()).unwrap();
        s.increment();
        assert_eq!(s.as_bytes(), hex::decode("887022120C06C227").unwrap());
        let mut s = Ssc::new(&[0, 0, 0, 0, 0, 0, 0, 0xFF]).unwrap();
        s.increment();
        assert_eq!(s.as_bytes(), &[0, 0, 0, 0, 0, 0, 1, 0]);
        let mut s = Ssc::new(&[0xFF; 8]).unwrap();
        s.increment();
        assert_eq!(s.as_bytes(), &[0; 8]);
        assert!(Ssc::new(&[0; 7]).is_none());
        assert_eq!(Ssc::zero(16).unwrap().as_bytes().len(), 16);
    }
}
