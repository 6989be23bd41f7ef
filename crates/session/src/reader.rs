//! Reading a passport end to end: link set-up, access control, and every
//! file the access rights allow.

use std::collections::BTreeSet;
use std::time::Instant;

use mrtd_groups::DomainParameters;
use mrtd_iso7816::atr::{self, CardCapabilities};
use mrtd_iso7816::{StatusWord, Transport, TransportError};
use mrtd_lds::{DgNumber, EfId};
use mrtd_lds::{ParseOptions, SecurityInfos};
use mrtd_protocol::pace::terminal::AwaitingSetAt;
use mrtd_protocol::pace::{Pace, PaceConfig, PaceError, PaceOutcome};
use mrtd_protocol::read::{
    self, ExtendedLength, FileLayout, FileReadStats, FileReader, FileRef, ReadError, ReadSizes,
    ReadStep,
};
use mrtd_protocol::{Bac, BacError, ChannelLost};
use rand_core::CryptoRng;
use tracing::{debug, info, info_span, warn};

use crate::access::AccessKey;
use crate::access_plan::{self, PaceCandidate};
use crate::link::{Link, LinkError, WireCounters};
use crate::listing;
use crate::observer::{ReadEvent, ReadObserver};
use crate::report::{
    AccessControlReport, FileStats, IncompleteFile, LinkReport, PaceReport, ReadReport, SkipReason,
    Totals,
};

/// Default command budget of a read: a full read with short APDUs of a
/// passport with 200 KB of fingerprints takes about 1 000.
pub const DEFAULT_MAX_APDUS: u32 = 25_000;

/// What to read and how.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadOptions {
    /// Use extended-length APDUs when the chip and transport allow them.
    pub extended_length: bool,
    /// Cap on the Le of short READ BINARY commands (the protocol limit
    /// applies anyway: `E7` under 3DES secure messaging).
    pub max_short_le: Option<usize>,
    /// Read EF.CardAccess before access control.
    pub card_access: bool,
    /// Try every data group DG1..DG16, not only those EF.COM and EF.SOD list.
    pub probe_all_data_groups: bool,
    /// How often access control may run again after the channel broke.
    pub max_reauthentications: u32,
    /// Log complete APDUs (keys and personal data!) at trace level.
    pub trace_apdu_unsafe: bool,
    /// Refuse to fall back to BAC: PACE must run (a downgrade cannot go
    /// unnoticed).
    pub require_pace: bool,
    /// Run Active Authentication when DG15 is present.
    pub active_authentication: bool,
    /// The Active Authentication challenge to use (a server's nonce);
    /// otherwise one is drawn from the random source.
    pub active_authentication_challenge: Option<[u8; 8]>,
    /// Run Chip Authentication when DG14 offers it (skipped after
    /// PACE-CAM, which already authenticated the chip).
    pub chip_authentication: bool,
    /// Most command APDUs one read may take. A chip may legitimately send
    /// one byte per READ BINARY; this bounds how long a hostile one can
    /// keep a reader busy.
    pub max_apdus: u32,
}

impl Default for ReadOptions {
    fn default() -> Self {
        Self {
            extended_length: true,
            max_short_le: None,
            card_access: true,
            probe_all_data_groups: false,
            max_reauthentications: 2,
            trace_apdu_unsafe: false,
            require_pace: false,
            active_authentication: true,
            active_authentication_challenge: None,
            chip_authentication: true,
            max_apdus: DEFAULT_MAX_APDUS,
        }
    }
}

/// Why a read failed.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// Reader, card or transport failure.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The chip refused access control: the MRZ (or CAN) is wrong.
    #[error(transparent)]
    AccessDenied(BacError),
    /// The chip refused the PACE password: the MRZ or CAN is wrong.
    #[error("the chip refused PACE with the {password}: {error}; the {password} is wrong")]
    PacePasswordRefused {
        /// `MRZ` or `CAN`.
        password: &'static str,
        /// The refusal.
        error: PaceError,
    },
    /// PACE is required (by policy or because the key is a CAN) but the
    /// chip does not offer a usable PACE protocol.
    #[error("PACE was required ({why}) but the chip does not offer it{offered}")]
    PaceNotOffered {
        /// Why PACE was required.
        why: &'static str,
        /// What the chip offered instead, if anything.
        offered: String,
    },
    /// PACE failed and no fallback was allowed.
    #[error("PACE failed and falling back to BAC is not allowed ({why}): {error}")]
    PaceFailed {
        /// Why BAC could not be used.
        why: &'static str,
        /// The PACE error.
        error: PaceError,
    },
    /// Access control failed for another reason (the chip misbehaved).
    #[error("access control failed: {0}")]
    AccessControl(BacError),
    /// The chip has no eMRTD application.
    #[error("the chip has no eMRTD application (SELECT answered {0})")]
    NotAnEmrtd(StatusWord),
    /// Secure messaging broke more often than allowed.
    #[error("secure messaging failed repeatedly: {0}")]
    SecureMessaging(ChannelLost),
    /// The read took more commands than [`ReadOptions::max_apdus`].
    #[error(
        "the read exceeded its budget of {limit} commands (the chip returns too little data per READ BINARY)"
    )]
    TooManyCommands {
        /// The budget.
        limit: u32,
    },
    /// A command could not be protected (a bug, reported rather than hidden).
    #[error("internal error: {0}")]
    Internal(String),
}

