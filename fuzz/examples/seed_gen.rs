//! Writes the seed corpora of the fuzz targets (run by `seed-corpus.sh`):
//!
//! ```text
//! cargo run --release --example seed_gen -- SHARED_TEST_VECTORS CORPUS_DIR
//! ```
//!
//! Seeds come from the public test vectors (LDS files, DG1 specimens) and
//! from sessions recorded against the virtual passport, encoded in the
//! input format of each target. Secure-messaging and BAC seeds are made
//! with the fixed keys of `mrtd_fuzz::fixtures`, so they verify: the
//! fuzzer starts from valid messages and mutates from there.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use mrtd_fuzz::chip::{CorruptedSession, Corruption, ScriptedSession};
use mrtd_fuzz::fixtures;
use mrtd_fuzz::input::Writer;
use mrtd_fuzz::reader::{Answer, ReaderCase};
use mrtd_iso7816::{CommandApdu, RecordingTransport, ResponseApdu, StatusWord, Transport};
use mrtd_lds::{Dg1, EfId};
use mrtd_protocol::bac::{Bac, ChipBac};
use mrtd_protocol::sm::codec::{protect_command, protect_response};
use mrtd_session::observer::NoObserver;
use mrtd_session::{ReadOptions, read_document};
use mrtd_sim::{ChipConfig, InProcessTransport};

