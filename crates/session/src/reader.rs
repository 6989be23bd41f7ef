//! Reading a passport end to end: link set-up, access control, and every
//! file the access rights allow.

use std::collections::BTreeSet;
use std::time::Instant;

use mrtd_iso7816::atr::{self, CardCapabilities};
use mrtd_iso7816::{StatusWord, Transport, TransportError};
use mrtd_lds::{DgNumber, EfId};
use mrtd_protocol::read::{
    self, ExtendedLength, FileLayout, FileReadStats, FileReader, FileRef, ReadError, ReadSizes,
    ReadStep,
};
use mrtd_protocol::{Bac, BacError, ChannelLost};
use rand_core::CryptoRng;
use tracing::{debug, info, info_span, warn};

use crate::access::AccessKey;
use crate::link::{Link, LinkError, WireCounters};
use crate::listing;
use crate::observer::{ReadEvent, ReadObserver};
use crate::report::{
    AccessControlReport, FileStats, IncompleteFile, LinkReport, ReadReport, SkipReason, Totals,
};

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
    /// Access control failed for another reason (the chip misbehaved).
    #[error("access control failed: {0}")]
    AccessControl(BacError),
    /// The chip has no eMRTD application.
    #[error("the chip has no eMRTD application (SELECT answered {0})")]
    NotAnEmrtd(StatusWord),
    /// Secure messaging broke more often than allowed.
    #[error("secure messaging failed repeatedly: {0}")]
    SecureMessaging(ChannelLost),
    /// A command could not be protected (a bug, reported rather than hidden).
    #[error("internal error: {0}")]
    Internal(String),
}

impl SessionError {
    /// `true` when the chip refused the access key.
    #[must_use]
    pub fn is_access_denied(&self) -> bool {
        matches!(self, Self::AccessDenied(_))
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
/// announces it (extended-length limits), EF.CardAccess, SELECT of the eMRTD
/// application, BAC, then EF.COM, EF.SOD and each data group that either
/// of them lists (DG3/DG4 are attempted and reported as access denied
/// without Terminal Authentication).
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

struct Session<'a, 't, T: Transport + ?Sized> {
    link: Link<'t, T>,
    options: &'a ReadOptions,
    observer: &'a mut dyn ReadObserver,
    report: ReadReport,
    started: Instant,
    reauthentications: u32,
    sizes: ReadSizes,
    capabilities: CardCapabilities,
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
        if self.options.card_access {
            self.read_plain(EfId::CardAccess, FileLayout::SingleObject)?;
        }
        self.access_control(key, rng)?;
        self.read_secure(EfId::Com, key, rng)?;
        self.read_secure(EfId::Sod, key, rng)?;
        for dg in self.data_groups_to_read() {
            self.read_secure(EfId::Dg(dg), key, rng)?;
        }
        Ok(())
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

    fn access_control<R: CryptoRng + ?Sized>(
        &mut self,
        key: &AccessKey,
        rng: &mut R,
    ) -> Result<(), SessionError> {
        self.link.unsecure();
        let select = self
            .link
            .exchange(&read::select_application(&read::EMRTD_AID))
            .map_err(fatal_link)?;
        if !select.sw.is_processing_completed() {
            return Err(SessionError::NotAnEmrtd(select.sw));
        }
        self.observer
            .on_event(&ReadEvent::AccessControlStarted { protocol: "BAC" });
        let (awaiting, get_challenge) = Bac::start(key.bac_key());
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
            reauthentications: self.reauthentications,
        });
        self.link.secure(channel);
        self.observer
            .on_event(&ReadEvent::AccessControlDone { protocol: "BAC" });
        Ok(())
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
                    if let Err(e) = self.access_control(key, rng) {
                        self.report.incomplete = Some(IncompleteFile {
                            ef,
                            read: data.len(),
                            data,
                            total,
                        });
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
