//! Key derivation, padding and the 3DES primitives of Doc 9303-11 §9.
//!
//! The primitives themselves come from RustCrypto (`des`, `cbc`,
//! `retail-mac`, `sha1`); this module only fixes how ICAO combines them.

use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit};
use digest::{Digest, Mac};
use zeroize::Zeroizing;

/// The secure-messaging cipher suites of Doc 9303-11 §9.8.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum SmAlgorithm {
    /// 2-key 3DES in CBC mode with the ISO/IEC 9797-1 MAC algorithm 3 (BAC, PACE with 3DES).
    #[serde(rename = "3DES")]
    Tdes,
    /// AES-128 with CMAC (PACE, CA).
    #[serde(rename = "AES-128")]
    Aes128,
    /// AES-192 with CMAC.
    #[serde(rename = "AES-192")]
    Aes192,
    /// AES-256 with CMAC.
    #[serde(rename = "AES-256")]
    Aes256,
}

impl SmAlgorithm {
    /// Key length in bytes (Doc 9303-11 §9.7.1).
    #[must_use]
    pub const fn key_len(self) -> usize {
        match self {
            Self::Tdes | Self::Aes128 => 16,
            Self::Aes192 => 24,
            Self::Aes256 => 32,
        }
    }

    /// Cipher block size in bytes, which is also the SSC length.
    #[must_use]
    pub const fn block_size(self) -> usize {
        match self {
            Self::Tdes => 8,
            Self::Aes128 | Self::Aes192 | Self::Aes256 => 16,
        }
    }
}

impl core::fmt::Display for SmAlgorithm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Tdes => "3DES",
            Self::Aes128 => "AES-128",
            Self::Aes192 => "AES-192",
            Self::Aes256 => "AES-256",
        })
    }
}

/// The counter values of the key derivation function (Doc 9303-11 §9.7.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u32)]
pub enum KdfCounter {
    /// c = 1: encryption key.
    Enc = 1,
    /// c = 2: MAC key.
    Mac = 2,
    /// c = 3: PACE password key K_π.
    Pace = 3,
}

/// KDF(K, c) of Doc 9303-11 §9.7.1: a hash of `K ‖ c` (c as a 32-bit
/// big-endian counter), truncated to the key length of `algorithm`; for
/// 3DES the parity bits are adjusted (§9.7.1.1).
#[must_use]
pub fn kdf(
    shared_secret: &[u8],
    counter: KdfCounter,
    algorithm: SmAlgorithm,
) -> Zeroizing<Vec<u8>> {
    let c = (counter as u32).to_be_bytes();
    let mut key = Zeroizing::new(match algorithm {
        // SHA-1 suffices for 128-bit keys; 192/256-bit keys need SHA-256.
        SmAlgorithm::Tdes | SmAlgorithm::Aes128 => sha1::Sha1::new()
            .chain_update(shared_secret)
            .chain_update(c)
            .finalize()
            .to_vec(),
        SmAlgorithm::Aes192 | SmAlgorithm::Aes256 => sha2::Sha256::new()
            .chain_update(shared_secret)
            .chain_update(c)
            .finalize()
            .to_vec(),
    });
    key.truncate(algorithm.key_len());
    if algorithm == SmAlgorithm::Tdes {
        adjust_des_parity(&mut key);
    }
    key
}

/// Sets the least significant bit of every byte so that each byte has odd
/// parity, as DES keys require (Doc 9303-11 §9.7.1.1, FIPS 46-3).
pub fn adjust_des_parity(key: &mut [u8]) {
    for b in key {
        let high = *b & 0xFE;
        *b = high | u8::from(high.count_ones() % 2 == 0);
    }
}

/// ISO/IEC 9797-1 padding method 2: append `80`, then `00` up to a multiple
/// of `block` (always at least one byte is added).
pub fn pad(data: &mut Vec<u8>, block: usize) {
    data.push(0x80);
    while !data.len().is_multiple_of(block) {
        data.push(0x00);
    }
}

