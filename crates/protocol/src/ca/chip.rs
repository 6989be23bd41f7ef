//! The chip side of Chip Authentication v1, for the virtual passport and
//! for tests that play the chip (Doc 9303-11 §6.2, the chip's column).
//!
//! The chip holds its static key SK_IC. The commands it receives are the
//! plain ones (the card unprotects them with its current session first);
//! when the key agreement completes it answers — under the *old* session,
//! which the card applies — and switches to the returned [`ChipSession`]
//! from the next command on (§6.2.4: "the IC ... restarts secure messaging
//! with the new keys").

use mrtd_iso7816::tlv::{self, Tag, TlvIter};
use mrtd_iso7816::{CommandApdu, ResponseApdu, StatusWord};

use super::CaProtocol;
use super::keys::{CaPrivateKey, CaPublicKey};
use super::messages::{P1P2_SET_AT, P1P2_SET_KAT, decode_key_id};
use crate::pace::messages::{INS_GENERAL_AUTHENTICATE, INS_MSE};
use crate::sm::{ChipSession, Ssc, derive_session_cipher};

/// What a Chip Authentication command produced.
pub enum ChipCaStep {
    /// Answer and stay in the current session.
    Continue(ResponseApdu),
    /// Chip Authentication completed: send this answer under the current
    /// session, then use the new one from the next command on.
    Established(ResponseApdu, ChipSession),
}

impl core::fmt::Debug for ChipCaStep {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Continue(r) => f.debug_tuple("Continue").field(r).finish(),
            Self::Established(r, s) => f.debug_tuple("Established").field(r).field(s).finish(),
        }
    }
}

impl ChipCaStep {
    /// The answer to send, whatever comes next.
    #[must_use]
    pub fn response(&self) -> &ResponseApdu {
        match self {
            Self::Continue(r) | Self::Established(r, _) => r,
        }
    }
}

/// The chip side of Chip Authentication.
pub struct ChipCa {
    protocol: CaProtocol,
    key: CaPrivateKey,
    key_id: Option<u32>,
    /// MSE:Set AT selected the protocol; GENERAL AUTHENTICATE may follow.
    selected: bool,
}

impl core::fmt::Debug for ChipCa {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ChipCa")
            .field("protocol", &self.protocol)
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

fn status(sw: StatusWord) -> ChipCaStep {
    ChipCaStep::Continue(ResponseApdu::status(sw))
}

impl ChipCa {
    /// A chip with the static key `key` for `protocol`, announced in DG14
    /// with `key_id` (if any). A key whose kind does not match the
    /// protocol's key agreement makes every Chip Authentication fail
    /// (`6985`): that is a personalisation error, not a terminal's.
    #[must_use]
    pub fn new(protocol: CaProtocol, key: CaPrivateKey, key_id: Option<u32>) -> Self {
        Self {
            protocol,
            key,
            key_id,
            selected: false,
        }
    }

    /// The protocol the chip runs.
    #[must_use]
    pub fn protocol(&self) -> CaProtocol {
        self.protocol
    }

    /// The key identifier.
    #[must_use]
    pub fn key_id(&self) -> Option<u32> {
        self.key_id
    }

    /// The static public key PK_IC (for DG14).
    #[must_use]
    pub fn public_key(&self) -> CaPublicKey {
        self.key.public_key()
    }

    /// Forgets a selection in progress (power off, another protocol).
    pub fn reset(&mut self) {
        self.selected = false;
    }

    /// Processes one plain command: MSE:Set KAT (`22 41A6`), MSE:Set AT
    /// (`22 41A4`) or GENERAL AUTHENTICATE (`86`). Never panics on any
    /// command; refusals are status words:
    ///
    /// - `6884` chaining (CA is a single command), `6D00` another INS,
    ///   `6A86` other MSE P1-P2;
    /// - `6A81` MSE:Set KAT for an AES protocol;
    /// - `6A80` missing or malformed data objects, a key not in the group,
    ///   an OID other than the chip's protocol;
    /// - `6A88` a key id other than the chip's;
    /// - `6985` GENERAL AUTHENTICATE without MSE:Set AT, or a chip whose
    ///   key does not fit its protocol.
    pub fn process(&mut self, command: &CommandApdu) -> ChipCaStep {
        if command.cla & 0x10 != 0 {
            self.selected = false;
            return status(StatusWord::ChainingNotSupported);
        }
        match (command.ins, [command.p1, command.p2]) {
            (INS_MSE, P1P2_SET_KAT) => {
                self.selected = false;
                if !self.protocol.uses_set_kat() {
                    return status(StatusWord::FunctionNotSupported);
                }
                match self.set_kat(command.data()) {
                    Ok(step) | Err(step) => step,
                }
            }
            (INS_MSE, P1P2_SET_AT) => {
                self.selected = false;
                match self.set_at(command.data()) {
                    Ok(()) => {
                        self.selected = true;
                        status(StatusWord::Success)
                    }
                    Err(sw) => status(sw),
                }
            }
            (INS_MSE, _) => {
                self.selected = false;
                status(StatusWord::IncorrectP1P2)
            }
            (INS_GENERAL_AUTHENTICATE, _) => {
                if !core::mem::replace(&mut self.selected, false) {
                    return status(StatusWord::ConditionsOfUseNotSatisfied);
                }
                match self.general_authenticate(command.data()) {
                    Ok(step) | Err(step) => step,
                }
            }
            _ => status(StatusWord::InsNotSupported),
        }
    }