impl SessionError {
    /// `true` when the chip refused the access key.
    #[must_use]
    pub fn is_access_denied(&self) -> bool {
        matches!(
            self,
            Self::AccessDenied(_)
                | Self::PacePasswordRefused { .. }
                | Self::PaceNotOffered { .. }
                | Self::PaceFailed { .. }
        )
    }
}

/// A failed read with everything that was read before the failure.
#[derive(Debug, thiserror::Error)]
#[error("{error}")]
pub struct ReadFailure {
    /// What went wrong.
    pub error: SessionError,
    /// Files completed before the failure, and the one cut off.
    pub report: Box<ReadReport>,
}

/// Reads every file the access rights allow.
///
/// The sequence (Doc 9303-10 §3, 9303-11 §4): EF.ATR/INFO when the ATR
/// announces it (extended-length limits), EF.CardAccess, PACE with the
/// strongest protocol it offers (or BAC when it offers none, or — unless
/// [`ReadOptions::require_pace`] — when PACE fails for a reason other than
/// a wrong password), EF.CardSecurity after PACE, SELECT of the eMRTD
/// application, then EF.COM, EF.SOD and each data group that either of
/// them lists (DG3/DG4 are attempted and reported as access denied without
/// Terminal Authentication).
///
/// # Errors
/// [`ReadFailure`] with the error and the files read so far.
pub fn read_document<T: Transport + ?Sized, R: CryptoRng + ?Sized>(
    transport: &mut T,
    key: &AccessKey,
    options: &ReadOptions,
    rng: &mut R,
    observer: &mut dyn ReadObserver,
) -> Result<ReadReport, ReadFailure> {
    let span = info_span!("read_document");
    let _enter = span.enter();
    let mut session = Session {
        link: Link::new(transport, options.trace_apdu_unsafe),
        options,
        observer,
        report: ReadReport::default(),
        started: Instant::now(),
        reauthentications: 0,
        sizes: ReadSizes::new(256, 0),
        capabilities: CardCapabilities::default(),
        method: None,
        card_access_offers_cam: false,
    };
    match session.run(key, rng) {
        Ok(()) => Ok(session.finish()),
        Err(error) => {
            info!(%error, "read failed");
            Err(ReadFailure {
                error,
                report: Box::new(session.finish()),
            })
        }
    }
}

pub(crate) struct Session<'a, 't, T: Transport + ?Sized> {
    pub(crate) link: Link<'t, T>,
    pub(crate) options: &'a ReadOptions,
    observer: &'a mut dyn ReadObserver,
    pub(crate) report: ReadReport,
    started: Instant,
    reauthentications: u32,
    sizes: ReadSizes,
    capabilities: CardCapabilities,
    /// The access-control method that worked, reused when the channel
    /// breaks and access control runs again.
    method: Option<Method>,
    /// Whether EF.CardAccess offers PACE-CAM.
    pub(crate) card_access_offers_cam: bool,
}

/// An access-control method that established secure messaging.
#[derive(Clone, Debug)]
enum Method {
    Bac,
    Pace {
        candidate: PaceCandidate,
        send_parameter_id: bool,
    },
}

/// How a file read ended, when it did not produce the file.
enum FileOutcome {
    Skipped(SkipReason),
    Fatal(SessionError),
}

