//! The file-reading state machine against a scripted chip that answers
//! anything at all: random status words, too much or too little data,
//! wrong-length hints, and honest answers mixed in. Whatever the chip does,
//! the reader ends — with the file or a typed error — within a number of
//! commands bounded by the file-size limit, never returns more than that
//! limit, and returns exactly the file when the chip is honest.
//!
//! The bound follows from `read.rs`: every answer either adds at least one
//! byte, or counts as a retry at the same offset (at most 16 in a row, the
//! 17th ends the read), or is one of the once-per-reader events (the
//! SELECT, the fall-back from short EF identifiers). Only the
//! re-authentication after a lost session starts a fresh reader, and it
//! costs at most one more such round.
//!
//! The fuzz target `file_reader` explores the same ground without the time
//! limit of the test suite (see `fuzz/README.md`).

use mrtd_iso7816::tlv::{self, Tag};
use mrtd_iso7816::{CommandApdu, ResponseApdu, StatusWord};
use mrtd_protocol::read::{
    ExtendedLength, FileLayout, FileReader, FileRef, HEADER_PROBE_LEN, ReadError, ReadSizes,
    ReadStep,
};
use proptest::prelude::*;

/// Retries tolerated at one offset before `NoProgress` (`read.rs`), plus
/// the answer that makes progress or ends the read.
const ANSWERS_PER_OFFSET: usize = 16 + 1;

/// Commands a reader may issue for a file limit of `max_file_len` bytes,
/// with `losses` session losses on the way.
fn command_bound(max_file_len: usize, losses: usize) -> usize {
    // Progress events: at most one per byte of the file, plus the header
    // probe, which may be read byte by byte before the length is known.
    let progress = max_file_len + HEADER_PROBE_LEN + 1;
    ANSWERS_PER_OFFSET * (progress + 1) + 2 + losses * (ANSWERS_PER_OFFSET + 2)
}

/// One answer of the scripted chip.
#[derive(Clone, Debug)]
enum Answer {
    /// What an honest chip holding the file would answer.
    Honest,
    /// A status word with `len` bytes of filler data.
    Raw { sw: u16, len: usize },
    /// The honest data with another status word.
    HonestDataWithSw(u16),
    /// The honest data plus extra bytes.
    TooMuch(usize),
    /// The secure channel broke while the command was outstanding: the
    /// session re-authenticates and resumes the read.
    SessionLost,
}

fn interesting_sw() -> impl Strategy<Value = u16> {
    prop_oneof![
        Just(0x9000u16),
        Just(0x6282),
        Just(0x6700),
        (0u16..=0xFF).prop_map(|x| 0x6C00 | x),
        (0u16..=0xFF).prop_map(|x| 0x6100 | x),
        Just(0x6A82),
        Just(0x6982),
        Just(0x6985),
        Just(0x6B00),
        Just(0x6A86),
        Just(0x6A81),
        Just(0x6D00),
        Just(0x6986),
        Just(0x6981),
        Just(0x6281),
        Just(0x6F00),
        any::<u16>(),
    ]
}

fn any_answer() -> impl Strategy<Value = Answer> {
    prop_oneof![
        4 => Just(Answer::Honest),
        4 => (interesting_sw(), prop_oneof![Just(0usize), 1usize..10, 200usize..300]).prop_map(|(sw, len)| Answer::Raw { sw, len }),
        2 => interesting_sw().prop_map(Answer::HonestDataWithSw),
        1 => (1usize..20).prop_map(Answer::TooMuch),
        1 => Just(Answer::SessionLost),
    ]
}

/// The file the honest part of the chip holds.
#[derive(Clone, Debug)]
struct ChipFile {
    bytes: Vec<u8>,
    layout: FileLayout,
}

fn any_file() -> impl Strategy<Value = ChipFile> {
    prop_oneof![
        (
            prop_oneof![
                Just(0x60u32),
                Just(0x61),
                Just(0x75),
                Just(0x77),
                Just(0x7F61)
            ],
            file_len()
        )
            .prop_map(|(tag, len)| ChipFile {
                bytes: tlv::tlv(
                    Tag(tag),
                    &(0..len).map(|i| (i * 31 + 7) as u8).collect::<Vec<_>>()
                ),
                layout: FileLayout::SingleObject,
            }),
        file_len().prop_map(|len| ChipFile {
            bytes: (0..len).map(|i| (i * 13) as u8).collect(),
            layout: FileLayout::UntilEnd,
        }),
    ]
}

