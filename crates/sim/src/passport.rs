//! The LDS1 applet of the virtual passport: a master file with
//! EF.CardAccess and EF.ATR/INFO, the eMRTD application with EF.COM, EF.SOD
//! and the data groups, Basic Access Control and 3DES secure messaging
//! (Doc 9303-10 §3, Doc 9303-11 §4.3 and §9.8).
//!
//! It behaves like a conformant chip by default and can be configured to
//! behave like the less conformant ones that exist in the field (no
//! extended length, small maximum Le, no short EF identifiers).

use std::collections::BTreeMap;

use mrtd_iso7816::tlv::{self, Tag};
use mrtd_iso7816::{CommandApdu, ResponseApdu, StatusWord};
use mrtd_lds::{EfId, Location};
use mrtd_protocol::aa::{self, AaDigest, AaPrivateKey, INS_INTERNAL_AUTHENTICATE};
use mrtd_protocol::bac::{BacKey, ChipBac, INS_GET_CHALLENGE, INS_MUTUAL_AUTHENTICATE};
use mrtd_protocol::ca::{CaPrivateKey, CaProtocol, ChipCa, ChipCaStep};
use mrtd_protocol::pace::chip::{ChipPace, ChipPaceSetup, ChipStep};
use mrtd_protocol::pace::messages::{INS_GENERAL_AUTHENTICATE, INS_MSE};
use mrtd_protocol::read::EMRTD_AID;
use mrtd_protocol::sm::{ChipSession, SmError};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;
use serde::{Deserialize, Serialize};

use crate::card::VirtualCard;

/// How the chip behaves at the APDU level.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ChipConfig {
    /// Accepts extended-length APDUs. A chip without it answers any
    /// extended APDU with an unprotected `6700` and ends secure messaging.
    pub extended_length: bool,
    /// Largest Ne of a short READ BINARY (1..=256); larger gives `6700`.
    pub max_short_le: usize,
    /// Largest Ne of an extended READ BINARY; larger gives `6700`.
    pub max_extended_le: usize,
    /// Supports READ BINARY with a short EF identifier in P1.
    pub short_ef_identifiers: bool,
    /// Announces extended length in the ATR historical bytes.
    pub announce_extended_length: bool,
    /// Has an EF.ATR/INFO with the extended length information (`7F66`).
    pub ef_atr_info: bool,
    /// Seed of the chip's random numbers (challenges, K.IC), so that a
    /// session can be reproduced; every power-on continues the sequence.
    pub seed: u64,
}

impl Default for ChipConfig {
    fn default() -> Self {
        Self {
            extended_length: true,
            max_short_le: 256,
            max_extended_le: 65_536,
            short_ef_identifiers: true,
            announce_extended_length: true,
            ef_atr_info: true,
            seed: 0x6D72_7464,
        }
    }
}

impl ChipConfig {
    /// A chip that only takes short APDUs.
    #[must_use]
    pub fn short_only() -> Self {
        Self {
            extended_length: false,
            announce_extended_length: false,
            ef_atr_info: false,
            ..Self::default()
        }
    }

    /// The ATR: T=1, historical bytes in compact-TLV with the card
    /// capabilities (third software function table: extended Lc/Le,
    /// extended length information in EF.ATR/INFO).
    #[must_use]
    pub fn atr(&self) -> Vec<u8> {
        let mut third = 0u8;
        if self.announce_extended_length {
            third |= 0x40;
        }
        if self.ef_atr_info {
            third |= 0x20;
        }
        let historical = [0x80, 0x73, 0x00, 0x00, third];
        let mut atr = vec![0x3B, 0x80 | historical.len() as u8, 0x80, 0x01];
        atr.extend_from_slice(&historical);
        // TCK: XOR of T0 .. last historical byte (required when T=1 is offered).
        let tck = atr[1..].iter().fold(0u8, |acc, b| acc ^ b);
        atr.push(tck);
        atr
    }
}

