//! Secure-messaging cipher suites: one trait, one implementation per suite.
//!
//! The message format (§9.8.5–9.8.6) is the same for every suite; only the
//! block size, the IV and the MAC differ. [`SmCipher`] captures exactly
//! that difference, so AES (PACE, Chip Authentication) is a second
//! implementation of the trait, not a second copy of secure messaging.

use zeroize::Zeroizing;

use super::ssc::Ssc;
use crate::crypto::{CryptoError, KdfCounter, SmAlgorithm, TdesKey, kdf, padded};

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
