//! Secure-messaging cipher suites: one trait, one implementation per suite.
//!
//! The message format (§9.8.5–9.8.6) is the same for every suite; only the
//! block size, the IV and the MAC differ. [`SmCipher`] captures exactly
//! that difference, so AES (PACE, Chip Authentication) is a second
//! implementation of the trait, not a second copy of secure messaging.

use zeroize::Zeroizing;

use super::ssc::Ssc;
use crate::crypto::{AesKey, CryptoError, KdfCounter, SmAlgorithm, TdesKey, kdf, padded};

/// The per-suite part of secure messaging.
pub trait SmCipher: Send + Sync {
    /// Which suite this is.
    fn algorithm(&self) -> SmAlgorithm;

    /// Block size in bytes (8 for 3DES, 16 for AES); also the SSC length.
    fn block_size(&self) -> usize {
        self.algorithm().block_size()
    }

    /// Encrypts block-aligned (already padded) data of the message whose
    /// send sequence counter is `ssc`.
    ///
    /// # Errors
    /// [`CryptoError::NotBlockAligned`] for unaligned data.
    fn encrypt(&self, ssc: &Ssc, padded: &[u8]) -> Result<Vec<u8>, CryptoError>;

    /// Decrypts block-aligned data; the result still carries its padding.
    ///
    /// # Errors
    /// [`CryptoError::NotBlockAligned`] for unaligned data.
    fn decrypt(&self, ssc: &Ssc, ciphertext: &[u8]) -> Result<Vec<u8>, CryptoError>;

    /// The 8-byte cryptographic checksum over `pad(SSC ‖ data)`.
    fn mac(&self, ssc: &Ssc, data: &[u8]) -> [u8; 8];
}

/// Session keys KS_enc and KS_mac for 3DES secure messaging
/// (Doc 9303-11 §9.8.3: CBC with IV 0; §9.8.4: ISO/IEC 9797-1 MAC
/// algorithm 3, padding method 2).
#[derive(Debug, Clone)]
pub struct TdesSm {
    ks_enc: TdesKey,
    ks_mac: TdesKey,
}

impl TdesSm {
    /// Uses the given session keys.
    #[must_use]
    pub fn new(ks_enc: TdesKey, ks_mac: TdesKey) -> Self {
        Self { ks_enc, ks_mac }
    }

    /// Derives KS_enc and KS_mac from a shared secret (K_seed for BAC,
    /// K for PACE) with the KDF of §9.7.1.
    #[must_use]
    pub fn derive(shared_secret: &[u8]) -> Self {
        let enc = kdf(shared_secret, KdfCounter::Enc, SmAlgorithm::Tdes);
        let mac = kdf(shared_secret, KdfCounter::Mac, SmAlgorithm::Tdes);
        Self::new(TdesKey::from_kdf(&enc), TdesKey::from_kdf(&mac))
    }

    /// KS_enc (for tests against published vectors).
    #[must_use]
    pub fn ks_enc(&self) -> &TdesKey {
        &self.ks_enc
    }

    /// KS_mac (for tests against published vectors).
    #[must_use]
    pub fn ks_mac(&self) -> &TdesKey {
        &self.ks_mac
    }
}

impl SmCipher for TdesSm {
    fn algorithm(&self) -> SmAlgorithm {
        SmAlgorithm::Tdes
    }

    fn encrypt(&self, _ssc: &Ssc, padded: &[u8]) -> Result<Vec<u8>, CryptoError> {
        // §9.8.3: 3DES secure messaging uses a zero IV.
        self.ks_enc.encrypt_cbc(&[0; 8], padded)
    }

    fn decrypt(&self, _ssc: &Ssc, ciphertext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.ks_enc.decrypt_cbc(&[0; 8], ciphertext)
    }

    fn mac(&self, ssc: &Ssc, data: &[u8]) -> [u8; 8] {
        let mut input = Zeroizing::new(Vec::with_capacity(8 + data.len() + 8));
        input.extend_from_slice(ssc.as_bytes());
        input.extend_from_slice(data);
        let input = Zeroizing::new(padded(&input, 8));
        // The input is padded to the block size just above, so the MAC
        // cannot fail on alignment.
        self.ks_mac.retail_mac(&input).unwrap_or([0; 8])
    }
}

/// Session keys KS_enc and KS_mac for AES secure messaging (Doc 9303-11
/// §9.8.6.3: CBC with IV = E(KS_enc, SSC); §9.8.6.2: CMAC truncated to 8
/// bytes over the method-2-padded input; the SSC is 16 bytes).
#[derive(Debug, Clone)]
pub struct AesSm {
    algorithm: SmAlgorithm,
    ks_enc: AesKey,
    ks_mac: AesKey,
}

