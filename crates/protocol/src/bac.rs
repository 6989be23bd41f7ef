//! Basic Access Control (Doc 9303-11 §4.3, worked example in Appendix D).
//!
//! The terminal side is a chain of typed states:
//! [`Bac::start`] → [`AwaitingChallenge`] → [`AwaitingAuthentication`] →
//! [`SecureChannel`]. Each state consumes itself, takes the chip's response
//! and yields the next command, so a step cannot be skipped or repeated.
//! The chip side ([`ChipBac`]) serves the virtual passport.

use mrtd_iso7816::{CommandApdu, ResponseApdu, StatusWord};
use rand_core::CryptoRng;
use sha1::{Digest, Sha1};
use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::crypto::{KdfCounter, SmAlgorithm, TdesKey, kdf, padded};
use crate::sm::{ChipSession, SecureChannel, Ssc, TdesSm};

/// INS of GET CHALLENGE.
pub const INS_GET_CHALLENGE: u8 = 0x84;
/// INS of EXTERNAL / MUTUAL AUTHENTICATE.
pub const INS_MUTUAL_AUTHENTICATE: u8 = 0x82;

/// Length of E_IFD ‖ M_IFD and of E_IC ‖ M_IC.
const CRYPTOGRAM_LEN: usize = 40;

/// The document basic access keys K_enc and K_mac (Doc 9303-11 §9.7.2),
/// derived from the MRZ information.
#[derive(Clone)]
pub struct BacKey {
    k_enc: TdesKey,
    k_mac: TdesKey,
}

impl BacKey {
    /// Derives the keys from the MRZ information: document number, date of
    /// birth and date of expiry, each followed by its check digit
    /// (K_seed = SHA-1(MRZ_information)[0..16]).
    #[must_use]
    pub fn from_mrz_information(mrz_information: &[u8]) -> Self {
        let mut digest = Sha1::digest(mrz_information);
        let mut k_seed = Zeroizing::new([0u8; 16]);
        k_seed.copy_from_slice(&digest[..16]);
        digest.as_mut_slice().zeroize();
        Self::from_seed(&k_seed)
    }

    /// Derives the keys from K_seed.
    #[must_use]
    pub fn from_seed(k_seed: &[u8; 16]) -> Self {
        let k_enc = kdf(k_seed, KdfCounter::Enc, SmAlgorithm::Tdes);
        let k_mac = kdf(k_seed, KdfCounter::Mac, SmAlgorithm::Tdes);
        Self {
            k_enc: TdesKey::from_kdf(&k_enc),
            k_mac: TdesKey::from_kdf(&k_mac),
        }
    }

    /// K_enc.
    #[must_use]
    pub fn k_enc(&self) -> &TdesKey {
        &self.k_enc
    }

    /// K_mac.
    #[must_use]
    pub fn k_mac(&self) -> &TdesKey {
        &self.k_mac
    }
}

impl core::fmt::Debug for BacKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("BacKey(..)")
    }
}

/// Why BAC did not establish a session.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum BacError {
    /// GET CHALLENGE was refused (the chip may not support BAC).
    #[error("GET CHALLENGE refused: {sw}")]
    ChallengeRefused {
        /// The status word.
        sw: StatusWord,
    },
    /// The challenge is not 8 bytes.
    #[error("GET CHALLENGE returned {len} bytes, expected 8")]
    BadChallengeLength {
        /// Bytes received.
        len: usize,
    },
    /// The chip refused MUTUAL AUTHENTICATE: the access key (MRZ) is wrong.
    #[error(
        "the chip refused access control with status {sw}: the document number, date of birth or date of expiry is wrong"
    )]
    Refused {
        /// The status word (`6300` in Doc 9303, some chips send `6982`).
        sw: StatusWord,
    },
    /// The chip answered MUTUAL AUTHENTICATE with a status word that does
    /// not mean "wrong key" (a broken chip, or an altered answer).
    #[error("MUTUAL AUTHENTICATE failed with status {sw}")]
    AuthenticationFailed {
        /// The status word.
        sw: StatusWord,
    },
    /// The chip's cryptogram is not 40 bytes.
    #[error("MUTUAL AUTHENTICATE returned {len} bytes, expected 40")]
    BadCryptogramLength {
        /// Bytes received.
        len: usize,
    },
    /// M_IC does not verify: the answer was not made with our K_mac.
    #[error("the chip's authentication cryptogram has a wrong MAC")]
    ChipMacMismatch,
    /// The decrypted cryptogram does not echo our nonce or the chip's challenge.
    #[error("the chip's authentication cryptogram does not match the nonces")]
    NonceMismatch,
}

/// Entry point of the terminal side.
#[derive(Debug)]
pub struct Bac;