impl<T: Transport + ?Sized> Session<'_, '_, T> {
    fn run<R: CryptoRng + ?Sized>(
        &mut self,
        key: &AccessKey,
        rng: &mut R,
    ) -> Result<(), SessionError> {
        self.prepare_link()?;
        let card_access = if self.options.card_access
            || self.options.require_pace
            || matches!(key, AccessKey::Can(_))
        {
            self.read_plain(EfId::CardAccess, FileLayout::SingleObject)?
        } else {
            None
        };
        self.card_access_offers_cam = card_access
            .as_deref()
            .is_some_and(crate::chip_auth::card_access_offers_cam);
        self.choose_access_control(key, card_access.as_deref(), rng)?;
        if matches!(self.method, Some(Method::Pace { .. })) {
            // EF.CardSecurity lives in the master file and opens after PACE
            // (Doc 9303-11 §4.4.2); read it before selecting the application.
            self.read_secure(EfId::CardSecurity, key, rng)?;
        }
        self.select_application()?;
        self.read_secure(EfId::Com, key, rng)?;
        self.read_secure(EfId::Sod, key, rng)?;
        for dg in self.data_groups_to_read() {
            self.read_secure(EfId::Dg(dg), key, rng)?;
        }
        self.authenticate_chip(key, rng)?;
        Ok(())
    }

    /// The PACE mapping that established the session, if PACE did.
    pub(crate) fn access_mapping(&self) -> Option<mrtd_protocol::pace::Mapping> {
        match &self.method {
            Some(Method::Pace { candidate, .. }) => Some(candidate.protocol.mapping),
            _ => None,
        }
    }

    /// Reads `ef` again under the current channel without keeping it (to
    /// confirm new session keys); the error says what failed.
    pub(crate) fn reread(&mut self, ef: EfId) -> Result<Vec<u8>, String> {
        let file = FileRef {
            fid: ef.fid(),
            sfi: ef.sfi(),
            layout: FileLayout::SingleObject,
        };
        let mut reader = FileReader::new(file);
        let mut sizes = self.sizes;
        loop {
            match reader.next_step(&sizes).map_err(|e| e.to_string())? {
                ReadStep::Done(data) => return Ok(data),
                ReadStep::Send(command) => match self.link.exchange(&command) {
                    Ok(response) => reader
                        .on_response(response, &mut sizes)
                        .map_err(|e| e.to_string())?,
                    Err(e) => return Err(e.to_string()),
                },
            }
        }
    }

    /// Learns the link's limits before anything else: ATR capabilities and,
    /// when the ATR points to it, EF.ATR/INFO.
    fn prepare_link(&mut self) -> Result<(), SessionError> {
        if let Some(atr) = self.link.atr() {
            self.capabilities = atr::card_capabilities(&atr);
        }
        debug!(capabilities = ?self.capabilities, "card capabilities from the ATR");
        let mut limits = None;
        if self.capabilities.extended_length_info_in_ef_atr == Some(true)
            && let Some(data) = self.read_plain(EfId::AtrInfo, FileLayout::UntilEnd)?
        {
            limits = atr::extended_length_info(&data);
        }
        self.report.link = Some(LinkReport {
            card_capabilities: self.capabilities,
            ef_atr_info_limits: limits,
            extended_length: ExtendedLength::Unknown,
            short_le: 256,
            short_ef_identifiers: None,
        });
        Ok(())
    }

    /// Reads a master-file EF before access control; absence is not an error.
    fn read_plain(
        &mut self,
        ef: EfId,
        layout: FileLayout,
    ) -> Result<Option<Vec<u8>>, SessionError> {
        let mut sizes = ReadSizes::new(256, 0);
        sizes.sfi = self.sizes.sfi;
        let file = FileRef {
            fid: ef.fid(),
            sfi: ef.sfi(),
            layout,
        };
        match self.read_file(ef, file, &mut sizes) {
            Ok(data) => {
                self.sizes.sfi = sizes.sfi;
                Ok(Some(data))
            }
            Err(FileOutcome::Skipped(reason)) => {
                self.skip(ef, reason);
                Ok(None)
            }
            Err(FileOutcome::Fatal(e)) => Err(e),
        }
    }

