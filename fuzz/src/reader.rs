//! The `file_reader` harness: a [`FileReader`] against a chip whose every
//! answer the fuzz input chooses, cycled forever when the input runs out
//! (a chip that misbehaves without end).
//!
//! The termination bound follows from `mrtd_protocol::read`: every answer
//! either adds at least one byte, or counts as a retry at the same offset
//! (at most 16 in a row; the 17th ends the read), or is one of the
//! once-per-reader events (SELECT, the fall-back from short EF
//! identifiers). A lost session starts a fresh reader and costs at most one
//! more such round. So a file limited to `max` bytes takes at most about
//! `17 · (max + 8)` commands, however the chip behaves.

use mrtd_iso7816::tlv::{self, Tag};
use mrtd_iso7816::{CommandApdu, ResponseApdu, StatusWord};
use mrtd_protocol::read::{
    ExtendedLength, FileLayout, FileReader, FileRef, HEADER_PROBE_LEN, ReadError, ReadSizes,
    ReadStep,
};

use crate::input::{Input, Writer};

/// Retries tolerated at one offset, plus the answer that ends them.
pub const ANSWERS_PER_OFFSET: usize = 16 + 1;

/// Commands a reader may issue for a file limit of `max_file_len` bytes
/// with `losses` session losses.
#[must_use]
pub fn command_bound(max_file_len: usize, losses: usize) -> usize {
    let progress = max_file_len + HEADER_PROBE_LEN + 1;
    ANSWERS_PER_OFFSET * (progress + 1) + 2 + losses * (ANSWERS_PER_OFFSET + 2)
}

/// One answer of the chip.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// What an honest chip holding the file answers.
    Honest,
    /// A status word and data.
    Raw {
        /// SW1-SW2.
        sw: u16,
        /// The data field.
        data: Vec<u8>,
    },
    /// The honest data with another status word.
    HonestDataWithSw(u16),
    /// The honest data and `n` more bytes.
    TooMuch(u8),
    /// The first `keep` honest bytes with the given status word.
    HonestPrefix {
        /// Bytes kept.
        keep: u8,
        /// SW1-SW2.
        sw: u16,
    },
    /// The secure channel broke: the reader is resumed as the session does
    /// after re-authentication.
    SessionLost,
}

/// A decoded `file_reader` input.
#[derive(Clone, Debug)]
pub struct ReaderCase {
    /// Sizes at the start.
    pub sizes: ReadSizes,
    /// The file.
    pub file: FileRef,
    /// What the honest part of the chip holds.
    pub content: Vec<u8>,
    /// The answers, in order.
    pub script: Vec<Answer>,
}

/// Tags an honest single-object file may have.
const TAGS: [u32; 8] = [0x60, 0x61, 0x75, 0x77, 0x6C, 0x7F61, 0x63, 0x5F1F];

impl ReaderCase {
    /// Decodes the input:
    ///
    /// ```text
    /// short max u8 (0: 256), extended cap u16 (FFFF: 65 536)
    /// extended state u8 % 3 (0 as ReadSizes::new, 1 unsupported,
    ///     2 supported up to a following u16)
    /// SFI state u8 % 3 (unknown, works, refused), max file length u16
    /// file u8: bit 0 has an SFI, bit 1 read until the end, bits 2-4 tag
    /// content length u16
    /// answers until the end: kind u8 % 6, parameters
    /// ```
    #[must_use]
    pub fn decode(data: &[u8]) -> Self {
        let mut input = Input::new(data);
        let short_max = match input.u8() {
            0 => 256,
            n => usize::from(n),
        };
        let extended_cap = match input.u16() {
            0xFFFF => 65_536,
            n => usize::from(n),
        };
        let mut sizes = ReadSizes::new(short_max, extended_cap);
        match input.u8() % 3 {
            1 => sizes.extended = ExtendedLength::Unsupported,
            2 => sizes.extended = ExtendedLength::Supported(usize::from(input.u16())),
            _ => {}
        }
        sizes.sfi = match input.u8() % 3 {
            0 => None,
            1 => Some(true),
            _ => Some(false),
        };
        sizes.max_file_len = usize::from(input.u16());
        let flags = input.u8();
        let layout = if flags & 2 != 0 {
            FileLayout::UntilEnd
        } else {
            FileLayout::SingleObject
        };
        let file = FileRef {
            fid: 0x0101,
            sfi: (flags & 1 != 0).then_some(1),
            layout,
        };
        let len = usize::from(input.u16());
        let content = match layout {
            FileLayout::SingleObject => {
                let value: Vec<u8> = (0..len).map(|i| (i * 31 + 7) as u8).collect();
                tlv::tlv(Tag(TAGS[usize::from(flags >> 2) % TAGS.len()]), &value)
            }
            FileLayout::UntilEnd => (0..len).map(|i| (i * 13) as u8).collect(),
        };
        let mut script = Vec::new();
        while !input.is_empty() {
            script.push(match input.u8() % 6 {
                0 => Answer::Honest,
                1 => Answer::Raw {
                    sw: input.u16(),
                    data: input.bytes_u16().to_vec(),
                },
                2 => Answer::HonestDataWithSw(input.u16()),
                3 => Answer::TooMuch(input.u8()),
                4 => Answer::HonestPrefix {
                    keep: input.u8(),
                    sw: input.u16(),
                },
                _ => Answer::SessionLost,
            });
        }
        Self {
            sizes,
            file,
            content,
            script,
        }
    }