/// The files and keys a chip is personalised with.
#[derive(Clone)]
pub struct ChipContent {
    /// Elementary files by identifier (MF and application files alike).
    pub files: BTreeMap<EfId, Vec<u8>>,
    /// The BAC key derived from the MRZ printed on the data page.
    pub bac_key: BacKey,
    /// Whether the chip accepts BAC (PACE-only chips refuse it).
    pub bac_enabled: bool,
    /// PACE, when the chip offers it (EF.CardAccess must announce it).
    pub pace: Option<ChipPaceSetup>,
    /// Active Authentication: the private key and the hash (DG15 carries
    /// the public key of the genuine chip).
    pub active_authentication: Option<ChipAa>,
    /// Chip Authentication with the static key (DG14 carries the genuine
    /// chip's public key).
    pub chip_authentication: Option<ChipCaKey>,
}

/// The chip's Chip Authentication key and protocol.
#[derive(Clone)]
pub struct ChipCaKey {
    /// The protocol (key agreement and cipher).
    pub protocol: CaProtocol,
    /// The static private key.
    pub key: CaPrivateKey,
    /// Its key identifier, if the chip names it.
    pub key_id: Option<u32>,
}

impl core::fmt::Debug for ChipCaKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "ChipCaKey({}, key id {:?})",
            self.protocol.name(),
            self.key_id
        )
    }
}

/// The chip's Active Authentication key.
#[derive(Clone)]
pub struct ChipAa {
    /// The private key.
    pub key: AaPrivateKey,
    /// The hash (the ISO/IEC 9796-2 trailer, or ECDSA's hash).
    pub digest: AaDigest,
}

impl core::fmt::Debug for ChipAa {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "ChipAa({:?}, ..)", self.digest)
    }
}

impl core::fmt::Debug for ChipContent {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ChipContent")
            .field("files", &self.files.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Volatile state, lost on power off and reset.
#[derive(Debug)]
struct Session {
    application_selected: bool,
    current_ef: Option<EfId>,
    sm: Option<ChipSession>,
    access_granted: bool,
    bac: ChipBac,
    pace: Option<ChipPace>,
    ca: Option<ChipCa>,
    /// Keys that take over after the answer to the current command has been
    /// protected with the old ones (Chip Authentication, Doc 9303-11 §6.2).
    next_sm: Option<ChipSession>,
}

impl Session {
    fn new(content: &ChipContent) -> Self {
        Self {
            application_selected: false,
            current_ef: None,
            sm: None,
            access_granted: false,
            bac: ChipBac::new(content.bac_key.clone()),
            pace: content.pace.clone().map(ChipPace::new),
            ca: content
                .chip_authentication
                .clone()
                .map(|k| ChipCa::new(k.protocol, k.key, k.key_id)),
            next_sm: None,
        }
    }
}

/// The virtual passport.
pub struct VirtualPassport {
    config: ChipConfig,
    content: ChipContent,
    rng: ChaCha20Rng,
    session: Session,
    apdus: u64,
}

impl core::fmt::Debug for VirtualPassport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("VirtualPassport")
            .field("config", &self.config)
            .field("apdus", &self.apdus)
            .finish_non_exhaustive()
    }
}

impl VirtualPassport {
    /// A chip with the given behaviour and content, powered off.
    #[must_use]
    pub fn new(config: ChipConfig, mut content: ChipContent) -> Self {
        if config.ef_atr_info {
            content
                .files
                .entry(EfId::AtrInfo)
                .or_insert_with(|| ef_atr_info(&config));
        }
        let rng = ChaCha20Rng::seed_from_u64(config.seed);
        let session = Session::new(&content);
        Self {
            config,
            content,
            rng,
            session,
            apdus: 0,
        }
    }

    /// The behaviour configuration.
    #[must_use]
    pub fn config(&self) -> &ChipConfig {
        &self.config
    }

    /// The personalised files.
    #[must_use]
    pub fn files(&self) -> &BTreeMap<EfId, Vec<u8>> {
        &self.content.files
    }

    /// Command APDUs processed since creation.
    #[must_use]
    pub fn apdu_count(&self) -> u64 {
        self.apdus
    }

    fn reset_session(&mut self) {
        self.session = Session::new(&self.content);
    }

