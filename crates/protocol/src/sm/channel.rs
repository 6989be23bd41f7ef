//! The terminal's secure channel as a pair of typed states.
//!
//! A [`SecureChannel`] can only protect a command, which turns it into an
//! [`AwaitingResponse`]; that can only verify the chip's answer, which turns
//! it back into a `SecureChannel`. Sending two commands without reading the
//! response in between, or verifying a response twice, does not compile —
//! and neither does using a channel after a failed verification, because
//! the failure consumes it ([`ChannelLost`]). The SSC therefore cannot be
//! desynchronised silently: either both sides moved it in step, or the
//! caller holds no channel any more and must run access control again.

use mrtd_iso7816::{CommandApdu, ResponseApdu};

use super::cipher::SmCipher;
use super::codec::{self, SmError};
use super::ssc::Ssc;
use crate::crypto::SmAlgorithm;

/// An established secure-messaging session, ready to protect a command.
pub struct SecureChannel {
    cipher: Box<dyn SmCipher>,
    ssc: Ssc,
}

impl SecureChannel {
    /// A session with the given cipher suite and initial SSC.
    #[must_use]
    pub fn new(cipher: Box<dyn SmCipher>, ssc: Ssc) -> Self {
        Self { cipher, ssc }
    }

    /// The cipher suite in use.
    #[must_use]
    pub fn algorithm(&self) -> SmAlgorithm {
        self.cipher.algorithm()
    }

    /// The largest plaintext a READ BINARY may request so that the protected
    /// response fits in `max_response` bytes (see
    /// [`codec::max_plain_response`]).
    #[must_use]
    pub fn max_plain_response(&self, max_response: usize) -> usize {
        codec::max_plain_response(self.cipher.block_size(), max_response)
    }

    /// Protects `command` for sending.
    ///
    /// # Errors
    /// [`Rejected`] (which hands the channel back, unchanged) when the
    /// command cannot be protected, e.g. because it is already protected or
    /// too long.
    pub fn protect(
        mut self,
        command: &CommandApdu,
    ) -> Result<(AwaitingResponse, CommandApdu), Rejected> {
        match codec::protect_command(self.cipher.as_ref(), &mut self.ssc, command) {
            Ok(protected) => Ok((AwaitingResponse { channel: self }, protected)),
            Err(error) => Err(Rejected {
                channel: self,
                error,
            }),
        }
    }
}

impl core::fmt::Debug for SecureChannel {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "SecureChannel({})", self.algorithm())
    }
}

/// A protected command is on its way; only the chip's response can follow.
#[derive(Debug)]
pub struct AwaitingResponse {
    channel: SecureChannel,
}

impl AwaitingResponse {
    /// Verifies and decrypts the chip's response.
    ///
    /// # Errors
    /// [`ChannelLost`] when the response is not a valid protected response
    /// (a bare status word, a MAC failure, malformed data objects). The
    /// session keys are dropped (and zeroized) with it.
    pub fn unprotect(
        mut self,
        response: &ResponseApdu,
    ) -> Result<(SecureChannel, ResponseApdu), ChannelLost> {
        let c = &mut self.channel;
        match codec::unprotect_response(c.cipher.as_ref(), &mut c.ssc, response) {
            Ok(plain) => Ok((self.channel, plain)),
            Err(error) => Err(ChannelLost { error }),
        }
    }

    /// Gives up on the exchange (the transport failed): the session is gone
    /// because the chip may or may not have moved its SSC.
    #[must_use]
    pub fn abandon(self) -> ChannelLost {
        ChannelLost {
            error: SmError::Unprotected {
                sw: mrtd_iso7816::StatusWord::NoPreciseDiagnosis,
            },
        }
    }
}

/// A command the channel refused to protect; the channel is unchanged.
#[derive(Debug, thiserror::Error)]
#[error("command not protected: {error}")]
pub struct Rejected {
    /// The channel, usable again.
    pub channel: SecureChannel,
    /// Why the command was refused.
    pub error: SmError,
}

/// The secure channel has ended; access control must run again.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("secure messaging session lost: {error}")]
pub struct ChannelLost {
    /// Why the session ended.
    pub error: SmError,
}
