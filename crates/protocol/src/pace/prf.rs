//! The pseudo-random function R(s, t) of the Integrated Mapping
//! (Doc 9303-11 §4.4.3.3.2, Figure 2).
//!
//! With the block cipher E in CBC mode and a zero IV: the first key is
//! E(t, s); each round outputs x_i = E(key_i, c1) and moves on to
//! key_{i+1} = E(key_i, c0) truncated to the key size. n rounds are run,
//! n the smallest number with n·l ≥ log2(p) + 64, and the output is
//! x_1 ‖ … ‖ x_n (the caller reduces it mod p).

use zeroize::Zeroizing;

use crate::crypto::{CryptoError, SmAlgorithm, SymmetricKey};

const C0_128: [u8; 16] = hex_literal(b"a668892a7c41e3ca739f40b057d85904");
const C1_128: [u8; 16] = hex_literal(b"a4e136ac725f738b01c1f60217c188ad");
const C0_256: [u8; 32] =
    hex_literal(b"d463d65234124ef7897054986dca0a174e28df758cbaa03f240616414d5a1676");
const C1_256: [u8; 32] =
    hex_literal(b"54bd7255f0aaf831bec3423fcf39d69b6cbf066677d0faae5aadd99df8e53517");

/// Decodes a hex literal at compile time.
const fn hex_literal<const N: usize>(hex: &[u8]) -> [u8; N] {
    const fn nibble(c: u8) -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            b'A'..=b'F' => c - b'A' + 10,
            _ => panic!("not a hex digit"),
        }
    }
    assert!(hex.len() == 2 * N, "hex literal of the wrong length");
    let mut out = [0u8; N];
    let mut i = 0;
    while i < N {
        out[i] = (nibble(hex[2 * i]) << 4) | nibble(hex[2 * i + 1]);
        i += 1;
    }
    out
}

/// R(s, t) for a group whose prime has `p_bits` bits; `s` is the decrypted
/// nonce (l bits), `t` the terminal's nonce (k bits, the key size).
///
/// # Errors
/// [`CryptoError::InvalidKeyLength`] when `t` does not have the key length
/// of `algorithm`, [`CryptoError::NotBlockAligned`] when `s` is not a
/// multiple of the block size.
pub fn integrated_mapping_prf(
    algorithm: SmAlgorithm,
    s: &[u8],
    t: &[u8],
    p_bits: usize,
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    // l is 128 bits for 3DES and AES-128, 256 bits for AES-192/256.
    let (c0, c1): (&[u8], &[u8]) = match algorithm {
        SmAlgorithm::Tdes | SmAlgorithm::Aes128 => (&C0_128, &C1_128),
        SmAlgorithm::Aes192 | SmAlgorithm::Aes256 => (&C0_256, &C1_256),
    };
    let l_bits = c0.len() * 8;
    let n = (p_bits + 64).div_ceil(l_bits);
    let key_len = algorithm.key_len();
    let mut key = Zeroizing::new(SymmetricKey::new(algorithm, t)?.encrypt_zero_iv(s)?);
    key.truncate(key_len);
    let mut out = Zeroizing::new(Vec::with_capacity(n * c1.len()));
    for _ in 0..n {
        let k = SymmetricKey::new(
            algorithm,
            key.get(..key_len).ok_or(CryptoError::InvalidKeyLength)?,
        )?;
        out.extend_from_slice(&k.encrypt_zero_iv(c1)?);
        let mut next = Zeroizing::new(k.encrypt_zero_iv(c0)?);
        next.truncate(key_len);
        key = next;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// Doc 9303-11 Appendix H.1: R(s, t) over brainpoolP256r1 (256-bit p).
    #[test]
    fn appendix_h1_prf() {
        let r = integrated_mapping_prf(
            SmAlgorithm::Aes128,
            &h("2923BE84E16CD6AE529049F1F1BBE9EB"),
            &h("5DD4CBFC96F5453B130D890A1CDBAE32"),
            256,
        )
        .unwrap();
        assert_eq!(
            hex::encode_upper(&*r),
            "E4447E2DFB3586BAC05DDB00156B57FBB2179A3949294C97254189800C517BAA8DA0FF397ED8C445D3E421E4FEB57322"
        );
    }

    #[test]
    fn wrong_nonce_lengths_are_errors() {
        assert!(integrated_mapping_prf(SmAlgorithm::Aes128, &[0; 16], &[0; 15], 256).is_err());
        assert!(integrated_mapping_prf(SmAlgorithm::Aes128, &[0; 15], &[0; 16], 256).is_err());
        assert_eq!(
            integrated_mapping_prf(SmAlgorithm::Aes256, &[0; 32], &[0; 32], 512)
                .unwrap()
                .len(),
            3 * 32
        );
    }
}