    /// Encodes a case whose sizes came from [`ReadSizes::new`] (for seeds).
    #[must_use]
    pub fn encode(
        short_max: u8,
        extended_cap: u16,
        max_file_len: u16,
        flags: u8,
        len: u16,
        script: &[Answer],
    ) -> Vec<u8> {
        let mut w = Writer::default();
        w.u8(short_max)
            .u16(extended_cap)
            .u8(0)
            .u8(0)
            .u16(max_file_len)
            .u8(flags)
            .u16(len);
        for a in script {
            match a {
                Answer::Honest => w.u8(0),
                Answer::Raw { sw, data } => w.u8(1).u16(*sw).bytes_u16(data),
                Answer::HonestDataWithSw(sw) => w.u8(2).u16(*sw),
                Answer::TooMuch(n) => w.u8(3).u8(*n),
                Answer::HonestPrefix { keep, sw } => w.u8(4).u8(*keep).u16(*sw),
                Answer::SessionLost => w.u8(5),
            };
        }
        w.finish()
    }
}

/// The honest answer to `cmd` for a chip holding `file`.
#[must_use]
pub fn honest(file: &[u8], cmd: &CommandApdu) -> ResponseApdu {
    match cmd.ins {
        0xA4 => ResponseApdu::status(StatusWord::Success),
        0xB0 | 0xB1 => {
            let ne = cmd.ne().unwrap_or(256);
            let (offset, room) = if cmd.ins == 0xB1 {
                let Ok(t) = tlv::parse_single(cmd.data(), Tag(0x54)) else {
                    return ResponseApdu::status(StatusWord::IncorrectData);
                };
                let offset = t
                    .value
                    .iter()
                    .fold(0usize, |a, b| (a << 8) | usize::from(*b));
                // The DO'53' header counts against Ne.
                let header = match ne {
                    0..=0x7F => 2,
                    0x80..=0xFF => 3,
                    0x100..=0xFFFF => 4,
                    _ => 5,
                };
                (offset, ne.saturating_sub(header))
            } else if cmd.p1 & 0x80 != 0 {
                (usize::from(cmd.p2), ne)
            } else {
                (usize::from(u16::from_be_bytes([cmd.p1, cmd.p2])), ne)
            };
            if offset > file.len() {
                return ResponseApdu::status(StatusWord::WrongP1P2);
            }
            let end = offset.saturating_add(room).min(file.len());
            let chunk = &file[offset..end];
            let sw = if chunk.len() < room {
                StatusWord::EndOfFile
            } else {
                StatusWord::Success
            };
            let data = if cmd.ins == 0xB1 {
                tlv::tlv(Tag(0x53), chunk)
            } else {
                chunk.to_vec()
            };
            ResponseApdu::new(data, sw)
        }
        _ => ResponseApdu::status(StatusWord::InsNotSupported),
    }
}

/// How a run ended.
#[derive(Debug)]
pub struct Outcome {
    /// The file or the error.
    pub result: Result<Vec<u8>, ReadError>,
    /// Commands issued.
    pub commands: usize,
    /// Session losses applied.
    pub losses: usize,
    /// Whether every answer given was honest.
    pub all_honest: bool,
}

impl ReaderCase {
    /// Runs the reader, cycling through the script (without its session
    /// losses) once it is used up; panics after `cap` commands.
    ///
    /// # Panics
    /// When the reader issues more than `cap` commands.
    #[must_use]
    pub fn run(&self, cap: usize) -> Outcome {
        let mut sizes = self.sizes;
        let mut reader = FileReader::new(self.file);
        let (mut commands, mut losses, mut next) = (0, 0, 0usize);
        let mut all_honest = true;
        loop {
            let cmd = match reader.next_step(&sizes) {
                Ok(ReadStep::Done(data)) => {
                    return Outcome {
                        result: Ok(data),
                        commands,
                        losses,
                        all_honest,
                    };
                }
                Ok(ReadStep::Send(cmd)) => cmd,
                Err(e) => {
                    return Outcome {
                        result: Err(e),
                        commands,
                        losses,
                        all_honest,
                    };
                }
            };
            commands += 1;
            assert!(
                commands <= cap,
                "the reader did not stop after {cap} commands"
            );
            let answer = if self.script.is_empty() {
                Answer::Honest
            } else {
                let a = self.script[next % self.script.len()].clone();
                next += 1;
                a
            };
            let honest_answer = honest(&self.content, &cmd);
            let response = match answer {
                Answer::SessionLost if next <= self.script.len() => {
                    losses += 1;
                    reader.on_session_lost(&mut sizes);
                    let (data, total) = reader.into_partial();
                    reader = FileReader::resume(self.file, data, total);
                    continue;
                }
                Answer::SessionLost | Answer::Honest => honest_answer,
                Answer::Raw { sw, data } => ResponseApdu::new(data, StatusWord::from(sw)),
                Answer::HonestDataWithSw(sw) => {
                    ResponseApdu::new(honest_answer.data, StatusWord::from(sw))
                }
                Answer::TooMuch(n) => {
                    let mut r = honest_answer;
                    r.data
                        .extend(std::iter::repeat_n(0xEE, usize::from(n).max(1)));
                    r
                }
                Answer::HonestPrefix { keep, sw } => {
                    let mut r = honest_answer;
                    r.data.truncate(usize::from(keep));
                    r.sw = StatusWord::from(sw);
                    r
                }
            };
            if response != honest(&self.content, &cmd) {
                all_honest = false;
            }
            if let Err(e) = reader.on_response(response, &mut sizes) {
                return Outcome {
                    result: Err(e),
                    commands,
                    losses,
                    all_honest,
                };
            }
        }
    }

    /// Session losses in the script (they are not cycled).
    #[must_use]
    pub fn scripted_losses(&self) -> usize {
        self.script
            .iter()
            .filter(|a| matches!(a, Answer::SessionLost))
            .count()
    }
}