impl Bac {
    /// Starts BAC: returns the state waiting for the challenge and the
    /// GET CHALLENGE command to send.
    #[must_use]
    pub fn start(key: BacKey) -> (AwaitingChallenge, CommandApdu) {
        let cmd = CommandApdu::new(0x00, INS_GET_CHALLENGE, 0x00, 0x00);
        // Ne = 8 is within range, `with_ne` cannot fail.
        let cmd = cmd.clone().with_ne(8).unwrap_or(cmd);
        (AwaitingChallenge { key }, cmd)
    }
}

/// GET CHALLENGE has been sent.
#[derive(Debug)]
pub struct AwaitingChallenge {
    key: BacKey,
}

impl AwaitingChallenge {
    /// Takes RND.IC, draws RND.IFD and K.IFD from `rng` (in that order) and
    /// returns the MUTUAL AUTHENTICATE command (Doc 9303-11 §4.3.4.1 steps 1–4).
    ///
    /// # Errors
    /// [`BacError::ChallengeRefused`] or [`BacError::BadChallengeLength`].
    pub fn on_challenge<R: CryptoRng + ?Sized>(
        self,
        response: &ResponseApdu,
        rng: &mut R,
    ) -> Result<(AwaitingAuthentication, CommandApdu), BacError> {
        if response.sw != StatusWord::Success {
            return Err(BacError::ChallengeRefused { sw: response.sw });
        }
        let rnd_ic: [u8; 8] =
            response
                .data
                .as_slice()
                .try_into()
                .map_err(|_| BacError::BadChallengeLength {
                    len: response.data.len(),
                })?;
        let mut rnd_ifd = [0u8; 8];
        let mut k_ifd = Zeroizing::new([0u8; 16]);
        rng.fill_bytes(&mut rnd_ifd);
        rng.fill_bytes(k_ifd.as_mut());

        // S = RND.IFD ‖ RND.IC ‖ K.IFD; E_IFD = E(K_enc, S); M_IFD = MAC(K_mac, E_IFD).
        let mut s = Zeroizing::new(Vec::with_capacity(32));
        s.extend_from_slice(&rnd_ifd);
        s.extend_from_slice(&rnd_ic);
        s.extend_from_slice(k_ifd.as_ref());
        let (data, _) = cryptogram(&self.key, &s);
        let cmd = CommandApdu::new(0x00, INS_MUTUAL_AUTHENTICATE, 0x00, 0x00);
        // 40 data bytes and Ne = 40 are within range.
        let cmd = cmd
            .with_data(data)
            .and_then(|c| c.with_ne(CRYPTOGRAM_LEN))
            .map_err(|_| BacError::NonceMismatch)?;
        Ok((
            AwaitingAuthentication {
                key: self.key,
                rnd_ic,
                rnd_ifd,
                k_ifd,
            },
            cmd,
        ))
    }
}

/// E(K_enc, s) ‖ MAC(K_mac, pad(E(K_enc, s))) for a 32-byte `s`.
fn cryptogram(key: &BacKey, s: &[u8]) -> (Vec<u8>, [u8; 8]) {
    // `s` is 32 bytes, block-aligned, so neither primitive can fail.
    let e = key.k_enc.encrypt_cbc(&[0; 8], s).unwrap_or_default();
    let m = key.k_mac.retail_mac(&padded(&e, 8)).unwrap_or_default();
    let mut out = e;
    out.extend_from_slice(&m);
    (out, m)
}

/// Splits and checks E ‖ M, returning the decrypted 32 bytes.
fn open_cryptogram(key: &BacKey, data: &[u8]) -> Result<Zeroizing<Vec<u8>>, BacError> {
    if data.len() != CRYPTOGRAM_LEN {
        return Err(BacError::BadCryptogramLength { len: data.len() });
    }
    let (e, m) = data.split_at(32);
    let expected = key
        .k_mac
        .retail_mac(&padded(e, 8))
        .map_err(|_| BacError::ChipMacMismatch)?;
    if !bool::from(expected.ct_eq(m)) {
        return Err(BacError::ChipMacMismatch);
    }
    key.k_enc
        .decrypt_cbc(&[0; 8], e)
        .map(Zeroizing::new)
        .map_err(|_| BacError::ChipMacMismatch)
}

/// MUTUAL AUTHENTICATE has been sent.
pub struct AwaitingAuthentication {
    key: BacKey,
    rnd_ic: [u8; 8],
    rnd_ifd: [u8; 8],
    k_ifd: Zeroizing<[u8; 16]>,
}

impl core::fmt::Debug for AwaitingAuthentication {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AwaitingAuthentication(..)")
    }
}

