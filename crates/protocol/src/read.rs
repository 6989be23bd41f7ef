//! Reading one elementary file: the sans-I/O state machine behind
//! `mrtd read` (Doc 9303-10 §3, Doc 9303-11 §4.2, ISO/IEC 7816-4 §11.2).
//!
//! A [`FileReader`] yields plain command APDUs and consumes plain response
//! APDUs; the caller protects them with secure messaging when a session is
//! open and moves them over whatever transport it has. What the reader
//! learns about the chip (does it take short EF identifiers, extended
//! lengths, how large a Le) lives in [`ReadSizes`], which the caller keeps
//! for the whole session and hands to every file.
//!
//! The strategy, per file:
//! 1. READ BINARY with the short EF identifier in P1 and offset 0, which
//!    selects the file and reads its first bytes in one APDU; if the chip
//!    does not take SFIs, SELECT EF (P2 = `0C`) and READ BINARY.
//! 2. The first bytes are the file's tag and length: every LDS1 file is
//!    one data object, so the total length is known after 8 bytes.
//! 3. The rest in as few READ BINARY commands as the chip allows: one
//!    extended-length command where the chip and transport carry it,
//!    otherwise the largest short Le whose protected response fits in 256
//!    bytes. Offsets above 32 767 use the odd-INS READ BINARY (`B1`) with
//!    the offset in `DO'54'`.
//! 4. On `6700`, `6CXX`, `6282` or an early end of file the chip is asked
//!    again with a length it can serve, and the lesson is remembered.

use mrtd_iso7816::tlv::{self, Tag, TlvError};
use mrtd_iso7816::{CommandApdu, LengthEncoding, ResponseApdu, StatusWord};

/// Bytes read first to learn a file's length: tag (≤ 3 bytes) and length
/// (≤ 5 bytes) of its outer data object.
pub const HEADER_PROBE_LEN: usize = 8;

/// Largest offset the even-INS READ BINARY can address (15 bits).
pub const MAX_EVEN_INS_OFFSET: usize = 0x7FFF;

/// Largest offset a READ BINARY with a short EF identifier can address (P2).
pub const MAX_SFI_OFFSET: usize = 0xFF;

/// Default upper bound on a file's size: far above any LDS1 file seen in
/// the field, low enough that a hostile length cannot make us read forever.
pub const DEFAULT_MAX_FILE_LEN: usize = 4 * 1024 * 1024;

/// How consecutive `6CXX`/`6700` answers at the same offset are tolerated
/// before the reader gives up.
const MAX_RETRIES_PER_OFFSET: u32 = 16;

/// Decreasing short Le values tried after `6700` on a short READ BINARY.
/// `DF` first: it is the largest Le whose protected response fits in 256
/// bytes under AES, and many chips cap every short read there.
const SHORT_LADDER: [usize; 11] = [
    0xDF, 0xC0, 0xA0, 0x80, 0x60, 0x40, 0x20, 0x10, 0x08, 0x04, 0x01,
];

/// Smallest extended Le worth trying before falling back to short APDUs.
const MIN_EXTENDED_PROBE: usize = 512;

/// A file to read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileRef {
    /// File identifier for SELECT.
    pub fid: u16,
    /// Short EF identifier, if the file has one.
    pub sfi: Option<u8>,
    /// How the file's length is found.
    pub layout: FileLayout,
}

/// How a reader learns where a file ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileLayout {
    /// One BER-TLV data object (every LDS1 EF): its header gives the length.
    SingleObject,
    /// A sequence of data objects without an outer one (EF.ATR/INFO): read
    /// until the chip reports the end of the file.
    UntilEnd,
}

/// What the chip supports with respect to extended length.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case", tag = "state", content = "max")]
pub enum ExtendedLength {
    /// Not known yet: the first large read probes it.
    Unknown,
    /// Extended Le works up to this many plaintext bytes.
    Supported(usize),
    /// Only short APDUs work.
    Unsupported,
}

/// What the reader knows about read sizes, kept for the whole session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadSizes {
    /// Largest Le for a short READ BINARY, e.g. `E7` under 3DES secure
    /// messaging, `DF` under AES, 256 without secure messaging; lowered
    /// after `6700` answers.
    pub short_max: usize,
    /// Extended-length state.
    pub extended: ExtendedLength,
    /// Largest plaintext an extended READ BINARY can ask for (from the
    /// transport's and the chip's limits and the secure-messaging overhead).
    pub extended_cap: usize,
    /// Whether READ BINARY with a short EF identifier works (`None`: not tried yet).
    pub sfi: Option<bool>,
    /// Largest file the reader accepts.
    pub max_file_len: usize,
}