    /// The `84` key reference, if present, must name this chip's key.
    fn check_key_reference(&self, value: Option<&[u8]>) -> Result<(), StatusWord> {
        match value {
            None => Ok(()),
            Some(v) => match (decode_key_id(v), self.key_id) {
                (Some(id), Some(own)) if id == own => Ok(()),
                _ => Err(StatusWord::ReferencedDataNotFound),
            },
        }
    }

    fn set_kat(&self, data: &[u8]) -> Result<ChipCaStep, ChipCaStep> {
        let (mut key, mut reference) = (None, None);
        for item in TlvIter::new(data) {
            let Ok((_, obj)) = item else {
                return Err(status(StatusWord::IncorrectData));
            };
            match obj.tag {
                Tag(0x91) => key = Some(obj.value),
                Tag(0x84) => reference = Some(obj.value),
                // Unknown objects are ignored, as for PACE (§4.4.4.1).
                _ => {}
            }
        }
        self.check_key_reference(reference).map_err(status)?;
        let key = key.ok_or_else(|| status(StatusWord::IncorrectData))?;
        self.agree(key, ResponseApdu::status(StatusWord::Success))
    }

    fn set_at(&self, data: &[u8]) -> Result<(), StatusWord> {
        let (mut oid, mut reference) = (None, None);
        for item in TlvIter::new(data) {
            let Ok((_, obj)) = item else {
                return Err(StatusWord::IncorrectData);
            };
            match obj.tag {
                Tag(0x80) => oid = Some(obj.value),
                Tag(0x84) => reference = Some(obj.value),
                _ => {}
            }
        }
        self.check_key_reference(reference)?;
        let protocol = oid
            .and_then(|v| const_oid::ObjectIdentifier::from_bytes(v).ok())
            .and_then(|o| CaProtocol::from_oid(&o));
        if protocol != Some(self.protocol) {
            return Err(StatusWord::IncorrectData);
        }
        if self.protocol.key_agreement != self.key.key_agreement() {
            return Err(StatusWord::ConditionsOfUseNotSatisfied);
        }
        Ok(())
    }

    fn general_authenticate(&self, data: &[u8]) -> Result<ChipCaStep, ChipCaStep> {
        let bad = || status(StatusWord::IncorrectData);
        let outer = tlv::parse_single(data, Tag(0x7C)).map_err(|_| bad())?;
        let mut key = None;
        for item in TlvIter::new(outer.value) {
            let (_, obj) = item.map_err(|_| bad())?;
            if obj.tag == Tag(0x80) && key.is_none() {
                key = Some(obj.value);
            }
        }
        let key = key.ok_or_else(bad)?;
        // CA v1: the answer carries no data objects (an empty 7C).
        let answer = ResponseApdu::new(vec![0x7C, 0x00], StatusWord::Success);
        self.agree(key, answer)
    }

    /// K = KA(SK_IC, PK_PCD), the new session (SSC 0), and `answer`.
    fn agree(&self, terminal_key: &[u8], answer: ResponseApdu) -> Result<ChipCaStep, ChipCaStep> {
        if self.protocol.key_agreement != self.key.key_agreement() {
            return Err(status(StatusWord::ConditionsOfUseNotSatisfied));
        }
        let domain = self.key.domain();
        let peer = CaPublicKey::decode(domain, terminal_key)
            .map_err(|_| status(StatusWord::IncorrectData))?;
        let shared = self
            .key
            .agree(&peer)
            .map_err(|_| status(StatusWord::IncorrectData))?;
        let cipher = self.protocol.cipher;
        let ssc =
            Ssc::zero(cipher.block_size()).ok_or_else(|| status(StatusWord::ExecutionError))?;
        let session = ChipSession::new(derive_session_cipher(cipher, &shared), ssc);
        Ok(ChipCaStep::Established(answer, session))
    }
}