    /// Decides between PACE and BAC from EF.CardAccess and runs the first
    /// method that works (Doc 9303-11 §4.2): the strongest PACE protocol
    /// offered, then — unless PACE is required or the key is a CAN — BAC.
    fn choose_access_control<R: CryptoRng + ?Sized>(
        &mut self,
        key: &AccessKey,
        card_access: Option<&[u8]>,
        rng: &mut R,
    ) -> Result<(), SessionError> {
        let (candidates, unusable) = match card_access {
            Some(bytes) => {
                match SecurityInfos::parse_file(EfId::CardAccess, bytes, ParseOptions::LENIENT) {
                    Ok(parsed) => {
                        for w in &parsed.warnings {
                            self.report.warnings.push(w.to_string());
                        }
                        access_plan::pace_candidates(&parsed.value)
                    }
                    Err(e) => {
                        self.report
                            .warnings
                            .push(format!("EF.CardAccess does not parse: {e}"));
                        (Vec::new(), Vec::new())
                    }
                }
            }
            None => (Vec::new(), Vec::new()),
        };
        for offer in &unusable {
            self.report.warnings.push(format!(
                "PACE offer {} (parameter id {:?}) not usable: {}",
                offer.protocol, offer.parameter_id, offer.reason
            ));
        }
        let can = matches!(key, AccessKey::Can(_));
        if candidates.is_empty() {
            if self.options.require_pace || can {
                let why = if can {
                    "the access key is a CAN"
                } else {
                    "--require-pace"
                };
                let offered = match (card_access.is_some(), unusable.is_empty()) {
                    (false, _) => ": the chip has no EF.CardAccess (a BAC-only chip)".to_string(),
                    (true, true) => ": EF.CardAccess lists no PACE protocol".to_string(),
                    (true, false) => {
                        format!(": none of its {} PACE offers is usable", unusable.len())
                    }
                };
                return Err(SessionError::PaceNotOffered { why, offered });
            }
            return self.run_bac(key, rng);
        }
        let mut last_error = None;
        for candidate in candidates {
            match self.run_pace(key, candidate, true, rng) {
                Ok(()) => return Ok(()),
                Err(PaceAttempt::Fatal(e)) => return Err(e),
                Err(PaceAttempt::Failed(e)) => {
                    warn!(protocol = %candidate.protocol, error = %e, "PACE failed");
                    self.report
                        .warnings
                        .push(format!("{} failed: {e}", candidate.protocol));
                    last_error = Some(e);
                }
            }
        }
        // Every PACE offer failed in a way that is not a wrong password.
        let error = last_error.unwrap_or(PaceError::TokenMismatch);
        if self.options.require_pace {
            return Err(SessionError::PaceFailed {
                why: "--require-pace",
                error,
            });
        }
        if can {
            return Err(SessionError::PaceFailed {
                why: "BAC cannot use a CAN",
                error,
            });
        }
        self.report
            .warnings
            .push("falling back to BAC after PACE failed".into());
        let fallback = error.to_string();
        self.run_bac(key, rng)?;
        if let Some(ac) = self.report.access_control.as_mut() {
            ac.fallback_from_pace = Some(fallback);
        }
        Ok(())
    }

    /// Runs access control again with the method that worked before (after
    /// the channel broke), then selects the application again.
    fn reestablish<R: CryptoRng + ?Sized>(
        &mut self,
        key: &AccessKey,
        rng: &mut R,
    ) -> Result<(), SessionError> {
        match self.method.clone() {
            Some(Method::Pace {
                candidate,
                send_parameter_id,
            }) => {
                self.run_pace(key, candidate, send_parameter_id, rng)
                    .map_err(|e| match e {
                        PaceAttempt::Fatal(e) => e,
                        PaceAttempt::Failed(error) => SessionError::PaceFailed {
                            why: "re-running PACE after a broken channel",
                            error,
                        },
                    })?;
                self.select_application()
            }
            _ => self.run_bac(key, rng),
        }
    }

    /// SELECT of the eMRTD application (under secure messaging after PACE,
    /// in plain before BAC).
    fn select_application(&mut self) -> Result<(), SessionError> {
        let select = self
            .link
            .exchange(&read::select_application(&read::EMRTD_AID))
            .map_err(fatal_link)?;
        if !select.sw.is_processing_completed() {
            return Err(SessionError::NotAnEmrtd(select.sw));
        }
        Ok(())
    }