impl ReadSizes {
    /// Sizes for a session whose largest short read is `short_max` and
    /// whose largest extended read is `extended_cap` (0 forbids extended
    /// length).
    #[must_use]
    pub fn new(short_max: usize, extended_cap: usize) -> Self {
        let extended = if extended_cap > short_max {
            ExtendedLength::Unknown
        } else {
            ExtendedLength::Unsupported
        };
        Self {
            short_max,
            extended,
            extended_cap,
            sfi: None,
            max_file_len: DEFAULT_MAX_FILE_LEN,
        }
    }
}

/// Why a file could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    /// The file does not exist (`6A82`).
    #[error("file not found")]
    NotFound,
    /// The access conditions are not met (`6982`), e.g. an EAC-protected DG.
    #[error("access denied ({0})")]
    AccessDenied(StatusWord),
    /// The chip answered a status word that ends the read.
    #[error("{command} failed: {sw}")]
    Status {
        /// Which command failed.
        command: &'static str,
        /// The status word.
        sw: StatusWord,
    },
    /// The file does not start with a valid data object header.
    #[error("malformed file header: {0}")]
    MalformedHeader(TlvError),
    /// A file larger than the configured maximum.
    #[error("file announces {announced} bytes, more than the {max}-byte limit")]
    TooLarge {
        /// Announced size.
        announced: usize,
        /// The limit.
        max: usize,
    },
    /// The chip returned more bytes than requested.
    #[error("chip returned {returned} bytes for a request of {requested}")]
    TooMuchData {
        /// Bytes requested.
        requested: usize,
        /// Bytes returned.
        returned: usize,
    },
    /// The file ended before the length its header announces.
    #[error("file ended at {at} bytes, its header announces {announced}")]
    Truncated {
        /// Where it ended.
        at: usize,
        /// What the header said.
        announced: usize,
    },
    /// The chip keeps answering without data or with wrong-length hints.
    #[error("no progress reading at offset {offset}")]
    NoProgress {
        /// The offset.
        offset: usize,
    },
    /// An odd-INS response without its `DO'53'` wrapper.
    #[error("malformed odd-INS READ BINARY response: {0}")]
    MalformedOddResponse(TlvError),
}

/// What to do next.
#[derive(Debug)]
pub enum ReadStep {
    /// Send this command and pass the response to [`FileReader::on_response`].
    Send(CommandApdu),
    /// The file is complete.
    Done(Vec<u8>),
}

/// The command the reader is waiting on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pending {
    None,
    Select,
    Read {
        offset: usize,
        requested: usize,
        extended: bool,
        via_sfi: bool,
    },
}

/// Counters for one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct FileReadStats {
    /// Command APDUs issued (SELECT and READ BINARY, retries included).
    pub commands: u32,
    /// READ BINARY commands issued.
    pub reads: u32,
    /// Commands re-issued after `6CXX`, `6700` or a refused SFI.
    pub retries: u32,
    /// Whether an extended-length READ BINARY succeeded.
    pub extended_used: bool,
    /// Bytes the chip returned beyond the end of the file's data object
    /// (not kept: the file is its data object).
    pub discarded_bytes: usize,
}

/// Reads one file; see the module documentation for the strategy.
#[derive(Debug)]
pub struct FileReader {
    file: FileRef,
    data: Vec<u8>,
    /// Total length once the header is known.
    total: Option<usize>,
    selected: bool,
    pending: Pending,
    /// Le imposed by a `6CXX` answer for the next read at the same offset.
    exact_le: Option<usize>,
    retries_here: u32,
    finished: bool,
    stats: FileReadStats,
}

impl FileReader {
    /// Starts reading `file` from its beginning.
    #[must_use]
    pub fn new(file: FileRef) -> Self {
        Self::resume(file, Vec::new(), None)
    }

    /// Continues a read that stopped after `data` (for example after the
    /// card was removed and access control ran again). `total` is the length
    /// learnt from the header, if it was read.
    #[must_use]
    pub fn resume(file: FileRef, data: Vec<u8>, total: Option<usize>) -> Self {
        Self {
            file,
            data,
            total,
            selected: false,
            pending: Pending::None,
            exact_le: None,
            retries_here: 0,
            finished: false,
            stats: FileReadStats::default(),
        }
    }