impl AesSm {
    /// Derives KS_enc and KS_mac for `algorithm` (AES-128/192/256) from a
    /// shared secret with the KDF of §9.7.1.
    ///
    /// # Errors
    /// [`CryptoError::InvalidKeyLength`] when `algorithm` is 3DES.
    pub fn derive(algorithm: SmAlgorithm, shared_secret: &[u8]) -> Result<Self, CryptoError> {
        if algorithm == SmAlgorithm::Tdes {
            return Err(CryptoError::InvalidKeyLength);
        }
        let enc = kdf(shared_secret, KdfCounter::Enc, algorithm);
        let mac = kdf(shared_secret, KdfCounter::Mac, algorithm);
        Ok(Self {
            algorithm,
            ks_enc: AesKey::new(&enc)?,
            ks_mac: AesKey::new(&mac)?,
        })
    }

    /// KS_enc.
    #[must_use]
    pub fn ks_enc(&self) -> &AesKey {
        &self.ks_enc
    }

    /// KS_mac.
    #[must_use]
    pub fn ks_mac(&self) -> &AesKey {
        &self.ks_mac
    }

    fn iv(&self, ssc: &Ssc) -> [u8; 16] {
        let mut block = [0u8; 16];
        let bytes = ssc.as_bytes();
        // An AES session always has a 16-byte SSC; a shorter one is right-aligned.
        let start = 16usize.saturating_sub(bytes.len());
        block[start..].copy_from_slice(&bytes[..bytes.len().min(16)]);
        self.ks_enc.encrypt_block(&block)
    }
}

impl SmCipher for AesSm {
    fn algorithm(&self) -> SmAlgorithm {
        self.algorithm
    }

    fn encrypt(&self, ssc: &Ssc, padded: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.ks_enc.encrypt_cbc(&self.iv(ssc), padded)
    }

    fn decrypt(&self, ssc: &Ssc, ciphertext: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.ks_enc.decrypt_cbc(&self.iv(ssc), ciphertext)
    }

    fn mac(&self, ssc: &Ssc, data: &[u8]) -> [u8; 8] {
        let mut input = Zeroizing::new(Vec::with_capacity(16 + data.len() + 16));
        input.extend_from_slice(ssc.as_bytes());
        input.extend_from_slice(data);
        let input = Zeroizing::new(padded(&input, 16));
        self.ks_mac.cmac8(&input)
    }
}

/// The session cipher for `algorithm` with keys derived from `shared_secret`.
#[must_use]
pub fn derive_session_cipher(algorithm: SmAlgorithm, shared_secret: &[u8]) -> Box<dyn SmCipher> {
    match AesSm::derive(algorithm, shared_secret) {
        Ok(aes) => Box::new(aes),
        Err(_) => Box::new(TdesSm::derive(shared_secret)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    /// BSI "Worked Example for EAC" 1.01, secure messaging examples
    /// (AES-128 keys from its PACE run, brainpoolP256r1).
    #[test]
    fn bsi_worked_example_aes_secure_messaging() {
        let ks_enc = AesKey::new(&h("68406B4162100563D9C901A6154D2901")).unwrap();
        let ks_mac = AesKey::new(&h("73FF268784F72AF833FDC9464049AFC9")).unwrap();
        let sm = AesSm {
            algorithm: SmAlgorithm::Aes128,
            ks_enc,
            ks_mac,
        };
        let mut one = [0u8; 16];
        one[15] = 1;
        let plain = padded(&h("830D44454356434141543030303031"), 16);
        assert_eq!(
            sm.encrypt(&Ssc::from(one), &plain).unwrap(),
            h("BE90237EEB4BA0FF253EA246AE31C8B8")
        );
        let mut two = [0u8; 16];
        two[15] = 2;
        assert_eq!(
            sm.mac(&Ssc::from(two), &h("99029000")).to_vec(),
            h("A89570A68664A7D6")
        );
    }

    /// Doc 9303-11 Appendix G.1: KS_enc and KS_mac from the shared secret K.
    #[test]
    fn appendix_g1_session_keys() {
        let sm = AesSm::derive(
            SmAlgorithm::Aes128,
            &h("28768D20701247DAE81804C9E780EDE582A9996DB4A315020B2733197DB84925"),
        )
        .unwrap();
        assert_eq!(
            sm.ks_enc().as_bytes(),
            h("F5F0E35C0D7161EE6724EE513A0D9A7F")
        );
        assert_eq!(
            sm.ks_mac().as_bytes(),
            h("FE251C7858B356B24514B3BD5F4297D1")
        );
        assert!(AesSm::derive(SmAlgorithm::Tdes, &[0; 16]).is_err());
    }
}