    fn run_bac<R: CryptoRng + ?Sized>(
        &mut self,
        key: &AccessKey,
        rng: &mut R,
    ) -> Result<(), SessionError> {
        let Some(bac_key) = key.bac_key() else {
            return Err(SessionError::PaceNotOffered {
                why: "the access key is a CAN",
                offered: String::new(),
            });
        };
        self.link.unsecure();
        self.select_application()?;
        self.observer
            .on_event(&ReadEvent::AccessControlStarted { protocol: "BAC" });
        let (awaiting, get_challenge) = Bac::start(bac_key);
        let challenge = self.link.exchange(&get_challenge).map_err(fatal_link)?;
        let (awaiting, authenticate) = awaiting
            .on_challenge(&challenge, rng)
            .map_err(SessionError::AccessControl)?;
        let answer = self.link.exchange(&authenticate).map_err(fatal_link)?;
        let channel = awaiting.on_authentication(&answer).map_err(|e| match e {
            BacError::Refused { .. } => SessionError::AccessDenied(e),
            e => SessionError::AccessControl(e),
        })?;
        info!(cipher = %channel.algorithm(), "BAC established secure messaging");
        self.set_sizes_for(
            channel.max_plain_response(256),
            channel.max_plain_response(self.max_response_len()),
        );
        self.report.access_control = Some(AccessControlReport {
            protocol: "BAC",
            cipher: channel.algorithm(),
            pace: None,
            password: "MRZ",
            reauthentications: self.reauthentications,
            fallback_from_pace: None,
            quirks: Vec::new(),
        });
        self.link.secure(channel);
        self.method = Some(Method::Bac);
        self.observer
            .on_event(&ReadEvent::AccessControlDone { protocol: "BAC" });
        Ok(())
    }

    /// One PACE run with `candidate`. A chip that refuses MSE:Set AT
    /// because of the parameter identifier `84` (some require it, some
    /// reject it) gets one explicit, reported retry with the other form.
    fn run_pace<R: CryptoRng + ?Sized>(
        &mut self,
        key: &AccessKey,
        candidate: PaceCandidate,
        send_parameter_id: bool,
        rng: &mut R,
    ) -> Result<(), PaceAttempt> {
        self.link.unsecure();
        self.observer
            .on_event(&ReadEvent::AccessControlStarted { protocol: "PACE" });
        let mut quirks = Vec::new();
        let mut with_id = send_parameter_id && candidate.parameter_id.is_some();
        let config = |with_id: bool| PaceConfig {
            protocol: candidate.protocol,
            domain: candidate.domain,
            parameter_id: if with_id {
                candidate.parameter_id
            } else {
                None
            },
            password: key.pace_password(),
        };
        let (awaiting, set_at) = Pace::start(config(with_id));
        let mut answer = self
            .link
            .exchange(&set_at)
            .map_err(|e| PaceAttempt::Fatal(fatal_link(e)))?;
        let awaiting = if !answer.sw.is_success()
            && candidate.parameter_id.is_some()
            && refuses_set_at(answer.sw)
        {
            let first = answer.sw;
            with_id = !with_id;
            let (retry, set_at) = Pace::start(config(with_id));
            answer = self
                .link
                .exchange(&set_at)
                .map_err(|e| PaceAttempt::Fatal(fatal_link(e)))?;
            let note = format!(
                "MSE:Set AT refused with {first} {} the parameter id; retried {} it",
                if with_id { "without" } else { "with" },
                if with_id { "with" } else { "without" }
            );
            info!(quirk = %note, "PACE quirk");
            quirks.push(note);
            retry
        } else {
            awaiting
        };
        let outcome = self
            .pace_steps(awaiting, &answer, rng)
            .map_err(|e| match e {
                StepFailure::Link(e) => PaceAttempt::Fatal(fatal_link(e)),
                StepFailure::Pace(e) if e.is_wrong_password() => {
                    PaceAttempt::Fatal(SessionError::PacePasswordRefused {
                        password: key.kind(),
                        error: e,
                    })
                }
                StepFailure::Pace(e) => PaceAttempt::Failed(e),
            })?;
        let channel = outcome.channel;
        info!(protocol = %outcome.protocol, "PACE established secure messaging");
        self.set_sizes_for(
            channel.max_plain_response(256),
            channel.max_plain_response(self.max_response_len()),
        );
        self.report.access_control = Some(AccessControlReport {
            protocol: "PACE",
            cipher: channel.algorithm(),
            pace: Some(PaceReport {
                protocol: candidate.protocol,
                mapping: candidate.protocol.mapping,
                key_agreement: candidate.protocol.key_agreement,
                parameter_id: candidate.parameter_id,
                domain: domain_name(candidate.domain),
                parameter_id_sent: with_id,
            }),
            password: key.kind(),
            reauthentications: self.reauthentications,
            fallback_from_pace: None,
            quirks,
        });
        self.report.pace_cam = outcome.cam;
        self.link.secure(channel);
        self.method = Some(Method::Pace {
            candidate,
            send_parameter_id: with_id,
        });
        self.observer
            .on_event(&ReadEvent::AccessControlDone { protocol: "PACE" });
        Ok(())
    }