    /// The file being read.
    #[must_use]
    pub fn file(&self) -> FileRef {
        self.file
    }

    /// Bytes read so far and the total, once known.
    #[must_use]
    pub fn progress(&self) -> (usize, Option<usize>) {
        (self.data.len(), self.total)
    }

    /// Counters so far.
    #[must_use]
    pub fn stats(&self) -> FileReadStats {
        self.stats
    }

    /// Gives up the read and returns what was read so far with the total
    /// length, if known (for [`FileReader::resume`]).
    #[must_use]
    pub fn into_partial(self) -> (Vec<u8>, Option<usize>) {
        (self.data, self.total)
    }

    /// The next command to send, or the complete file.
    ///
    /// # Errors
    /// [`ReadError::TooLarge`] when the file exceeds `sizes.max_file_len`.
    pub fn next_step(&mut self, sizes: &ReadSizes) -> Result<ReadStep, ReadError> {
        if self.finished || self.total.is_some_and(|t| self.data.len() >= t) {
            self.finished = true;
            return Ok(ReadStep::Done(core::mem::take(&mut self.data)));
        }
        let offset = self.data.len();
        let want = self.wanted_len();
        let use_sfi = !self.selected && offset <= MAX_SFI_OFFSET && sizes.sfi != Some(false);
        let command = match (use_sfi, self.file.sfi) {
            (true, Some(sfi)) => self.read_command(offset, want, sizes, Some(sfi)),
            _ if !self.selected => {
                self.pending = Pending::Select;
                select_ef(self.file.fid)
            }
            _ => self.read_command(offset, want, sizes, None),
        };
        self.stats.commands += 1;
        Ok(ReadStep::Send(command))
    }

    /// How many bytes the next read should fetch, before size limits.
    fn wanted_len(&self) -> usize {
        match self.total {
            Some(total) => total - self.data.len(),
            // Header not read yet (or the file has no header): a small probe
            // for a single object, large chunks for read-until-end files.
            None if self.file.layout == FileLayout::SingleObject => HEADER_PROBE_LEN,
            // Read-until-end files: as much as one extended APDU can carry;
            // the size limits below bring it down to what the link allows.
            None => mrtd_iso7816::apdu::MAX_NE_EXTENDED,
        }
    }

    fn read_command(
        &mut self,
        offset: usize,
        want: usize,
        sizes: &ReadSizes,
        sfi: Option<u8>,
    ) -> CommandApdu {
        let odd = offset > MAX_EVEN_INS_OFFSET;
        // Odd-INS responses wrap the data in DO'53': Ne counts the wrapper,
        // so the data that fits is smaller than Ne (ISO 7816-4 §11.2.3).
        let ne_for = |data: usize| {
            if odd {
                data + do53_header_len(data)
            } else {
                data
            }
        };
        let room_in = |ne: usize| if odd { odd_ins_room(ne) } else { ne };
        let extended_ok = matches!(
            sizes.extended,
            ExtendedLength::Unknown | ExtendedLength::Supported(_)
        );
        let ext_cap = match sizes.extended {
            ExtendedLength::Supported(max) => max.min(sizes.extended_cap),
            _ => sizes.extended_cap,
        };
        let wanted_ne = ne_for(want);
        let (mut ne, extended) = if wanted_ne > sizes.short_max && extended_ok {
            (wanted_ne.min(ext_cap), true)
        } else {
            (wanted_ne.min(sizes.short_max), false)
        };
        if let Some(exact) = self.exact_le {
            ne = exact.min(wanted_ne);
        }
        let ne = ne.max(ne_for(1));
        let len = room_in(ne).min(want).max(1);
        let extended = extended && ne > 256;
        self.pending = Pending::Read {
            offset,
            requested: len,
            extended,
            via_sfi: sfi.is_some(),
        };
        self.stats.reads += 1;
        let cmd = if odd {
            // ISO 7816-4 §11.2.3: offset in DO'54', P1-P2 = 0000 (current EF).
            let offset_bytes = minimal_be(offset);
            let data = tlv::tlv(Tag(0x54), &offset_bytes);
            CommandApdu::new(0x00, 0xB1, 0x00, 0x00)
                .with_data(data)
                .and_then(|c| c.with_ne(ne))
        } else if let Some(sfi) = sfi {
            CommandApdu::new(0x00, 0xB0, 0x80 | (sfi & 0x1F), offset as u8).with_ne(len)
        } else {
            let [p1, p2] = (offset as u16).to_be_bytes();
            CommandApdu::new(0x00, 0xB0, p1 & 0x7F, p2).with_ne(len)
        };
        // Lengths are clamped to 1..=65536 above, so construction succeeds;
        // should it not, a case-1 command makes the chip report the error.
        let cmd = cmd.unwrap_or_else(|_| CommandApdu::new(0x00, 0xB0, 0x00, 0x00));
        if extended {
            cmd.with_encoding(LengthEncoding::Extended)
        } else {
            cmd
        }
    }

