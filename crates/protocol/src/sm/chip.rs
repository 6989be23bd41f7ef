//! The chip's side of a secure-messaging session, for the virtual passport
//! and for tests that play the chip.

use mrtd_iso7816::{CommandApdu, ResponseApdu};

use super::cipher::SmCipher;
use super::codec::{self, SmError};
use super::ssc::Ssc;

/// The chip's secure-messaging state: session keys and SSC.
pub struct ChipSession {
    cipher: Box<dyn SmCipher>,
    ssc: Ssc,
}

impl ChipSession {
    /// A session with the given cipher suite and initial SSC.
    #[must_use]
    pub fn new(cipher: Box<dyn SmCipher>, ssc: Ssc) -> Self {
        Self { cipher, ssc }
    }

    /// Verifies and decrypts a protected command. On error the chip must
    /// answer `6987`/`6988` unprotected and drop the session
    /// (Doc 9303-11 §9.8.7).
    ///
    /// # Errors
    /// Any [`SmError`] of [`codec::unprotect_command`].
    pub fn unprotect_command(&mut self, command: &CommandApdu) -> Result<CommandApdu, SmError> {
        codec::unprotect_command(self.cipher.as_ref(), &mut self.ssc, command)
    }

    /// Protects the response to a command with instruction `ins`.
    ///
    /// # Errors
    /// Only on an internal misuse of the cipher.
    pub fn protect_response(
        &mut self,
        ins: u8,
        response: &ResponseApdu,
    ) -> Result<ResponseApdu, SmError> {
        codec::protect_response(self.cipher.as_ref(), &mut self.ssc, ins, response)
    }
}

impl core::fmt::Debug for ChipSession {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "ChipSession({})", self.cipher.algorithm())
    }
}