    /// The GENERAL AUTHENTICATE chain after MSE:Set AT's `answer`.
    fn pace_steps<R: CryptoRng + ?Sized>(
        &mut self,
        awaiting: AwaitingSetAt,
        answer: &mrtd_iso7816::ResponseApdu,
        rng: &mut R,
    ) -> Result<PaceOutcome, StepFailure> {
        let (s, cmd) = awaiting.on_response(answer)?;
        let r = self.link.exchange(&cmd)?;
        let (s, cmd) = s.on_response(&r, rng)?;
        let r = self.link.exchange(&cmd)?;
        let (s, cmd) = s.on_response(&r, rng)?;
        let r = self.link.exchange(&cmd)?;
        let (s, cmd) = s.on_response(&r)?;
        let r = self.link.exchange(&cmd)?;
        Ok(s.on_response(&r)?)
    }

    /// The largest response APDU (data only) both the transport and the
    /// chip accept; 256 when extended length is off or ruled out.
    fn max_response_len(&self) -> usize {
        let transport = self.link.capabilities();
        if !self.options.extended_length
            || transport.extended_length == Some(false)
            || self.capabilities.extended_length == Some(false)
        {
            return 256;
        }
        let mut max = transport.max_response_len.saturating_sub(2).min(65_536);
        if let Some((_, chip_max)) = self.report.link.as_ref().and_then(|l| l.ef_atr_info_limits) {
            max = max.min(chip_max.saturating_sub(2));
        }
        max
    }

    fn set_sizes_for(&mut self, short_max: usize, extended_cap: usize) {
        let short_max = self
            .options
            .max_short_le
            .map_or(short_max, |cap| cap.clamp(1, short_max));
        let previous = self.sizes;
        self.sizes = ReadSizes::new(
            short_max,
            if extended_cap > short_max {
                extended_cap
            } else {
                0
            },
        );
        self.sizes.sfi = previous.sfi;
        // What was learnt in an earlier session with this chip still holds.
        match previous.extended {
            ExtendedLength::Unsupported if previous.extended_cap > 0 => {
                self.sizes.extended = ExtendedLength::Unsupported
            }
            ExtendedLength::Supported(max) => {
                self.sizes.extended = ExtendedLength::Supported(max.min(extended_cap))
            }
            _ => {
                // The ATR announcing extended length together with its limits
                // in EF.ATR/INFO is enough to skip the probe.
                let announced = self.capabilities.extended_length == Some(true)
                    && self
                        .report
                        .link
                        .as_ref()
                        .is_some_and(|l| l.ef_atr_info_limits.is_some());
                if announced && self.sizes.extended == ExtendedLength::Unknown {
                    self.sizes.extended = ExtendedLength::Supported(self.sizes.extended_cap);
                }
            }
        }
    }

    /// EF.COM and EF.SOD list the data groups; probe all when asked or when
    /// neither could be read.
    fn data_groups_to_read(&self) -> Vec<DgNumber> {
        let listed = listing::listed_data_groups(&self.report.files);
        let all: BTreeSet<DgNumber> = DgNumber::ALL.into_iter().collect();
        let chosen = match listed {
            Some(listed) if !self.options.probe_all_data_groups => listed,
            _ => all,
        };
        chosen.into_iter().collect()
    }

    /// Reads an application file under secure messaging, running access
    /// control again (and resuming at the same offset) if the channel breaks.
    fn read_secure<R: CryptoRng + ?Sized>(
        &mut self,
        ef: EfId,
        key: &AccessKey,
        rng: &mut R,
    ) -> Result<(), SessionError> {
        let file = FileRef {
            fid: ef.fid(),
            sfi: ef.sfi(),
            layout: FileLayout::SingleObject,
        };
        let mut sizes = self.sizes;
        let result = self.read_file_resuming(ef, file, &mut sizes, key, rng);
        self.sizes = sizes;
        match result {
            Ok(_) => Ok(()),
            Err(FileOutcome::Skipped(reason)) => {
                self.skip(ef, reason);
                Ok(())
            }
            Err(FileOutcome::Fatal(e)) => Err(e),
        }
    }