    /// Consumes the chip's (plain, already unprotected) response.
    ///
    /// # Errors
    /// A [`ReadError`] that ends the read of this file.
    pub fn on_response(
        &mut self,
        response: ResponseApdu,
        sizes: &mut ReadSizes,
    ) -> Result<(), ReadError> {
        let pending = core::mem::replace(&mut self.pending, Pending::None);
        match pending {
            Pending::None => Ok(()),
            Pending::Select => self.on_select(response.sw),
            Pending::Read {
                offset,
                requested,
                extended,
                via_sfi,
            } => self.on_read(response, sizes, offset, requested, extended, via_sfi),
        }
    }

    fn on_select(&mut self, sw: StatusWord) -> Result<(), ReadError> {
        match sw {
            sw if sw.is_processing_completed() => {
                self.selected = true;
                Ok(())
            }
            StatusWord::FileNotFound => Err(ReadError::NotFound),
            StatusWord::SecurityStatusNotSatisfied | StatusWord::ConditionsOfUseNotSatisfied => {
                Err(ReadError::AccessDenied(sw))
            }
            sw => Err(ReadError::Status {
                command: "SELECT",
                sw,
            }),
        }
    }

    fn on_read(
        &mut self,
        response: ResponseApdu,
        sizes: &mut ReadSizes,
        offset: usize,
        requested: usize,
        extended: bool,
        via_sfi: bool,
    ) -> Result<(), ReadError> {
        let sw = response.sw;
        match sw {
            StatusWord::Success | StatusWord::EndOfFile => {
                if via_sfi {
                    sizes.sfi = Some(true);
                    self.selected = true;
                }
                let data = if offset > MAX_EVEN_INS_OFFSET {
                    unwrap_odd_response(&response.data)?
                } else {
                    response.data
                };
                if data.len() > requested {
                    return Err(ReadError::TooMuchData {
                        requested,
                        returned: data.len(),
                    });
                }
                if extended {
                    self.stats.extended_used = true;
                    if sizes.extended == ExtendedLength::Unknown {
                        sizes.extended = ExtendedLength::Supported(sizes.extended_cap);
                    }
                }
                self.exact_le = None;
                // Only `6282` (or `6B00` at the next offset) marks the end:
                // chips may return fewer bytes than asked with `9000` — an
                // odd-INS answer sized from Ne always does — which is
                // progress, not the end, for every file layout.
                let end_of_file = sw == StatusWord::EndOfFile;
                if data.is_empty() && !end_of_file {
                    return self.retry(offset);
                }
                self.retries_here = 0;
                self.data.extend_from_slice(&data);
                self.learn_total(sizes)?;
                if end_of_file {
                    self.end_of_file()?;
                }
                Ok(())
            }
            StatusWord::WrongLe(exact) => {
                self.exact_le = Some(if exact == 0 { 256 } else { usize::from(exact) });
                self.retry(offset)
            }
            StatusWord::WrongLength => {
                if extended {
                    // Halve the extended size until it is no better than a
                    // short APDU; then stop trying extended length.
                    let next = requested / 2;
                    if next >= MIN_EXTENDED_PROBE && next > sizes.short_max {
                        sizes.extended = ExtendedLength::Supported(next);
                    } else {
                        sizes.extended = ExtendedLength::Unsupported;
                    }
                } else {
                    let next = SHORT_LADDER
                        .iter()
                        .copied()
                        .find(|l| *l < requested.min(sizes.short_max));
                    match next {
                        Some(l) => sizes.short_max = l,
                        None => {
                            return Err(ReadError::Status {
                                command: "READ BINARY",
                                sw,
                            });
                        }
                    }
                }
                self.retry(offset)
            }
            StatusWord::FileNotFound => Err(ReadError::NotFound),
            StatusWord::SecurityStatusNotSatisfied | StatusWord::ConditionsOfUseNotSatisfied => {
                Err(ReadError::AccessDenied(sw))
            }
            // Chips without short-EF-identifier support answer one of these.
            StatusWord::IncorrectP1P2
            | StatusWord::WrongP1P2
            | StatusWord::FunctionNotSupported
            | StatusWord::InsNotSupported
            | StatusWord::NoCurrentEf
            | StatusWord::IncompatibleFileStructure
                if via_sfi =>
            {
                sizes.sfi = Some(false);
                self.stats.retries += 1;
                Ok(())
            }
            // Offset beyond the end: a read-until-end file is complete.
            StatusWord::WrongP1P2 | StatusWord::IncorrectP1P2
                if offset > 0 && self.total.is_none() =>
            {
                self.end_of_file()
            }
            StatusWord::WrongP1P2 | StatusWord::IncorrectP1P2 if self.total.is_some() => {
                Err(ReadError::Truncated {
                    at: offset,
                    announced: self.total.unwrap_or(offset),
                })
            }
            sw => Err(ReadError::Status {
                command: "READ BINARY",
                sw,
            }),
        }
    }