/// `data` padded by method 2, as a new vector.
#[must_use]
pub fn padded(data: &[u8], block: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() + block);
    out.extend_from_slice(data);
    pad(&mut out, block);
    out
}

/// Removes ISO/IEC 9797-1 method 2 padding; `None` when the padding is
/// malformed (no `80` marker in the last block, or non-zero bytes after it).
#[must_use]
pub fn unpad(data: &[u8], block: usize) -> Option<&[u8]> {
    let marker = data.iter().rposition(|b| *b != 0)?;
    if data[marker] != 0x80 || data.len() - marker > block {
        return None;
    }
    Some(&data[..marker])
}

/// A 2-key 3DES key pair (K_a ‖ K_b) used for CBC encryption with a zero IV
/// and for the retail MAC (Doc 9303-11 §9.8.3 and §9.8.4).
#[derive(Clone)]
pub struct TdesKey(Zeroizing<[u8; 16]>);

impl TdesKey {
    /// Wraps 16 key bytes.
    #[must_use]
    pub fn new(key: [u8; 16]) -> Self {
        Self(Zeroizing::new(key))
    }

    /// Takes the key from a KDF output.
    ///
    /// # Panics
    /// Never for outputs of [`kdf`] with [`SmAlgorithm::Tdes`], which are
    /// always 16 bytes; other lengths are a programming error.
    #[must_use]
    pub fn from_kdf(key: &[u8]) -> Self {
        let mut k = [0u8; 16];
        k.copy_from_slice(key);
        Self::new(k)
    }

    /// The raw key bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// 3DES-CBC encryption of block-aligned data with the given IV.
    ///
    /// # Errors
    /// [`CryptoError::NotBlockAligned`] when `data` is not a multiple of 8 bytes.
    pub fn encrypt_cbc(&self, iv: &[u8; 8], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
        check_aligned(data, 8)?;
        let enc = cbc::Encryptor::<des::TdesEde2>::new(&(*self.0).into(), iv.into());
        Ok(enc.encrypt_padded_vec::<NoPadding>(data))
    }

    /// 3DES-CBC decryption of block-aligned data with the given IV.
    ///
    /// # Errors
    /// [`CryptoError::NotBlockAligned`] when `data` is not a multiple of 8 bytes.
    pub fn decrypt_cbc(&self, iv: &[u8; 8], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
        check_aligned(data, 8)?;
        let dec = cbc::Decryptor::<des::TdesEde2>::new(&(*self.0).into(), iv.into());
        dec.decrypt_padded_vec::<NoPadding>(data)
            .map_err(|_| CryptoError::NotBlockAligned {
                len: data.len(),
                block: 8,
            })
    }

    /// ISO/IEC 9797-1 MAC algorithm 3 (retail MAC with single-DES
    /// iterations and a final 3DES block) over data that the caller has
    /// already padded with method 2.
    ///
    /// # Errors
    /// [`CryptoError::NotBlockAligned`] when `padded` is not a multiple of 8
    /// bytes (the `retail-mac` crate would zero-pad it, which ICAO forbids).
    pub fn retail_mac(&self, padded: &[u8]) -> Result<[u8; 8], CryptoError> {
        check_aligned(padded, 8)?;
        let mut mac = <retail_mac::RetailMac<des::Des> as KeyInit>::new_from_slice(self.0.as_ref())
            .map_err(|_| CryptoError::InvalidKeyLength)?;
        mac.update(padded);
        let out = mac.finalize().into_bytes();
        let mut tag = [0u8; 8];
        tag.copy_from_slice(&out);
        Ok(tag)
    }
}

/// Key material never appears in debug output.
impl core::fmt::Debug for TdesKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("TdesKey(..)")
    }
}