/// Lengths: mostly small, sometimes past the 32 767-byte offset limit of
/// the even READ BINARY (so that the odd-INS variant with `DO'54'` and
/// `DO'53'` is exercised).
fn file_len() -> impl Strategy<Value = usize> {
    prop_oneof![4 => 0usize..1500, 1 => 32_700usize..33_300]
}

fn any_sizes() -> impl Strategy<Value = ReadSizes> {
    (
        1usize..=256,
        prop_oneof![Just(0usize), 257usize..=65_536],
        prop_oneof![Just(None::<bool>), Just(Some(true)), Just(Some(false))],
        // The extended-length state: as `ReadSizes::new` leaves it, ruled
        // out (0), or already learnt with some maximum.
        prop_oneof![
            Just(None::<usize>),
            Just(Some(0usize)),
            (1usize..70_000).prop_map(Some)
        ],
        prop_oneof![0usize..64, 64usize..3000, 33_000usize..34_000],
    )
        .prop_map(|(short_max, extended_cap, sfi, ext, max_file_len)| {
            let mut sizes = ReadSizes::new(short_max, extended_cap);
            sizes.sfi = sfi;
            match ext {
                Some(0) => sizes.extended = ExtendedLength::Unsupported,
                Some(n) if extended_cap > 0 => sizes.extended = ExtendedLength::Supported(n),
                _ => {}
            }
            sizes.max_file_len = max_file_len;
            sizes
        })
}