    fn retry(&mut self, offset: usize) -> Result<(), ReadError> {
        self.retries_here += 1;
        self.stats.retries += 1;
        if self.retries_here > MAX_RETRIES_PER_OFFSET {
            return Err(ReadError::NoProgress { offset });
        }
        Ok(())
    }

    /// Learns the total length from the header once enough bytes are in.
    fn learn_total(&mut self, sizes: &ReadSizes) -> Result<(), ReadError> {
        if self.total.is_some() {
            return Ok(());
        }
        match self.file.layout {
            FileLayout::SingleObject => match tlv::parse_header(&self.data) {
                Ok(header) => {
                    let total = header.total_len();
                    if total > sizes.max_file_len {
                        return Err(ReadError::TooLarge {
                            announced: total,
                            max: sizes.max_file_len,
                        });
                    }
                    if self.data.len() > total {
                        // The probe read past the object: keep the object
                        // only, and count what was dropped.
                        self.stats.discarded_bytes += self.data.len() - total;
                        self.data.truncate(total);
                    }
                    self.total = Some(total);
                    Ok(())
                }
                // Not enough bytes for the header yet: read on.
                Err(TlvError::Truncated { .. }) => Ok(()),
                Err(e) => Err(ReadError::MalformedHeader(e)),
            },
            FileLayout::UntilEnd if self.data.len() > sizes.max_file_len => {
                Err(ReadError::TooLarge {
                    announced: self.data.len(),
                    max: sizes.max_file_len,
                })
            }
            FileLayout::UntilEnd => Ok(()),
        }
    }

    /// The chip says the file ends at the current length.
    fn end_of_file(&mut self) -> Result<(), ReadError> {
        match (self.file.layout, self.total) {
            (_, Some(total)) if self.data.len() >= total => Ok(()),
            // The header promised more than the chip has.
            (FileLayout::SingleObject, Some(total)) => Err(ReadError::Truncated {
                at: self.data.len(),
                announced: total,
            }),
            (FileLayout::SingleObject, None) => {
                Err(ReadError::MalformedHeader(TlvError::Truncated {
                    offset: self.data.len(),
                    needed: 1,
                }))
            }
            (FileLayout::UntilEnd, _) => {
                self.total = Some(self.data.len());
                self.finished = true;
                Ok(())
            }
        }
    }

    /// Tells the reader that the secure channel broke while its command was
    /// outstanding; the caller will run access control again and resume.
    ///
    /// Some chips end secure messaging with a plain `6700` instead of
    /// answering a READ BINARY they cannot serve with a protected one. When
    /// the lost command was the first extended-length read of the session,
    /// extended length is therefore taken as unsupported; when it was a
    /// short read above the next rung of the ladder, the short Le is
    /// lowered. The result says which lesson, if any, was drawn.
    pub fn on_session_lost(&mut self, sizes: &mut ReadSizes) -> SessionLostDuring {
        let pending = core::mem::replace(&mut self.pending, Pending::None);
        self.selected = false;
        self.exact_le = None;
        match pending {
            Pending::Read { extended: true, .. } if sizes.extended == ExtendedLength::Unknown => {
                sizes.extended = ExtendedLength::Unsupported;
                SessionLostDuring::ExtendedLengthProbe
            }
            Pending::Read {
                extended: false,
                requested,
                ..
            } if requested >= sizes.short_max => {
                match SHORT_LADDER.iter().copied().find(|l| *l < sizes.short_max) {
                    Some(lower) => {
                        sizes.short_max = lower;
                        SessionLostDuring::LargeShortRead
                    }
                    None => SessionLostDuring::Other,
                }
            }
            _ => SessionLostDuring::Other,
        }
    }
}