/// An AES key of 128, 192 or 256 bits for CBC encryption, single-block
/// encryption (the secure-messaging IV, Doc 9303-11 §9.8.6.3) and CMAC
/// (§9.8.6.2, NIST SP 800-38B).
#[derive(Clone)]
pub struct AesKey(Zeroizing<Vec<u8>>);

impl AesKey {
    /// Wraps 16, 24 or 32 key bytes.
    ///
    /// # Errors
    /// [`CryptoError::InvalidKeyLength`] for other lengths.
    pub fn new(key: &[u8]) -> Result<Self, CryptoError> {
        match key.len() {
            16 | 24 | 32 => Ok(Self(Zeroizing::new(key.to_vec()))),
            _ => Err(CryptoError::InvalidKeyLength),
        }
    }

    /// The raw key bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// AES-CBC encryption of block-aligned data.
    ///
    /// # Errors
    /// [`CryptoError::NotBlockAligned`] when `data` is not a multiple of 16 bytes.
    pub fn encrypt_cbc(&self, iv: &[u8; 16], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
        check_aligned(data, 16)?;
        let key = self.0.as_slice();
        Ok(match key.len() {
            16 => cbc::Encryptor::<aes::Aes128>::new_from_slices(key, iv)
                .map_err(|_| CryptoError::InvalidKeyLength)?
                .encrypt_padded_vec::<NoPadding>(data),
            24 => cbc::Encryptor::<aes::Aes192>::new_from_slices(key, iv)
                .map_err(|_| CryptoError::InvalidKeyLength)?
                .encrypt_padded_vec::<NoPadding>(data),
            _ => cbc::Encryptor::<aes::Aes256>::new_from_slices(key, iv)
                .map_err(|_| CryptoError::InvalidKeyLength)?
                .encrypt_padded_vec::<NoPadding>(data),
        })
    }

    /// AES-CBC decryption of block-aligned data.
    ///
    /// # Errors
    /// [`CryptoError::NotBlockAligned`] when `data` is not a multiple of 16 bytes.
    pub fn decrypt_cbc(&self, iv: &[u8; 16], data: &[u8]) -> Result<Vec<u8>, CryptoError> {
        check_aligned(data, 16)?;
        let key = self.0.as_slice();
        let unaligned = |_| CryptoError::NotBlockAligned {
            len: data.len(),
            block: 16,
        };
        match key.len() {
            16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
                .map_err(|_| CryptoError::InvalidKeyLength)?
                .decrypt_padded_vec::<NoPadding>(data)
                .map_err(unaligned),
            24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(key, iv)
                .map_err(|_| CryptoError::InvalidKeyLength)?
                .decrypt_padded_vec::<NoPadding>(data)
                .map_err(unaligned),
            _ => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
                .map_err(|_| CryptoError::InvalidKeyLength)?
                .decrypt_padded_vec::<NoPadding>(data)
                .map_err(unaligned),
        }
    }

    /// E(K, block): one block in ECB mode (CBC with a zero IV over one block).
    #[must_use]
    pub fn encrypt_block(&self, block: &[u8; 16]) -> [u8; 16] {
        let mut out = [0u8; 16];
        // One aligned block and a valid key length: cannot fail.
        if let Ok(c) = self.encrypt_cbc(&[0; 16], block) {
            out.copy_from_slice(&c);
        }
        out
    }

    /// CMAC over `data`, truncated to 8 bytes.
    #[must_use]
    pub fn cmac8(&self, data: &[u8]) -> [u8; 8] {
        macro_rules! cmac_with {
            ($cipher:ty, $key:expr) => {{
                <cmac::Cmac<$cipher> as KeyInit>::new_from_slice($key)
                    .ok()
                    .and_then(|mut mac| {
                        mac.update(data);
                        let full = mac.finalize().into_bytes();
                        let mut tag = [0u8; 8];
                        tag.copy_from_slice(full.get(..8)?);
                        Some(tag)
                    })
            }};
        }
        let key = self.0.as_slice();
        let tag = match key.len() {
            16 => cmac_with!(aes::Aes128, key),
            24 => cmac_with!(aes::Aes192, key),
            _ => cmac_with!(aes::Aes256, key),
        };
        // The key length was checked at construction.
        tag.unwrap_or([0; 8])
    }
}