/// The honest answer to `cmd` for a chip holding `file`.
fn honest(file: &[u8], cmd: &CommandApdu) -> ResponseApdu {
    match cmd.ins {
        0xA4 => ResponseApdu::status(StatusWord::Success),
        0xB0 | 0xB1 => {
            let ne = cmd.ne().unwrap_or(256);
            let (offset, room) = if cmd.ins == 0xB1 {
                let t = tlv::parse_single(cmd.data(), Tag(0x54)).expect("DO'54' offset");
                let offset = t
                    .value
                    .iter()
                    .fold(0usize, |a, b| (a << 8) | usize::from(*b));
                // DO'53' header: tag and length field count against Ne.
                let header = match ne {
                    0..=0x7F => 2,
                    0x80..=0xFF => 3,
                    _ => 4,
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

struct Outcome {
    result: Result<Vec<u8>, ReadError>,
    commands: usize,
    losses: usize,
}

/// Runs the reader against the script, cycling through it (without the
/// session losses) when it runs out: a chip that misbehaves forever.
fn run(
    file: &ChipFile,
    sfi: Option<u8>,
    mut sizes: ReadSizes,
    script: &[Answer],
    cap: usize,
) -> Outcome {
    let file_ref = FileRef {
        fid: 0x0101,
        sfi,
        layout: file.layout,
    };
    let mut reader = FileReader::new(file_ref);
    let mut commands = 0;
    let mut losses = 0;
    let mut next = 0usize;
    loop {
        let cmd = match reader.next_step(&sizes) {
            Ok(ReadStep::Done(data)) => {
                return Outcome {
                    result: Ok(data),
                    commands,
                    losses,
                };
            }
            Ok(ReadStep::Send(cmd)) => cmd,
            Err(e) => {
                return Outcome {
                    result: Err(e),
                    commands,
                    losses,
                };
            }
        };
        commands += 1;
        assert!(
            commands <= cap,
            "the reader did not stop after {cap} commands"
        );
        let answer = if script.is_empty() {
            Answer::Honest
        } else {
            let a = script[next % script.len()].clone();
            next += 1;
            a
        };
        let response = match answer {
            Answer::SessionLost if next <= script.len() => {
                losses += 1;
                reader.on_session_lost(&mut sizes);
                let (data, total) = reader.into_partial();
                reader = FileReader::resume(file_ref, data, total);
                continue;
            }
            Answer::SessionLost | Answer::Honest => honest(&file.bytes, &cmd),
            Answer::Raw { sw, len } => ResponseApdu::new(vec![0x5A; len], StatusWord::from(sw)),
            Answer::HonestDataWithSw(sw) => {
                ResponseApdu::new(honest(&file.bytes, &cmd).data, StatusWord::from(sw))
            }
            Answer::TooMuch(n) => {
                let mut r = honest(&file.bytes, &cmd);
                r.data.extend(std::iter::repeat_n(0xEE, n));
                r
            }
        };
        if let Err(e) = reader.on_response(response, &mut sizes) {
            return Outcome {
                result: Err(e),
                commands,
                losses,
            };
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// A hostile chip: the reader stops within the bound, never panics, and
    /// never returns more than the limit or anything but a complete data
    /// object for a single-object file.
    #[test]
    fn any_chip_behaviour_ends_within_the_bound(
        file in any_file(),
        sfi in prop::option::of(1u8..=0x1F),
        sizes in any_sizes(),
        script in prop::collection::vec(any_answer(), 0..40),
    ) {
        let max = sizes.max_file_len;
        // The losses in the script are the only ones (they are not cycled).
        let losses = script.iter().filter(|a| matches!(a, Answer::SessionLost)).count();
        let bound = command_bound(max, losses);
        let out = run(&file, sfi, sizes, &script, bound + 1);
        prop_assert!(out.commands <= bound, "{} commands, bound {}", out.commands, bound);
        prop_assert!(out.losses <= losses);
        if let Ok(data) = &out.result {
            prop_assert!(data.len() <= max, "{} bytes returned, limit {}", data.len(), max);
            if file.layout == FileLayout::SingleObject {
                let header = tlv::parse_header(data);
                prop_assert!(header.is_ok_and(|h| h.total_len() == data.len()), "not one complete data object");
            }
        }
    }

    /// An honest chip (with session losses on the way): exactly the file,
    /// or `TooLarge` when it exceeds the limit.
    #[test]
    fn an_honest_chip_yields_exactly_the_file(
        file in any_file(),
        sfi in prop::option::of(1u8..=0x1F),
        sizes in any_sizes(),
        losses in prop::collection::vec(any::<bool>(), 0..30),
    ) {
        let max = sizes.max_file_len;
        let script: Vec<Answer> = losses.iter().map(|l| if *l { Answer::SessionLost } else { Answer::Honest }).collect();
        let n_losses = script.iter().filter(|a| matches!(a, Answer::SessionLost)).count();
        let out = run(&file, sfi, sizes, &script, command_bound(max, n_losses) + 1);
        if file.bytes.len() <= max {
            prop_assert_eq!(out.result, Ok(file.bytes.clone()));
        } else {
            prop_assert!(matches!(out.result, Err(ReadError::TooLarge { .. })), "{:?}", out.result);
        }
    }
}

/// A file without an outer data object (EF.ATR/INFO style) larger than
/// 32 767 bytes: the read beyond that offset uses the odd INS. Regression
/// test: the "read until the end" length plus the `DO'53'` overhead used to
/// overflow in `FileReader::read_command`.
#[test]
fn until_end_file_beyond_32k() {
    let file = ChipFile {
        bytes: (0..33_000usize).map(|i| (i * 13) as u8).collect(),
        layout: FileLayout::UntilEnd,
    };
    let mut sizes = ReadSizes::new(0xE7, 0);
    sizes.max_file_len = 40_000;
    let out = run(&file, Some(1), sizes, &[], command_bound(40_000, 0));
    assert_eq!(out.result, Ok(file.bytes));
}

/// The same kind of file, longer, read with short APDUs (Le 256): for
/// Ne = 256 the reader asks for 253 data bytes (`53 81 FD` + 253 = 256),
/// an honest chip that sizes the `DO'53'` header from Ne — as the virtual
/// passport does — sends 252 with `9000`, and the reader takes the short
/// answer for the end of a read-until-end file: it returns the first
/// 33 020 bytes as the complete file. Found by the `file_reader` fuzz
/// target (`/work/notes/fuzz-crashes/file_reader-until-end-truncated.bin`).
#[test]
fn until_end_file_read_with_short_odd_ins_apdus() {
    let file = ChipFile {
        bytes: (0..48_316usize).map(|i| (i * 13) as u8).collect(),
        layout: FileLayout::UntilEnd,
    };
    let mut sizes = ReadSizes::new(256, 0);
    sizes.max_file_len = 65_283;
    let out = run(&file, None, sizes, &[], command_bound(65_283, 0));
    assert_eq!(out.result.map(|d| d.len()), Ok(file.bytes.len()));
}