/// What the reader concluded from a broken secure channel
/// ([`FileReader::on_session_lost`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionLostDuring {
    /// The first extended-length READ BINARY: extended length is now off.
    ExtendedLengthProbe,
    /// A short READ BINARY with the largest Le: the Le is now lower.
    LargeShortRead,
    /// Nothing to learn from it.
    Other,
}

/// SELECT EF by file identifier under the current DF, no response data
/// (Doc 9303-10 §3.x: P1 = `02`, P2 = `0C`).
#[must_use]
pub fn select_ef(fid: u16) -> CommandApdu {
    let cmd = CommandApdu::new(0x00, 0xA4, 0x02, 0x0C);
    // Two data bytes are always within range.
    cmd.clone()
        .with_data(fid.to_be_bytes().to_vec())
        .unwrap_or(cmd)
}

/// SELECT by DF name (AID), no response data.
#[must_use]
pub fn select_application(aid: &[u8]) -> CommandApdu {
    let cmd = CommandApdu::new(0x00, 0xA4, 0x04, 0x0C);
    cmd.clone().with_data(aid.to_vec()).unwrap_or(cmd)
}

/// SELECT the master file (`3F00`), no response data.
#[must_use]
pub fn select_master_file() -> CommandApdu {
    CommandApdu::new(0x00, 0xA4, 0x00, 0x0C)
}

/// The eMRTD application identifier (Doc 9303-10 §3.x, LDS1).
pub const EMRTD_AID: [u8; 7] = [0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01];

/// Length of the `DO'53'` header (tag and length) around `len` bytes.
fn do53_header_len(len: usize) -> usize {
    match len {
        0..=0x7F => 2,
        0x80..=0xFF => 3,
        0x100..=0xFFFF => 4,
        _ => 5,
    }
}

/// The most data an odd-INS response with Ne = `ne` can carry in its
/// `DO'53'`.
fn odd_ins_room(ne: usize) -> usize {
    (2..=5)
        .map(|header| ne.saturating_sub(header))
        .filter(|v| v + do53_header_len(*v) <= ne)
        .max()
        .unwrap_or(0)
}

fn minimal_be(value: usize) -> Vec<u8> {
    let bytes = (value as u32).to_be_bytes();
    let skip = bytes.iter().take(3).take_while(|b| **b == 0).count();
    bytes[skip..].to_vec()
}