    fn read_file_resuming<R: CryptoRng + ?Sized>(
        &mut self,
        ef: EfId,
        file: FileRef,
        sizes: &mut ReadSizes,
        key: &AccessKey,
        rng: &mut R,
    ) -> Result<Vec<u8>, FileOutcome> {
        let mut reader = FileReader::new(file);
        let mut acc = FileAccumulator::start(&self.link);
        self.observer.on_event(&ReadEvent::FileStarted { ef });
        loop {
            match self.drive(ef, &mut reader, sizes, &mut acc) {
                Ok(data) => return Ok(data),
                Err(Interrupt::ChannelLost(lost)) => {
                    let during = reader.on_session_lost(sizes);
                    warn!(file = %ef, error = %lost, ?during, "secure messaging broke; running access control again");
                    if self.reauthentications >= self.options.max_reauthentications {
                        self.keep_incomplete(ef, reader);
                        return Err(FileOutcome::Fatal(SessionError::SecureMessaging(lost)));
                    }
                    self.reauthentications += 1;
                    self.observer.on_event(&ReadEvent::Reauthenticated {
                        cause: lost.to_string(),
                    });
                    let stats = reader.stats();
                    let (data, total) = reader.into_partial();
                    acc.carry(stats);
                    // Keep what the session learnt about sizes across the restart.
                    self.sizes = *sizes;
                    if let Err(e) = self.reestablish(key, rng) {
                        if !data.is_empty() {
                            self.report.incomplete = Some(IncompleteFile {
                                ef,
                                read: data.len(),
                                data,
                                total,
                            });
                        }
                        return Err(FileOutcome::Fatal(e));
                    }
                    if let Some(ac) = self.report.access_control.as_mut() {
                        ac.reauthentications = self.reauthentications;
                    }
                    *sizes = self.sizes;
                    reader = FileReader::resume(file, data, total);
                }
                Err(Interrupt::Outcome(FileOutcome::Fatal(e))) => {
                    self.keep_incomplete(ef, reader);
                    return Err(FileOutcome::Fatal(e));
                }
                Err(Interrupt::Outcome(skip)) => return Err(skip),
            }
        }
    }

    /// Reads a file without resuming (before access control).
    fn read_file(
        &mut self,
        ef: EfId,
        file: FileRef,
        sizes: &mut ReadSizes,
    ) -> Result<Vec<u8>, FileOutcome> {
        let mut reader = FileReader::new(file);
        let mut acc = FileAccumulator::start(&self.link);
        self.observer.on_event(&ReadEvent::FileStarted { ef });
        match self.drive(ef, &mut reader, sizes, &mut acc) {
            Ok(data) => Ok(data),
            Err(Interrupt::ChannelLost(lost)) => {
                Err(FileOutcome::Fatal(SessionError::SecureMessaging(lost)))
            }
            Err(Interrupt::Outcome(FileOutcome::Fatal(e))) => {
                self.keep_incomplete(ef, reader);
                Err(FileOutcome::Fatal(e))
            }
            Err(Interrupt::Outcome(skip)) => Err(skip),
        }
    }

    /// Runs the reader's state machine to completion over the link.
    fn drive(
        &mut self,
        ef: EfId,
        reader: &mut FileReader,
        sizes: &mut ReadSizes,
        acc: &mut FileAccumulator,
    ) -> Result<Vec<u8>, Interrupt> {
        loop {
            let step = reader
                .next_step(sizes)
                .map_err(|e| Interrupt::Outcome(read_outcome(e)))?;
            let command = match step {
                ReadStep::Done(data) => {
                    let stats = acc.finish(&self.link, data.len(), reader.stats());
                    debug!(file = %ef, size = data.len(), apdus = stats.apdus, "file read");
                    self.report.file_stats.insert(ef, stats);
                    self.report.files.insert(ef, data.clone());
                    self.observer.on_event(&ReadEvent::FileDone { ef, stats });
                    return Ok(data);
                }
                ReadStep::Send(command) => command,
            };
            if self.link.counters().apdus >= self.options.max_apdus {
                return Err(Interrupt::Outcome(FileOutcome::Fatal(
                    SessionError::TooManyCommands {
                        limit: self.options.max_apdus,
                    },
                )));
            }
            match self.link.exchange(&command) {
                Ok(response) => {
                    reader
                        .on_response(response, sizes)
                        .map_err(|e| Interrupt::Outcome(read_outcome(e)))?;
                    let (read, total) = reader.progress();
                    self.observer
                        .on_event(&ReadEvent::FileProgress { ef, read, total });
                }
                Err(LinkError::ChannelLost(lost)) => return Err(Interrupt::ChannelLost(lost)),
                Err(LinkError::Transport(e)) => {
                    return Err(Interrupt::Outcome(FileOutcome::Fatal(e.into())));
                }
                Err(LinkError::CommandRejected(e)) => {
                    return Err(Interrupt::Outcome(FileOutcome::Fatal(
                        SessionError::Internal(e.to_string()),
                    )));
                }
            }
        }
    }