impl AwaitingAuthentication {
    /// Verifies the chip's cryptogram and derives the session keys and SSC
    /// (Doc 9303-11 §4.3.4.1 steps 8–10, §9.8.2).
    ///
    /// # Errors
    /// [`BacError::Refused`] when the chip rejected the MRZ key, the other
    /// variants when its answer does not authenticate it.
    pub fn on_authentication(self, response: &ResponseApdu) -> Result<SecureChannel, BacError> {
        match response.sw {
            StatusWord::Success => {}
            // Doc 9303-11 §4.3.4.1: 6300 for a failed authentication; chips
            // in the field also answer 6982 or a retry counter.
            sw @ (StatusWord::VerificationFailed
            | StatusWord::SecurityStatusNotSatisfied
            | StatusWord::Counter(_)) => {
                return Err(BacError::Refused { sw });
            }
            sw => return Err(BacError::AuthenticationFailed { sw }),
        }
        let r = open_cryptogram(&self.key, &response.data)?;
        // R = RND.IC ‖ RND.IFD ‖ K.IC
        let echoed_ifd = r[8..16].ct_eq(&self.rnd_ifd);
        let echoed_ic = r[..8].ct_eq(&self.rnd_ic);
        if !bool::from(echoed_ifd & echoed_ic) {
            return Err(BacError::NonceMismatch);
        }
        let (cipher, ssc) = session(self.k_ifd.as_ref(), &r[16..32], &self.rnd_ic, &self.rnd_ifd);
        Ok(SecureChannel::new(Box::new(cipher), ssc))
    }
}

/// K_seed = K.IFD ⊕ K.IC → KS_enc, KS_mac; SSC = RND.IC[4..8] ‖ RND.IFD[4..8].
fn session(k_ifd: &[u8], k_ic: &[u8], rnd_ic: &[u8; 8], rnd_ifd: &[u8; 8]) -> (TdesSm, Ssc) {
    let mut seed = Zeroizing::new([0u8; 16]);
    for (s, (a, b)) in seed.iter_mut().zip(k_ifd.iter().zip(k_ic)) {
        *s = a ^ b;
    }
    let mut ssc_bytes = [0u8; 8];
    ssc_bytes[..4].copy_from_slice(&rnd_ic[4..]);
    ssc_bytes[4..].copy_from_slice(&rnd_ifd[4..]);
    (TdesSm::derive(seed.as_ref()), Ssc::from(ssc_bytes))
}

/// Why the chip side refused a BAC step.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChipBacError {
    /// MUTUAL AUTHENTICATE without a preceding GET CHALLENGE.
    #[error("no challenge outstanding")]
    NoChallenge,
    /// The terminal's cryptogram does not verify (wrong MRZ key).
    #[error("terminal cryptogram rejected")]
    AuthenticationFailed,
}

impl ChipBacError {
    /// The status word the chip answers with (Doc 9303-11 §4.3.4.1:
    /// `6300` for a failed authentication).
    #[must_use]
    pub fn status(self) -> StatusWord {
        match self {
            Self::NoChallenge => StatusWord::ConditionsOfUseNotSatisfied,
            Self::AuthenticationFailed => StatusWord::VerificationFailed,
        }
    }
}

/// The chip side of BAC.
#[derive(Debug)]
pub struct ChipBac {
    key: BacKey,
    rnd_ic: Option<[u8; 8]>,
}

impl ChipBac {
    /// A chip personalised with the access key derived from its MRZ.
    #[must_use]
    pub fn new(key: BacKey) -> Self {
        Self { key, rnd_ic: None }
    }

    /// GET CHALLENGE: draws and remembers RND.IC.
    pub fn get_challenge<R: CryptoRng + ?Sized>(&mut self, rng: &mut R) -> [u8; 8] {
        let mut rnd_ic = [0u8; 8];
        rng.fill_bytes(&mut rnd_ic);
        self.rnd_ic = Some(rnd_ic);
        rnd_ic
    }