/// The data inside the `DO'53'` of an odd-INS READ BINARY response.
fn unwrap_odd_response(data: &[u8]) -> Result<Vec<u8>, ReadError> {
    if data.is_empty() {
        return Ok(Vec::new());
    }
    tlv::parse_single(data, Tag(0x53))
        .map(|t| t.value.to_vec())
        .map_err(ReadError::MalformedOddResponse)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal plain file system answering READ BINARY, for exercising the
    /// state machine without secure messaging.
    struct Chip {
        file: Vec<u8>,
        fid: u16,
        sfi_supported: bool,
        max_short: usize,
        max_extended: Option<usize>,
        selected: bool,
        commands: Vec<CommandApdu>,
    }

    impl Chip {
        fn new(file: Vec<u8>) -> Self {
            Self {
                file,
                fid: 0x0102,
                sfi_supported: true,
                max_short: 256,
                max_extended: Some(65_536),
                selected: false,
                commands: vec![],
            }
        }

        fn answer(&mut self, cmd: &CommandApdu) -> ResponseApdu {
            self.commands.push(cmd.clone());
            match cmd.ins {
                0xA4 => {
                    if cmd.data() == self.fid.to_be_bytes() {
                        self.selected = true;
                        ResponseApdu::status(StatusWord::Success)
                    } else {
                        ResponseApdu::status(StatusWord::FileNotFound)
                    }
                }
                0xB0 | 0xB1 => {
                    let (offset, ne) = if cmd.ins == 0xB1 {
                        let t = tlv::parse_single(cmd.data(), Tag(0x54)).unwrap();
                        (
                            t.value
                                .iter()
                                .fold(0usize, |a, b| (a << 8) | usize::from(*b)),
                            cmd.ne().unwrap(),
                        )
                    } else if cmd.p1 & 0x80 != 0 {
                        if !self.sfi_supported {
                            return ResponseApdu::status(StatusWord::IncorrectP1P2);
                        }
                        self.selected = true;
                        (usize::from(cmd.p2), cmd.ne().unwrap())
                    } else {
                        (
                            usize::from(u16::from_be_bytes([cmd.p1, cmd.p2])),
                            cmd.ne().unwrap(),
                        )
                    };
                    if !self.selected {
                        return ResponseApdu::status(StatusWord::NoCurrentEf);
                    }
                    let limit = if cmd.is_extended() {
                        self.max_extended
                    } else {
                        Some(self.max_short)
                    };
                    match limit {
                        Some(l) if ne <= l => {}
                        _ => return ResponseApdu::status(StatusWord::WrongLength),
                    }
                    if offset > self.file.len() {
                        return ResponseApdu::status(StatusWord::WrongP1P2);
                    }
                    let room = if cmd.ins == 0xB1 {
                        odd_ins_room(ne)
                    } else {
                        ne
                    };
                    let end = (offset + room).min(self.file.len());
                    let mut data = self.file[offset..end].to_vec();
                    if cmd.ins == 0xB1 {
                        data = tlv::tlv(Tag(0x53), &data);
                    }
                    let sw = if end - offset < room {
                        StatusWord::EndOfFile
                    } else {
                        StatusWord::Success
                    };
                    ResponseApdu::new(data, sw)
                }
                _ => ResponseApdu::status(StatusWord::InsNotSupported),
            }
        }
    }

    fn dg2_of(len: usize) -> Vec<u8> {
        let body: Vec<u8> = (0..len).map(|i| (i * 7) as u8).collect();
        tlv::tlv(Tag(0x75), &body)
    }

    const DG2: FileRef = FileRef {
        fid: 0x0102,
        sfi: Some(2),
        layout: FileLayout::SingleObject,
    };

    fn run(chip: &mut Chip, file: FileRef, sizes: &mut ReadSizes) -> Result<Vec<u8>, ReadError> {
        let mut reader = FileReader::new(file);
        for _ in 0..10_000 {
            match reader.next_step(sizes)? {
                ReadStep::Done(data) => return Ok(data),
                ReadStep::Send(cmd) => {
                    let resp = chip.answer(&cmd);
                    reader.on_response(resp, sizes)?;
                }
            }
        }
        panic!("reader did not terminate");
    }

    #[test]
    fn extended_read_takes_one_command_after_the_header() {
        let file = dg2_of(20_000);
        let mut chip = Chip::new(file.clone());
        let mut sizes = ReadSizes::new(0xE7, 65_000);
        assert_eq!(run(&mut chip, DG2, &mut sizes).unwrap(), file);
        assert_eq!(
            chip.commands.len(),
            2,
            "SFI header read + one extended read"
        );
        assert_eq!(chip.commands[0].p1, 0x82);
        assert_eq!(sizes.extended, ExtendedLength::Supported(65_000));
        assert_eq!(sizes.sfi, Some(true));
    }

    #[test]
    fn short_only_chip_falls_back_and_remembers() {
        let file = dg2_of(5_000);
        let mut chip = Chip::new(file.clone());
        chip.max_extended = None;
        let mut sizes = ReadSizes::new(0xE7, 65_000);
        assert_eq!(run(&mut chip, DG2, &mut sizes).unwrap(), file);
        assert_eq!(sizes.extended, ExtendedLength::Unsupported);
        let first_run = chip.commands.len();
        // 1 header + failed extended probes + ceil((5004 - 8) / 0xE7) reads.
        let data_reads = (file.len() - HEADER_PROBE_LEN).div_ceil(0xE7);
        assert!(first_run <= 1 + 8 + data_reads, "{first_run}");
        // A second file reuses what was learnt: no probes.
        chip.commands.clear();
        assert_eq!(run(&mut chip, DG2, &mut sizes).unwrap(), file);
        assert_eq!(chip.commands.len(), 1 + data_reads);
    }

    #[test]
    fn small_le_limit_steps_down_the_ladder() {
        let file = dg2_of(1_000);
        let mut chip = Chip::new(file.clone());
        chip.max_extended = None;
        chip.max_short = 0x40;
        let mut sizes = ReadSizes::new(0xE7, 0);
        assert_eq!(run(&mut chip, DG2, &mut sizes).unwrap(), file);
        assert_eq!(sizes.short_max, 0x40);
    }

    #[test]
    fn no_sfi_support_selects_first() {
        let file = dg2_of(300);
        let mut chip = Chip::new(file.clone());
        chip.sfi_supported = false;
        let mut sizes = ReadSizes::new(0xE7, 0);
        assert_eq!(run(&mut chip, DG2, &mut sizes).unwrap(), file);
        assert_eq!(sizes.sfi, Some(false));
        assert_eq!(chip.commands[1].ins, 0xA4);
    }

    #[test]
    fn large_files_use_odd_ins_beyond_32k() {
        let file = dg2_of(40_000);
        let mut chip = Chip::new(file.clone());
        chip.max_extended = Some(8_000);
        let mut sizes = ReadSizes::new(0xE7, 65_000);
        assert_eq!(run(&mut chip, DG2, &mut sizes).unwrap(), file);
        assert!(chip.commands.iter().any(|c| c.ins == 0xB1));
        assert!(
            chip.commands
                .iter()
                .filter(|c| c.ins == 0xB0)
                .all(
                    |c| u16::from_be_bytes([c.p1 & 0x7F, c.p2]) as usize <= MAX_EVEN_INS_OFFSET
                        || c.p1 & 0x80 != 0
                )
        );
    }

    #[test]
    fn short_odd_ins_reads_work() {
        let file = dg2_of(33_000);
        let mut chip = Chip::new(file.clone());
        chip.max_extended = None;
        let mut sizes = ReadSizes::new(0xE7, 0);
        assert_eq!(run(&mut chip, DG2, &mut sizes).unwrap(), file);
    }

    #[test]
    fn truncated_and_hostile_files_are_errors() {
        // Header announces more than the file has.
        let mut file = dg2_of(1_000);
        file.truncate(600);
        let mut chip = Chip::new(file);
        let mut sizes = ReadSizes::new(0xE7, 0);
        assert!(matches!(
            run(&mut chip, DG2, &mut sizes),
            Err(ReadError::Truncated { .. })
        ));
        // A length beyond the limit.
        let mut chip = Chip::new(vec![0x75, 0x84, 0x7F, 0xFF, 0xFF, 0xFF, 0, 0]);
        assert!(matches!(
            run(&mut chip, DG2, &mut ReadSizes::new(0xE7, 0)),
            Err(ReadError::TooLarge { .. })
        ));
        // Not a data object.
        let mut chip = Chip::new(vec![0x75, 0x80, 0, 0, 0, 0, 0, 0]);
        assert!(matches!(
            run(&mut chip, DG2, &mut ReadSizes::new(0xE7, 0)),
            Err(ReadError::MalformedHeader(_))
        ));
    }

    #[test]
    fn tiny_files_and_until_end_files() {
        let file = vec![0x61, 0x01, 0xAA];
        let mut chip = Chip::new(file.clone());
        assert_eq!(
            run(&mut chip, DG2, &mut ReadSizes::new(0xE7, 0)).unwrap(),
            file
        );
        let atr_info: Vec<u8> = (0..700u32).map(|i| i as u8).collect();
        let mut chip = Chip::new(atr_info.clone());
        chip.fid = 0x2F01;
        let f = FileRef {
            fid: 0x2F01,
            sfi: Some(1),
            layout: FileLayout::UntilEnd,
        };
        assert_eq!(
            run(&mut chip, f, &mut ReadSizes::new(0xE7, 0)).unwrap(),
            atr_info
        );
    }

    #[test]
    fn resume_continues_where_it_stopped() {
        let file = dg2_of(2_000);
        let mut chip = Chip::new(file.clone());
        let mut sizes = ReadSizes::new(0xE7, 0);
        let mut reader = FileReader::new(DG2);
        for _ in 0..4 {
            if let ReadStep::Send(cmd) = reader.next_step(&sizes).unwrap() {
                let r = chip.answer(&cmd);
                reader.on_response(r, &mut sizes).unwrap();
            }
        }
        let (partial, total) = reader.into_partial();
        assert_eq!(total, Some(file.len()));
        chip.selected = false;
        let mut reader = FileReader::resume(DG2, partial, total);
        let data = loop {
            match reader.next_step(&sizes).unwrap() {
                ReadStep::Done(d) => break d,
                ReadStep::Send(cmd) => {
                    let r = chip.answer(&cmd);
                    reader.on_response(r, &mut sizes).unwrap();
                }
            }
        };
        assert_eq!(data, file);
    }
}