    fn process(&mut self, raw: &[u8]) -> ResponseApdu {
        let Ok(cmd) = CommandApdu::parse(raw) else {
            self.session.sm = None;
            return ResponseApdu::status(StatusWord::WrongLength);
        };
        if cmd.is_extended() && !self.config.extended_length {
            // The chip cannot even parse the APDU: the error is unprotected
            // and ends secure messaging.
            self.end_secure_messaging();
            return ResponseApdu::status(StatusWord::WrongLength);
        }
        if cmd.cla & 0x0C == 0x0C {
            return self.process_protected(&cmd);
        }
        if self.session.sm.is_some() {
            // Doc 9303-11 §9.8.7: an unprotected command ends the session.
            self.end_secure_messaging();
        }
        self.execute(&cmd, false)
    }

    fn end_secure_messaging(&mut self) {
        self.session.sm = None;
        self.session.access_granted = false;
    }

    fn process_protected(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        let Some(mut sm) = self.session.sm.take() else {
            return ResponseApdu::status(StatusWord::SmDataObjectsMissing);
        };
        let plain = match sm.unprotect_command(cmd) {
            Ok(plain) => plain,
            Err(e) => {
                self.end_secure_messaging();
                let sw = match e {
                    SmError::MissingObject { .. } => StatusWord::SmDataObjectsMissing,
                    _ => StatusWord::SmDataObjectsIncorrect,
                };
                return ResponseApdu::status(sw);
            }
        };
        let response = self.execute(&plain, true);
        let next = self.session.next_sm.take();
        let outer_ne = cmd.ne().unwrap_or(0);
        let protected = match sm.protect_response(plain.ins, &response) {
            Ok(p) if p.data.len() <= outer_ne => p,
            // The protected answer would not fit the outer Le: report a
            // wrong length, protected, as a chip with a fixed buffer does.
            _ => match sm
                .protect_response(plain.ins, &ResponseApdu::status(StatusWord::WrongLength))
            {
                Ok(p) => p,
                Err(_) => return ResponseApdu::status(StatusWord::NoPreciseDiagnosis),
            },
        };
        // After Chip Authentication the chip answers under the old keys and
        // switches to the new ones for the next command.
        self.session.sm = Some(next.unwrap_or(sm));
        protected
    }

    /// Executes a plain command; `protected` says whether it arrived under
    /// secure messaging.
    fn execute(&mut self, cmd: &CommandApdu, protected: bool) -> ResponseApdu {
        match cmd.ins {
            0xA4 => self.select(cmd),
            INS_GET_CHALLENGE if !protected => self.get_challenge(cmd),
            INS_MUTUAL_AUTHENTICATE if !protected => self.mutual_authenticate(cmd),
            INS_MSE if !protected => self.manage_security_environment(cmd),
            INS_GENERAL_AUTHENTICATE if !protected => self.general_authenticate(cmd),
            // Chip Authentication runs under secure messaging.
            INS_MSE | INS_GENERAL_AUTHENTICATE => self.chip_authentication(cmd),
            INS_INTERNAL_AUTHENTICATE if protected => self.internal_authenticate(cmd),
            0xB0 | 0xB1 => self.read_binary(cmd, protected),
            _ => ResponseApdu::status(StatusWord::InsNotSupported),
        }
    }

    fn select(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        match cmd.p1 {
            0x04 => {
                if cmd.data() == EMRTD_AID {
                    self.session.application_selected = true;
                    self.session.current_ef = None;
                    ResponseApdu::status(StatusWord::Success)
                } else {
                    ResponseApdu::status(StatusWord::FileNotFound)
                }
            }
            0x00 if cmd.data().is_empty() || cmd.data() == [0x3F, 0x00] => {
                self.session.application_selected = false;
                self.session.current_ef = None;
                ResponseApdu::status(StatusWord::Success)
            }
            0x00 | 0x02 => match <[u8; 2]>::try_from(cmd.data()) {
                Ok(fid) => match self.find_ef(|ef| ef.fid() == u16::from_be_bytes(fid)) {
                    Some(ef) => {
                        self.session.current_ef = Some(ef);
                        ResponseApdu::status(StatusWord::Success)
                    }
                    None => ResponseApdu::status(StatusWord::FileNotFound),
                },
                Err(_) => ResponseApdu::status(StatusWord::IncorrectData),
            },
            _ => ResponseApdu::status(StatusWord::IncorrectP1P2),
        }
    }