    /// MUTUAL AUTHENTICATE: verifies the terminal, draws K.IC, and returns
    /// the response cryptogram and the chip's secure-messaging session.
    /// The challenge is consumed either way (one attempt per challenge).
    ///
    /// # Errors
    /// [`ChipBacError`] with the status word to answer.
    pub fn mutual_authenticate<R: CryptoRng + ?Sized>(
        &mut self,
        data: &[u8],
        rng: &mut R,
    ) -> Result<(Vec<u8>, ChipSession), ChipBacError> {
        let rnd_ic = self.rnd_ic.take().ok_or(ChipBacError::NoChallenge)?;
        let s = open_cryptogram(&self.key, data).map_err(|_| ChipBacError::AuthenticationFailed)?;
        // S = RND.IFD ‖ RND.IC ‖ K.IFD
        if !bool::from(s[8..16].ct_eq(&rnd_ic)) {
            return Err(ChipBacError::AuthenticationFailed);
        }
        let mut rnd_ifd = [0u8; 8];
        rnd_ifd.copy_from_slice(&s[..8]);
        let mut k_ic = Zeroizing::new([0u8; 16]);
        rng.fill_bytes(k_ic.as_mut());
        let mut r = Zeroizing::new(Vec::with_capacity(32));
        r.extend_from_slice(&rnd_ic);
        r.extend_from_slice(&rnd_ifd);
        r.extend_from_slice(k_ic.as_ref());
        let (answer, _) = cryptogram(&self.key, &r);
        let (cipher, ssc) = session(&s[16..32], k_ic.as_ref(), &rnd_ic, &rnd_ifd);
        Ok((answer, ChipSession::new(Box::new(cipher), ssc)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_rng::ScriptedRng;

    fn h(s: &str) -> Vec<u8> {
        hex::decode(s).unwrap()
    }

    #[test]
    fn appendix_d_keys_from_mrz_information() {
        let key = BacKey::from_mrz_information(b"L898902C<369080619406236");
        assert_eq!(
            key.k_enc().as_bytes().to_vec(),
            h("AB94FDECF2674FDFB9B391F85D7F76F2")
        );
        assert_eq!(
            key.k_mac().as_bytes().to_vec(),
            h("7962D9ECE03D1ACD4C76089DCE131543")
        );
    }

    #[test]
    fn chip_and_terminal_agree_and_wrong_keys_are_refused() {
        let mut rng = ScriptedRng::counting();
        let mut chip = ChipBac::new(BacKey::from_mrz_information(b"AB1234567<1800101012301019"));
        let (awaiting, _get_challenge) =
            Bac::start(BacKey::from_mrz_information(b"AB1234567<1800101012301019"));
        let challenge = chip.get_challenge(&mut rng);
        let (awaiting, cmd) = awaiting
            .on_challenge(
                &ResponseApdu::new(challenge.to_vec(), StatusWord::Success),
                &mut rng,
            )
            .unwrap();
        let (answer, _session) = chip.mutual_authenticate(cmd.data(), &mut rng).unwrap();
        assert!(
            awaiting
                .on_authentication(&ResponseApdu::new(answer, StatusWord::Success))
                .is_ok()
        );

        // A terminal with the wrong MRZ is refused by the chip with 6300.
        let (awaiting, _) = Bac::start(BacKey::from_mrz_information(b"AB1234567<1800101012301028"));
        let challenge = chip.get_challenge(&mut rng);
        let (_, cmd) = awaiting
            .on_challenge(
                &ResponseApdu::new(challenge.to_vec(), StatusWord::Success),
                &mut rng,
            )
            .unwrap();
        let err = chip.mutual_authenticate(cmd.data(), &mut rng).unwrap_err();
        assert_eq!(err.status(), StatusWord::VerificationFailed);
        // And the challenge is used up.
        assert_eq!(
            chip.mutual_authenticate(cmd.data(), &mut rng).unwrap_err(),
            ChipBacError::NoChallenge
        );
    }

    #[test]
    fn malformed_chip_answers_are_typed() {
        let mut rng = ScriptedRng::counting();
        let key = BacKey::from_mrz_information(b"L898902C<369080619406236");
        let (awaiting, _) = Bac::start(key.clone());
        assert_eq!(
            awaiting
                .on_challenge(
                    &ResponseApdu::new(vec![1, 2, 3], StatusWord::Success),
                    &mut rng
                )
                .unwrap_err(),
            BacError::BadChallengeLength { len: 3 }
        );
        let (awaiting, _) = Bac::start(key.clone());
        let (awaiting, _) = awaiting
            .on_challenge(
                &ResponseApdu::new(vec![0; 8], StatusWord::Success),
                &mut rng,
            )
            .unwrap();
        assert_eq!(
            awaiting
                .on_authentication(&ResponseApdu::status(StatusWord::VerificationFailed))
                .unwrap_err(),
            BacError::Refused {
                sw: StatusWord::VerificationFailed
            }
        );
        let (awaiting, _) = Bac::start(key.clone());
        let (awaiting, _) = awaiting
            .on_challenge(
                &ResponseApdu::new(vec![0; 8], StatusWord::Success),
                &mut rng,
            )
            .unwrap();
        assert_eq!(
            awaiting
                .on_authentication(&ResponseApdu::new(vec![0; 40], StatusWord::Success))
                .unwrap_err(),
            BacError::ChipMacMismatch
        );
        // A correctly MACed cryptogram that does not echo our nonce.
        let (awaiting, _) = Bac::start(key.clone());
        let (awaiting, _) = awaiting
            .on_challenge(
                &ResponseApdu::new(vec![0; 8], StatusWord::Success),
                &mut rng,
            )
            .unwrap();
        let (forged, _) = cryptogram(&key, &[0x11; 32]);
        assert_eq!(
            awaiting
                .on_authentication(&ResponseApdu::new(forged, StatusWord::Success))
                .unwrap_err(),
            BacError::NonceMismatch
        );
    }
}
