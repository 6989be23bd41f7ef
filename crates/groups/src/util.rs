//! Small byte-string helpers shared by the modules.

/// Decodes a hex string into a fixed-size array at compile time (a bad
/// constant fails the build, never the program).
pub(crate) const fn unhex<const N: usize>(s: &str) -> [u8; N] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'A'..=b'F' => c - b'A' + 10,
            b'a'..=b'f' => c - b'a' + 10,
            _ => panic!("invalid hex digit in constant"),
        }
    }
    let s = s.as_bytes();
    assert!(s.len() == 2 * N, "constant has the wrong length");
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = (nibble(s[2 * i]) << 4) | nibble(s[2 * i + 1]);
        i += 1;
    }
    out
}

/// `bytes` without its leading zero bytes (variable time: only for public
/// values such as parameters, points and signatures).
pub(crate) fn strip_leading_zeros(bytes: &[u8]) -> &[u8] {
    let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
    &bytes[first..]
}

/// Left-pads the big-endian integer `bytes` with zeros to exactly `len`
/// bytes. Returns `None` if its value needs more than `len` bytes.
///
/// The running time depends only on the lengths, never on the value, so it
/// may be used on secrets.
pub(crate) fn left_pad(bytes: &[u8], len: usize) -> Option<zeroize::Zeroizing<Vec<u8>>> {
    let mut out = zeroize::Zeroizing::new(vec![0u8; len]);
    if bytes.len() <= len {
        out[len - bytes.len()..].copy_from_slice(bytes);
        return Some(out);
    }
    let (head, tail) = bytes.split_at(bytes.len() - len);
    // Constant time in the value: OR all excess bytes together.
    let excess = head.iter().fold(0u8, |acc, &b| acc | b);
    if excess != 0 {
        return None;
    }
    out.copy_from_slice(tail);
    Some(out)
}

/// Big-endian comparison `a < b` of two equally long byte strings, in
/// constant time.
pub(crate) fn ct_lt(a: &[u8], b: &[u8]) -> subtle::Choice {
    debug_assert_eq!(a.len(), b.len());
    // Scan from the least significant byte: the most significant differing
    // byte decides, so it must overwrite the earlier verdict.
    let mut lt = 0u8;
    for (&x, &y) in a.iter().zip(b.iter()).rev() {
        let x = u16::from(x);
        let y = u16::from(y);
        let is_lt = ((x.wrapping_sub(y) >> 8) & 1) as u8; // x < y
        let is_ne = (((x ^ y) | (x ^ y).wrapping_neg()) >> 8 & 1) as u8; // x != y
        lt = (is_ne & is_lt) | ((1 ^ is_ne) & lt);
    }
    subtle::Choice::from(lt)
}

/// Whether every byte is zero, in constant time.
pub(crate) fn ct_is_zero(a: &[u8]) -> subtle::Choice {
    let acc = a.iter().fold(0u8, |acc, &b| acc | b);
    subtle::ConstantTimeEq::ct_eq(&acc, &0u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ct_lt_matches_slice_ordering() {
        let samples: [[u8; 3]; 6] = [
            [0, 0, 0],
            [0, 0, 1],
            [0, 1, 0],
            [1, 0, 0],
            [0xff, 0, 1],
            [0xff, 0xff, 0xff],
        ];
        for a in samples {
            for b in samples {
                assert_eq!(bool::from(ct_lt(&a, &b)), a < b, "{a:?} < {b:?}");
            }
        }
    }

    #[test]
    fn left_pad_rejects_only_real_overflow() {
        assert_eq!(&left_pad(&[1, 2], 4).unwrap()[..], &[0, 0, 1, 2]);
        assert_eq!(&left_pad(&[0, 0, 1, 2], 2).unwrap()[..], &[1, 2]);
        assert!(left_pad(&[1, 0, 1, 2], 3).is_none());
        assert_eq!(&left_pad(&[], 2).unwrap()[..], &[0, 0]);
    }
}