impl core::fmt::Debug for AesKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "AesKey({} bits, ..)", self.0.len() * 8)
    }
}

/// A key of one of the secure-messaging block ciphers, with the operations
/// PACE needs independently of the cipher: nonce encryption, the
/// pseudo-random function of the Integrated Mapping, authentication tokens.
#[derive(Clone, Debug)]
pub enum SymmetricKey {
    /// 2-key 3DES.
    Tdes(TdesKey),
    /// AES-128/192/256.
    Aes(AesKey),
}

impl SymmetricKey {
    /// A key for `algorithm` from `bytes` (16 bytes for 3DES and AES-128,
    /// 24 for AES-192, 32 for AES-256).
    ///
    /// # Errors
    /// [`CryptoError::InvalidKeyLength`] for a length that does not match.
    pub fn new(algorithm: SmAlgorithm, bytes: &[u8]) -> Result<Self, CryptoError> {
        if bytes.len() != algorithm.key_len() {
            return Err(CryptoError::InvalidKeyLength);
        }
        Ok(match algorithm {
            SmAlgorithm::Tdes => {
                let mut k = [0u8; 16];
                k.copy_from_slice(bytes);
                Self::Tdes(TdesKey::new(k))
            }
            _ => Self::Aes(AesKey::new(bytes)?),
        })
    }

    /// Derives the key for `counter` from a shared secret (§9.7.1).
    #[must_use]
    pub fn derive(algorithm: SmAlgorithm, shared_secret: &[u8], counter: KdfCounter) -> Self {
        let key = kdf(shared_secret, counter, algorithm);
        // The KDF output always has the algorithm's key length.
        Self::new(algorithm, &key).unwrap_or_else(|_| Self::Tdes(TdesKey::new([0; 16])))
    }

    /// The cipher block size.
    #[must_use]
    pub fn block_size(&self) -> usize {
        match self {
            Self::Tdes(_) => 8,
            Self::Aes(_) => 16,
        }
    }

    /// The raw key bytes (for published test vectors).
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        match self {
            Self::Tdes(k) => k.as_bytes(),
            Self::Aes(k) => k.as_bytes(),
        }
    }

    /// CBC encryption with an all-zero IV (PACE nonce, §4.4.3.3; the
    /// pseudo-random function of §4.4.3.3.2).
    ///
    /// # Errors
    /// [`CryptoError::NotBlockAligned`] for unaligned data.
    pub fn encrypt_zero_iv(&self, data: &[u8]) -> Result<Vec<u8>, CryptoError> {
        match self {
            Self::Tdes(k) => k.encrypt_cbc(&[0; 8], data),
            Self::Aes(k) => k.encrypt_cbc(&[0; 16], data),
        }
    }

    /// CBC decryption with an all-zero IV.
    ///
    /// # Errors
    /// [`CryptoError::NotBlockAligned`] for unaligned data.
    pub fn decrypt_zero_iv(&self, data: &[u8]) -> Result<Vec<u8>, CryptoError> {
        match self {
            Self::Tdes(k) => k.decrypt_cbc(&[0; 8], data),
            Self::Aes(k) => k.decrypt_cbc(&[0; 16], data),
        }
    }

    /// The 8-byte MAC over data the caller has already padded with method 2
    /// (secure messaging): retail MAC for 3DES, CMAC for AES.
    ///
    /// # Errors
    /// [`CryptoError::NotBlockAligned`] for unpadded 3DES input.
    pub fn mac_padded(&self, padded_data: &[u8]) -> Result<[u8; 8], CryptoError> {
        match self {
            Self::Tdes(k) => k.retail_mac(padded_data),
            Self::Aes(k) => Ok(k.cmac8(padded_data)),
        }
    }

    /// The 8-byte MAC with the cipher's own padding (authentication tokens,
    /// §4.4.3.4: method 2 inside the retail MAC for 3DES, CMAC's padding
    /// for AES — no application padding).
    #[must_use]
    pub fn mac_unpadded(&self, data: &[u8]) -> [u8; 8] {
        match self {
            Self::Tdes(k) => k.retail_mac(&padded(data, 8)).unwrap_or([0; 8]),
            Self::Aes(k) => k.cmac8(data),
        }
    }
}

