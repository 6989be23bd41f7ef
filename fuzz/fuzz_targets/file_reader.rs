//! The file-reading state machine (`mrtd_protocol::read::FileReader`)
//! against a chip whose answers the fuzz input chooses — status words,
//! data, honest answers mixed in, lost sessions — cycled forever when the
//! input runs out (see `mrtd_fuzz::reader` for the format and the bound).
//!
//! Invariants: no panic; the read ends within `command_bound` commands;
//! a returned file is never longer than `max_file_len`; a single-object
//! file is exactly one complete data object; with only honest answers the
//! result is exactly the file (or `TooLarge` beyond the limit).

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_fuzz::reader::{ReaderCase, command_bound};
use mrtd_iso7816::tlv;
use mrtd_protocol::read::{FileLayout, MAX_EVEN_INS_OFFSET, ReadError};

/// Known bug (reported; see fuzz/README.md): a read-until-end file longer
/// than 32 767 bytes read with short odd-INS APDUs ends at the first answer
/// shorter than requested, so an honest chip's file comes back truncated.
/// While it stands, only "a prefix of the file" is asserted there, so that
/// the fuzzer keeps looking for other defects; set to `false` once fixed.
const KNOWN_BUG_UNTIL_END_TRUNCATED: bool = false;

fuzz_target!(|data: &[u8]| {
    let case = ReaderCase::decode(data);
    let max = case.sizes.max_file_len;
    let bound = command_bound(max, case.scripted_losses());
    let out = case.run(bound);
    assert!(out.commands <= bound);
    if let Ok(file) = &out.result {
        assert!(
            file.len() <= max,
            "{} bytes returned, limit {max}",
            file.len()
        );
        if case.file.layout == FileLayout::SingleObject {
            let header = tlv::parse_header(file);
            assert!(
                header.is_ok_and(|h| h.total_len() == file.len()),
                "not one complete data object"
            );
        }
    }
    if out.all_honest {
        let summary = out.result.as_ref().map(Vec::len);
        if KNOWN_BUG_UNTIL_END_TRUNCATED
            && case.file.layout == FileLayout::UntilEnd
            && case.content.len() > MAX_EVEN_INS_OFFSET
        {
            match &out.result {
                Ok(data) => assert!(case.content.starts_with(data), "{summary:?}"),
                Err(e) => assert!(matches!(e, ReadError::TooLarge { .. }), "{e}"),
            }
        } else if case.content.len() <= max {
            let data = out.result.as_ref().expect("an honest chip is read");
            assert!(
                data == &case.content,
                "{summary:?} for a {}-byte file",
                case.content.len()
            );
        } else {
            assert!(
                matches!(out.result, Err(ReadError::TooLarge { .. })),
                "{summary:?}"
            );
        }
    }
});