/// Seeds by target name.
#[derive(Default)]
struct Corpus(BTreeMap<&'static str, Vec<Vec<u8>>>);

impl Corpus {
    fn add(&mut self, target: &'static str, seed: Vec<u8>) {
        let seeds = self.0.entry(target).or_default();
        if !seeds.contains(&seed) {
            seeds.push(seed);
        }
    }

    fn write(&self, dir: &Path) -> std::io::Result<()> {
        for (target, seeds) in &self.0 {
            let d = dir.join(target);
            fs::create_dir_all(&d)?;
            for seed in seeds {
                fs::write(d.join(format!("seed-{:016x}", fnv1a(seed))), seed)?;
            }
            println!("{target}: {} seeds", seeds.len());
        }
        Ok(())
    }
}

fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// `DG1.bin`, `Datagroup1.bin`, `DG1_TD3_….bin`, but not DG14/DG15.
fn is_dg1(upper_name: &str) -> bool {
    upper_name.contains("DATAGROUP1.")
        || upper_name.starts_with("DG1.")
        || upper_name.starts_with("DG1_")
}

/// LDS files of the public test vectors, sorted by the parser they feed.
fn lds_seeds(corpus: &mut Corpus, vectors: &Path) {
    let lds = vectors.join("lds");
    assert!(
        lds.is_dir(),
        "{} is missing: the seed corpus needs the shared test vectors",
        lds.display()
    );
    for path in files_under(&lds) {
        let name = path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_ascii_uppercase();
        if name.ends_with(".JSON")
            || name.ends_with(".PKCS8")
            || name.ends_with(".JP2")
            || name.ends_with(".WSQ")
        {
            continue;
        }
        let bytes = fs::read(&path).expect("readable test vector");
        let target = if name.contains("COM") {
            Some("lds_com")
        } else if name.contains("SOD") {
            Some("lds_sod")
        } else if is_dg1(&name) {
            Some("lds_dg1")
        } else if name.contains("DATAGROUP2.") || name.starts_with("DG2") {
            Some("lds_dg2")
        } else {
            None
        };
        if let Some(t) = target {
            corpus.add(t, bytes.clone());
        }
        if is_dg1(&name)
            && let Ok(dg1) = Dg1::parse(&bytes)
        {
            corpus.add("mrz", dg1.mrz.as_str().as_bytes().to_vec());
            corpus.add("mrz", dg1.mrz.to_multiline().into_bytes());
        }
        // Every file is BER-TLV; the first KiB covers the structure.
        corpus.add("tlv", bytes[..bytes.len().min(1024)].to_vec());
    }
}

/// The personalised files of the virtual passport.
fn passport_seeds(corpus: &mut Corpus) {
    for (ef, bytes) in &fixtures::passport_content().files {
        let target = match ef {
            EfId::Com => "lds_com",
            EfId::Sod => "lds_sod",
            EfId::Dg(n) if n.get() == 1 => "lds_dg1",
            EfId::Dg(n) if n.get() == 2 => "lds_dg2",
            _ => "tlv",
        };
        corpus.add(target, bytes.clone());
        if let EfId::Dg(n) = ef
            && n.get() == 1
        {
            let dg1 = Dg1::parse(bytes).expect("the passport's DG1 parses");
            corpus.add("mrz", dg1.mrz.as_str().as_bytes().to_vec());
        }
    }
    for access in ["M70000012,850315,330914", "L898902C<,690806,940623"] {
        corpus.add("mrz", access.as_bytes().to_vec());
    }
}

/// A recorded read: the ATR, the transport's capabilities, and every
/// `(command, response)` exchange.
struct Recording {
    atr: Option<Vec<u8>>,
    capabilities: mrtd_iso7816::Capabilities,
    exchanges: Vec<(Vec<u8>, Vec<u8>)>,
}

/// Records a read of the virtual passport.
fn record(config: ChipConfig, options: &ReadOptions) -> Recording {
    let transport = InProcessTransport::new(fixtures::passport(config));
    let (atr, caps) = (transport.atr(), transport.capabilities());
    let mut recorder = RecordingTransport::new(transport);
    let mut rng = fixtures::session_rng();
    read_document(
        &mut recorder,
        &fixtures::access_key(),
        options,
        &mut rng,
        &mut NoObserver,
    )
    .expect("the virtual passport reads");
    let (_, transcript) = recorder.into_parts();
    let exchanges = transcript
        .exchanges
        .into_iter()
        .map(|e| (e.command, e.response))
        .collect();
    Recording {
        atr,
        capabilities: caps,
        exchanges,
    }
}

/// Recorded sessions: whole scripts for `session`, their APDUs for
/// `apdu`/`tlv`, headers for `session_corrupted`.
fn session_seeds(corpus: &mut Corpus) {
    let configs = [
        ChipConfig::default(),
        ChipConfig::short_only(),
        ChipConfig {
            short_ef_identifiers: false,
            ..ChipConfig::default()
        },
        ChipConfig {
            extended_length: false,
            announce_extended_length: true,
            ef_atr_info: false,
            ..ChipConfig::default()
        },
    ];
    let options = [
        ReadOptions::default(),
        ReadOptions {
            extended_length: false,
            ..ReadOptions::default()
        },
        ReadOptions {
            probe_all_data_groups: true,
            ..ReadOptions::default()
        },
    ];
    for config in &configs {
        for opts in &options {
            let Recording {
                atr,
                capabilities: caps,
                exchanges,
            } = record(config.clone(), opts);
            let responses: Vec<Vec<u8>> = exchanges.iter().map(|(_, r)| r.clone()).collect();
            corpus.add(
                "session",
                ScriptedSession::encode(opts, atr.as_deref(), caps, &responses),
            );
            for (c, r) in exchanges.iter().take(60) {
                corpus.add("apdu", c.clone());
                corpus.add("apdu", r.clone());
                if r.len() <= 300 {
                    corpus.add("tlv", r[..r.len().saturating_sub(2)].to_vec());
                }
            }
            if let Some(atr) = atr {
                corpus.add("tlv", atr);
            }
            // The same chip in the middle: nothing corrupted, and a few
            // corruptions at places that matter (BAC, the first secure read).
            corpus.add(
                "session_corrupted",
                CorruptedSession::encode_header(config, opts).finish(),
            );
            for (at, c) in [
                (3u16, Corruption::FlipByte { at: 4, mask: 0x80 }),
                (5, Corruption::ReplaceSw(0x6100)),
                (6, Corruption::HugeDo87(4)),
                (7, Corruption::SwapDoOrder(0)),
                (8, Corruption::ReplayEarlier(1)),
                (9, Corruption::BareStatus(0x6988)),
                (10, Corruption::Truncate(3)),
            ] {
                let mut w = CorruptedSession::encode_header(config, opts);
                w.u16(at);
                c.encode(&mut w);
                corpus.add("session_corrupted", w.finish());
            }
        }
    }
}

/// Valid protected responses and commands under the fixed session.
fn sm_seeds(corpus: &mut Corpus) {
    let (cipher, ssc) = fixtures::sm_session();
    let dg2 = &fixtures::passport_content().files[&EfId::Dg(mrtd_lds::DgNumber::new(2).unwrap())];
    let plains = [
        ResponseApdu::status(StatusWord::Success),
        ResponseApdu::status(StatusWord::FileNotFound),
        ResponseApdu::new(dg2[..8].to_vec(), StatusWord::Success),
        ResponseApdu::new(dg2[..0xE7].to_vec(), StatusWord::Success),
        ResponseApdu::new(dg2[100..400].to_vec(), StatusWord::EndOfFile),
        ResponseApdu::new(
            mrtd_iso7816::tlv::tlv(mrtd_iso7816::Tag(0x53), &dg2[..200]),
            StatusWord::Success,
        ),
    ];
    for plain in &plains {
        for ins in [0xB0, 0xB1] {
            let p = protect_response(&cipher, &mut ssc.clone(), ins, plain).unwrap();
            corpus.add("sm_response", p.to_bytes());
        }
        let data = &plain.data[..plain.data.len().min(255)];
        let mut w = Writer::default();
        w.bytes_u8(data).u16(u16::from(plain.sw)).u8(0);
        corpus.add("sm_response_mutated", w.finish());
        w.u8(0).u16(3).u8(0x10);
        corpus.add("sm_response_mutated", w.finish());
    }
    let commands = [
        CommandApdu::new(0x00, 0xB0, 0x82, 0x00).with_ne(8).unwrap(),
        CommandApdu::new(0x00, 0xB0, 0x00, 0x08)
            .with_ne(0xE7)
            .unwrap(),
        CommandApdu::new(0x00, 0xA4, 0x02, 0x0C)
            .with_data(vec![0x01, 0x1E])
            .unwrap(),
        CommandApdu::new(0x00, 0xB1, 0x00, 0x00)
            .with_data(vec![0x54, 0x02, 0x80, 0x00])
            .unwrap()
            .with_ne(1000)
            .unwrap(),
    ];
    for cmd in &commands {
        let p = protect_command(&cipher, &mut ssc.clone(), cmd).unwrap();
        corpus.add("sm_response", p.to_bytes());
        corpus.add("apdu", p.to_bytes());
    }
}

/// An honest BAC run with the fixed keys and random sources.
fn bac_seeds(corpus: &mut Corpus) {
    let mut chip_rng = fixtures::chip_rng();
    let mut chip = ChipBac::new(fixtures::bac_key());
    let challenge = chip.get_challenge(&mut chip_rng);
    let (awaiting, _) = Bac::start(fixtures::bac_key());
    let challenge_response = ResponseApdu::new(challenge.to_vec(), StatusWord::Success).to_bytes();
    let (_, cmd) = awaiting
        .on_challenge(
            &ResponseApdu::parse(&challenge_response).unwrap(),
            &mut fixtures::terminal_rng(),
        )
        .unwrap();
    let (answer, _) = chip.mutual_authenticate(cmd.data(), &mut chip_rng).unwrap();
    let answer_response = ResponseApdu::new(answer, StatusWord::Success).to_bytes();
    let mut w = Writer::default();
    w.bytes_u8(&challenge_response)
        .bytes_u8(&answer_response)
        .bytes(cmd.data());
    corpus.add("bac", w.finish());
    let mut w = Writer::default();
    w.bytes_u8(&[0x6A, 0x88]).bytes_u8(&[0x63, 0x00]);
    corpus.add("bac", w.finish());
}

fn reader_seeds(corpus: &mut Corpus) {
    let hostile = vec![
        Answer::Honest,
        Answer::Raw {
            sw: 0x6700,
            data: vec![],
        },
        Answer::Raw {
            sw: 0x6C10,
            data: vec![],
        },
        Answer::HonestPrefix {
            keep: 3,
            sw: 0x9000,
        },
        Answer::SessionLost,
        Answer::TooMuch(2),
        Answer::HonestDataWithSw(0x6282),
    ];
    // short max, extended cap, limit, flags (bit 0 SFI, bit 1 until end), length
    let cases: [(u8, u16, u16, u8, u16); 8] = [
        (0xE7, 0, 0xFFFF, 0b001, 20),
        (0xE7, 0, 0xFFFF, 0b101, 90),
        (0xE7, 0xFFFF, 0xFFFF, 0b1001, 25_000),
        (0xDF, 0, 0xFFFF, 0b1000, 5_000),
        (0xE7, 0, 0xFFFF, 0b001, 33_000),
        (0xE7, 8_000, 0xFFFF, 0b001, 40_000),
        (0xE7, 0, 0xFFFF, 0b011, 700),
        (0x40, 0, 300, 0b001, 1_000),
    ];
    // Regression inputs: a read-until-end file beyond 32 KiB read with Le 256
    // (its end was taken at the first short odd-INS answer).
    corpus.add(
        "file_reader",
        ReaderCase::encode(0, 0, 0xFF03, 0b10, 48_316, &[]),
    );
    corpus.add(
        "file_reader",
        ReaderCase::encode(0xE7, 0x0100, 0xFCFF, 0b10, 0xFF00, &[]),
    );
    for (short, ext, max, flags, len) in cases {
        corpus.add(
            "file_reader",
            ReaderCase::encode(short, ext, max, flags, len, &[]),
        );
        corpus.add(
            "file_reader",
            ReaderCase::encode(short, ext, max, flags, len, &hostile),
        );
    }
}

fn transmit_seeds(corpus: &mut Corpus) {
    let seeds: [(u8, &[&[u8]]); 5] = [
        (0, &[&[1, 2, 3, 4, 5, 6, 7, 8, 0x90, 0x00]]),
        (0, &[&[0x6C, 0x08], &[1, 2, 3, 4, 5, 6, 7, 8, 0x90, 0x00]]),
        (1, &[&[1, 2, 0x61, 0x04], &[3, 4, 5, 6, 0x90, 0x00]]),
        (3, &[&[0x6A, 0x82]]),
        // Regression: a chip answering `61 03` without data, forever.
        (1, &[&[0x61, 0x03]]),
    ];
    for (sel, answers) in seeds {
        let mut w = Writer::default();
        w.u8(sel);
        for a in answers {
            w.bytes_u8(a);
        }
        corpus.add("transmit", w.finish());
    }
}

fn main() {
    let mut args = std::env::args_os().skip(1);
    let (Some(vectors), Some(out)) = (args.next(), args.next()) else {
        eprintln!("usage: seed_gen SHARED_TEST_VECTORS CORPUS_DIR");
        std::process::exit(2);
    };
    let mut corpus = Corpus::default();
    lds_seeds(&mut corpus, Path::new(&vectors));
    passport_seeds(&mut corpus);
    session_seeds(&mut corpus);
    sm_seeds(&mut corpus);
    bac_seeds(&mut corpus);
    reader_seeds(&mut corpus);
    transmit_seeds(&mut corpus);
    corpus.write(Path::new(&out)).expect("corpus written");
}