/// A misuse of a primitive that the protocol code must rule out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// Data for a block operation is not a multiple of the block size.
    #[error("{len} bytes is not a multiple of the {block}-byte cipher block")]
    NotBlockAligned {
        /// Data length.
        len: usize,
        /// Block size.
        block: usize,
    },
    /// A key of the wrong length.
    #[error("invalid key length")]
    InvalidKeyLength,
}

fn check_aligned(data: &[u8], block: usize) -> Result<(), CryptoError> {
    if data.len().is_multiple_of(block) {
        Ok(())
    } else {
        Err(CryptoError::NotBlockAligned {
            len: data.len(),
            block,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// Doc 9303-11 Appendix D.2: K_seed → K_enc and K_mac.
    #[test]
    fn appendix_d2_key_derivation() {
        let k_seed = h("239AB9CB282DAF66231DC5A4DF6BFBAE");
        assert_eq!(
            *kdf(&k_seed, KdfCounter::Enc, SmAlgorithm::Tdes),
            h("AB94FDECF2674FDFB9B391F85D7F76F2")
        );
        assert_eq!(
            *kdf(&k_seed, KdfCounter::Mac, SmAlgorithm::Tdes),
            h("7962D9ECE03D1ACD4C76089DCE131543")
        );
    }

    #[test]
    fn parity_adjustment() {
        // Pre-parity halves of Appendix D.2 and their adjusted forms.
        let mut k = h("AB94FCEDF2664EDFB9B291F85D7F77F2");
        adjust_des_parity(&mut k);
        assert_eq!(k, h("AB94FDECF2674FDFB9B391F85D7F76F2"));
    }

    #[test]
    fn padding_method_2() {
        assert_eq!(padded(&h("011E"), 8), h("011E800000000000"));
        assert_eq!(padded(&[0u8; 8], 8).len(), 16);
        assert_eq!(unpad(&h("011E800000000000"), 8), Some(&h("011E")[..]));
        assert_eq!(unpad(&h("011E000000000000"), 8), None);
        assert_eq!(
            unpad(
                &h("8000000000000000 0000000000000000"
                    .replace(' ', "")
                    .as_str()),
                8
            ),
            None
        );
        assert_eq!(unpad(&[], 8), None);
    }

    /// Doc 9303-11 Appendix D.3: E_IFD and M_IFD.
    #[test]
    fn appendix_d3_cryptogram_and_mac() {
        let k_enc = TdesKey::from_kdf(&h("AB94FDECF2674FDFB9B391F85D7F76F2"));
        let k_mac = TdesKey::from_kdf(&h("7962D9ECE03D1ACD4C76089DCE131543"));
        let s = h("781723860C06C2264608F919887022120B795240CB7049B01C19B33E32804F0B");
        let e_ifd = k_enc.encrypt_cbc(&[0; 8], &s).unwrap();
        assert_eq!(
            e_ifd,
            h("72C29C2371CC9BDB65B779B8E8D37B29ECC154AA56A8799FAE2F498F76ED92F2")
        );
        assert_eq!(
            k_mac.retail_mac(&padded(&e_ifd, 8)).unwrap().to_vec(),
            h("5F1448EEA8AD90A7")
        );
        assert_eq!(k_enc.decrypt_cbc(&[0; 8], &e_ifd).unwrap(), s);
        assert!(k_mac.retail_mac(&e_ifd[..7]).is_err());
    }
}