    fn keep_incomplete(&mut self, ef: EfId, reader: FileReader) {
        let (data, total) = reader.into_partial();
        if !data.is_empty() {
            self.report.incomplete = Some(IncompleteFile {
                ef,
                read: data.len(),
                data,
                total,
            });
        }
    }

    fn skip(&mut self, ef: EfId, reason: SkipReason) {
        debug!(file = %ef, ?reason, "file not read");
        self.observer.on_event(&ReadEvent::FileSkipped {
            ef,
            reason: reason.clone(),
        });
        self.report.skipped.insert(ef, reason);
    }

    fn finish(mut self) -> ReadReport {
        let counters = self.link.counters();
        self.report.totals = Totals {
            apdus: counters.apdus,
            bytes_sent: counters.bytes_sent,
            bytes_received: counters.bytes_received,
            millis: millis(self.started),
        };
        let secured = self.report.access_control.is_some();
        if let (Some(link), true) = (self.report.link.as_mut(), secured) {
            link.extended_length = self.sizes.extended;
            link.short_le = self.sizes.short_max;
            link.short_ef_identifiers = self.sizes.sfi;
        }
        self.report
    }
}

/// How one PACE attempt ended when it did not succeed.
enum PaceAttempt {
    /// Stop the read (transport failure, wrong password).
    Fatal(SessionError),
    /// Try the next offer or fall back.
    Failed(PaceError),
}

/// A failure inside the GENERAL AUTHENTICATE chain.
enum StepFailure {
    Link(LinkError),
    Pace(PaceError),
}

impl From<LinkError> for StepFailure {
    fn from(e: LinkError) -> Self {
        Self::Link(e)
    }
}

impl From<PaceError> for StepFailure {
    fn from(e: PaceError) -> Self {
        Self::Pace(e)
    }
}

/// Status words with which chips refuse MSE:Set AT over the form of its
/// data (Doc 9303-11 §4.4.4.1: `6A80`; in the field also `6700`, `6A88`,
/// `6A86`).
fn refuses_set_at(sw: StatusWord) -> bool {
    matches!(
        sw,
        StatusWord::IncorrectData
            | StatusWord::WrongLength
            | StatusWord::ReferencedDataNotFound
            | StatusWord::IncorrectP1P2
    )
}

/// A readable name of domain parameters.
fn domain_name(domain: DomainParameters) -> String {
    match domain {
        DomainParameters::Ec(c) => c.name().to_string(),
        DomainParameters::Dh(g) => format!("{g:?}"),
    }
}

enum Interrupt {
    ChannelLost(ChannelLost),
    Outcome(FileOutcome),
}

fn read_outcome(error: ReadError) -> FileOutcome {
    match error {
        ReadError::NotFound => FileOutcome::Skipped(SkipReason::NotPresent),
        ReadError::AccessDenied(sw) => FileOutcome::Skipped(SkipReason::access_denied(sw)),
        other => FileOutcome::Skipped(SkipReason::Failed {
            message: other.to_string(),
        }),
    }
}

fn fatal_link(e: LinkError) -> SessionError {
    match e {
        LinkError::Transport(e) => SessionError::Transport(e),
        LinkError::ChannelLost(lost) => SessionError::SecureMessaging(lost),
        LinkError::CommandRejected(e) => SessionError::Internal(e.to_string()),
    }
}

fn millis(since: Instant) -> u64 {
    u64::try_from(since.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Per-file counters across restarts.
struct FileAccumulator {
    wire_start: WireCounters,
    started: Instant,
    carried: FileReadStats,
}

impl FileAccumulator {
    fn start<T: Transport + ?Sized>(link: &Link<'_, T>) -> Self {
        Self {
            wire_start: link.counters(),
            started: Instant::now(),
            carried: FileReadStats::default(),
        }
    }

    /// Adds the counters of a reader that is being replaced.
    fn carry(&mut self, stats: FileReadStats) {
        self.carried.reads += stats.reads;
        self.carried.retries += stats.retries;
        self.carried.extended_used |= stats.extended_used;
    }

    fn finish<T: Transport + ?Sized>(
        &self,
        link: &Link<'_, T>,
        size: usize,
        stats: FileReadStats,
    ) -> FileStats {
        let wire = link.counters().since(&self.wire_start);
        FileStats {
            size,
            apdus: wire.apdus,
            reads: stats.reads + self.carried.reads,
            retries: stats.retries + self.carried.retries,
            bytes_sent: wire.bytes_sent,
            bytes_received: wire.bytes_received,
            extended_length: stats.extended_used || self.carried.extended_used,
            millis: millis(self.started),
        }
    }
}