    /// An EF of the current DF matching `pred`.
    fn find_ef(&self, pred: impl Fn(EfId) -> bool) -> Option<EfId> {
        let here = if self.session.application_selected {
            Location::Application
        } else {
            Location::MasterFile
        };
        self.content
            .files
            .keys()
            .copied()
            .find(|ef| ef.location() == here && pred(*ef))
    }

    fn manage_security_environment(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        match (&mut self.session.pace, cmd.p1, cmd.p2) {
            // MSE:Set AT for mutual authentication (PACE, Doc 9303-11 §4.4.4.1).
            (Some(pace), 0xC1, 0xA4) => pace.mse_set_at(cmd),
            (None, _, _) => ResponseApdu::status(StatusWord::FunctionNotSupported),
            _ => ResponseApdu::status(StatusWord::IncorrectP1P2),
        }
    }

    fn general_authenticate(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        let Some(pace) = self.session.pace.as_mut() else {
            return ResponseApdu::status(StatusWord::FunctionNotSupported);
        };
        match pace.general_authenticate(cmd, &mut self.rng) {
            ChipStep::Continue(response) => response,
            ChipStep::Established(response, sm) => {
                // The answer goes out unprotected; the session starts with
                // the next command (Doc 9303-11 §4.4.2).
                self.session.sm = Some(sm);
                self.session.access_granted = true;
                response
            }
        }
    }

    /// MSE:Set KAT / MSE:Set AT for CA and GENERAL AUTHENTICATE under
    /// secure messaging (Doc 9303-11 §6.2.4).
    fn chip_authentication(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        if !self.session.application_selected {
            return ResponseApdu::status(StatusWord::ConditionsOfUseNotSatisfied);
        }
        let Some(ca) = self.session.ca.as_mut() else {
            return ResponseApdu::status(StatusWord::FunctionNotSupported);
        };
        match ca.process(cmd) {
            ChipCaStep::Continue(response) => response,
            ChipCaStep::Established(response, session) => {
                self.session.next_sm = Some(session);
                response
            }
        }
    }

    /// INTERNAL AUTHENTICATE: signs the terminal's challenge with the Active
    /// Authentication key (Doc 9303-11 §6.1).
    fn internal_authenticate(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        let Some(aa) = &self.content.active_authentication else {
            return ResponseApdu::status(StatusWord::InsNotSupported);
        };
        if !self.session.application_selected {
            return ResponseApdu::status(StatusWord::ConditionsOfUseNotSatisfied);
        }
        if cmd.data().len() != 8 {
            return ResponseApdu::status(StatusWord::WrongLength);
        }
        match aa::sign(&aa.key, cmd.data(), aa.digest, &mut self.rng) {
            Ok(signature) if cmd.ne().is_some_and(|ne| ne >= signature.len()) => {
                ResponseApdu::new(signature, StatusWord::Success)
            }
            Ok(signature) => ResponseApdu::status(StatusWord::WrongLe(
                u8::try_from(signature.len()).unwrap_or(0),
            )),
            Err(_) => ResponseApdu::status(StatusWord::ExecutionError),
        }
    }

    fn get_challenge(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        if !self.content.bac_enabled {
            // A PACE-only chip: BAC is not available.
            return ResponseApdu::status(StatusWord::ReferencedDataNotFound);
        }
        if cmd.ne() != Some(8) {
            return ResponseApdu::status(StatusWord::WrongLength);
        }
        ResponseApdu::new(
            self.session.bac.get_challenge(&mut self.rng).to_vec(),
            StatusWord::Success,
        )
    }

    fn mutual_authenticate(&mut self, cmd: &CommandApdu) -> ResponseApdu {
        if !self.session.application_selected {
            return ResponseApdu::status(StatusWord::ConditionsOfUseNotSatisfied);
        }
        if cmd.data().len() != 40 {
            return ResponseApdu::status(StatusWord::WrongLength);
        }
        match self
            .session
            .bac
            .mutual_authenticate(cmd.data(), &mut self.rng)
        {
            Ok((answer, sm)) => {
                // The answer goes out unprotected; the session starts with
                // the next command.
                self.session.sm = Some(sm);
                self.session.access_granted = true;
                ResponseApdu::new(answer, StatusWord::Success)
            }
            Err(e) => ResponseApdu::status(e.status()),
        }
    }

    fn read_binary(&mut self, cmd: &CommandApdu, protected: bool) -> ResponseApdu {
        let Some(ne) = cmd.ne() else {
            return ResponseApdu::status(StatusWord::WrongLength);
        };
        let limit = if cmd.is_extended() {
            self.config.max_extended_le
        } else {
            self.config.max_short_le
        };
        if ne > limit {
            return ResponseApdu::status(StatusWord::WrongLength);
        }
        let odd = cmd.ins == 0xB1;
        let offset = if odd {
            match tlv::parse_single(cmd.data(), Tag(0x54)) {
                Ok(t) if !t.value.is_empty() && t.value.len() <= 3 => t
                    .value
                    .iter()
                    .fold(0usize, |acc, b| (acc << 8) | usize::from(*b)),
                _ => return ResponseApdu::status(StatusWord::IncorrectData),
            }
        } else if cmd.p1 & 0x80 != 0 {
            if !self.config.short_ef_identifiers || cmd.p1 & 0x60 != 0 {
                return ResponseApdu::status(StatusWord::IncorrectP1P2);
            }
            let sfi = cmd.p1 & 0x1F;
            match self.find_ef(|ef| ef.sfi() == Some(sfi)) {
                Some(ef) => self.session.current_ef = Some(ef),
                None => return ResponseApdu::status(StatusWord::FileNotFound),
            }
            usize::from(cmd.p2)
        } else {
            usize::from(u16::from_be_bytes([cmd.p1, cmd.p2]))
        };
        let Some(ef) = self.session.current_ef else {
            return ResponseApdu::status(StatusWord::NoCurrentEf);
        };
        // Doc 9303-11 §4.2: application files (and EF.CardSecurity) only
        // under secure messaging after access control.
        let protected_file = ef.location() == Location::Application || ef == EfId::CardSecurity;
        if protected_file && !(self.session.access_granted && protected) {
            return ResponseApdu::status(StatusWord::SecurityStatusNotSatisfied);
        }
        let Some(file) = self.content.files.get(&ef) else {
            return ResponseApdu::status(StatusWord::FileNotFound);
        };
        if offset >= file.len() {
            return ResponseApdu::status(StatusWord::WrongP1P2);
        }
        // For B1 the data travels in DO'53', whose header counts against Ne.
        let room = if odd {
            ne.saturating_sub(do53_header_len(ne))
        } else {
            ne
        };
        let end = offset.saturating_add(room).min(file.len());
        let chunk = &file[offset..end];
        let sw = if chunk.len() < room {
            StatusWord::EndOfFile
        } else {
            StatusWord::Success
        };
        let data = if odd {
            tlv::tlv(Tag(0x53), chunk)
        } else {
            chunk.to_vec()
        };
        ResponseApdu::new(data, sw)
    }
}

/// Length of a `DO'53'` header for a value of up to `ne` bytes.
fn do53_header_len(ne: usize) -> usize {
    match ne {
        0..=0x7F => 2,
        0x80..=0xFF => 3,
        0x100..=0xFFFF => 4,
        _ => 5,
    }
}

/// EF.ATR/INFO content: the extended length information (`7F66`) with the
/// maximum command and response APDU sizes (ISO/IEC 7816-4 §12.7.1).
fn ef_atr_info(config: &ChipConfig) -> Vec<u8> {
    let max = if config.extended_length {
        config.max_extended_le + 2
    } else {
        258
    };
    let max = u16::try_from(max.min(0xFFFF))
        .unwrap_or(u16::MAX)
        .to_be_bytes();
    let mut inner = tlv::tlv(Tag(0x02), &max);
    inner.extend(tlv::tlv(Tag(0x02), &max));
    tlv::tlv(Tag(0x7F66), &inner)
}

impl VirtualCard for VirtualPassport {
    fn power_on(&mut self) -> Vec<u8> {
        self.reset_session();
        self.config.atr()
    }

    fn power_off(&mut self) {
        self.reset_session();
    }

    fn atr(&self) -> Vec<u8> {
        self.config.atr()
    }

    fn process_apdu(&mut self, command: &[u8]) -> Vec<u8> {
        self.apdus += 1;
        self.process(command).to_bytes()
    }
}
