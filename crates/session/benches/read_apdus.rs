//! APDU count, bytes and time for reading the virtual passport, with
//! extended length allowed and with short APDUs only.
//!
//! `cargo bench -p mrtd-session --bench read_apdus` prints the figures; with
//! `-- --pcsc` it also reads through pcscd and the vpcd virtual reader
//! (start pcscd first, e.g. with `tools/test.sh`'s set-up). It measures, it
//! asserts nothing: the figures go into the issue notes.

use std::time::{Duration, Instant};

use mrtd_iso7816::Transport;
use mrtd_lds::EfId;
use mrtd_session::observer::NoObserver;
use mrtd_session::{AccessKey, ReadOptions, ReadReport, read_document};
use mrtd_sim::{ChipConfig, InProcessTransport, personalise};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;

const RUNS: usize = 30;

fn key() -> AccessKey {
    AccessKey::Mrz(personalise::default_holder().access_fields())
}

fn read_once<T: Transport + ?Sized>(
    transport: &mut T,
    options: &ReadOptions,
    seed: u64,
) -> ReadReport {
    let mut rng = ChaCha20Rng::seed_from_u64(seed);
    read_document(transport, &key(), options, &mut rng, &mut NoObserver).expect("read succeeds")
}

fn print_report(label: &str, report: &ReadReport, times: &mut [Duration]) {
    times.sort();
    let median = times[times.len() / 2];
    let p90 = times[times.len() * 9 / 10];
    println!("\n{label}");
    println!(
        "  total: {} APDUs, {} bytes sent, {} bytes received; wall time median {:.2} ms, p90 {:.2} ms ({} runs)",
        report.totals.apdus,
        report.totals.bytes_sent,
        report.totals.bytes_received,
        median.as_secs_f64() * 1e3,
        p90.as_secs_f64() * 1e3,
        times.len()
    );
    for (ef, s) in &report.file_stats {
        if ef.location() == mrtd_lds::Location::Application {
            println!(
                "  {:<8} {:>6} B  {:>3} APDUs ({} READ BINARY after the header read), {:>6} B sent, {:>6} B received{}",
                ef.name(),
                s.size,
                s.apdus,
                s.reads.saturating_sub(1),
                s.bytes_sent,
                s.bytes_received,
                if s.extended_length {
                    ", extended length"
                } else {
                    ""
                }
            );
        }
    }
    let app: u32 = report
        .file_stats
        .iter()
        .filter(|(ef, _)| ef.location() == mrtd_lds::Location::Application)
        .map(|(_, s)| s.apdus)
        .sum();
    println!(
        "  application files: {app} APDUs; access control and set-up: {} APDUs",
        report.totals.apdus - app
    );
}

fn in_process(label: &str, config: ChipConfig, options: &ReadOptions) {
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for run in 0..RUNS {
        let mut transport = InProcessTransport::new(personalise::passport_with(
            config.clone(),
            &personalise::default_holder(),
        ));
        let started = Instant::now();
        last = Some(read_once(&mut transport, options, run as u64));
        times.push(started.elapsed());
    }
    if let Some(report) = last {
        print_report(label, &report, &mut times);
    }
}

fn through_pcscd(label: &str, sim_args: &[&str], options: &ReadOptions) {
    let reader = "Virtual PCD 00 00";
    let exe = std::env::var("MRTD_BIN").unwrap_or_else(|_| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/release/mrtd").to_string()
    });
    let mut sim = std::process::Command::new(&exe)
        .args(["sim", "--reader", "0"])
        .args(sim_args)
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {exe} sim ({e}); build it with cargo build --release -p mrtd-cli or set MRTD_BIN"));
    mrtd_pcsc::wait_for_card(reader, Duration::from_secs(15)).expect("virtual passport inserted");
    let mut times = Vec::with_capacity(RUNS);
    let mut last = None;
    for run in 0..RUNS {
        let mut transport = mrtd_pcsc::PcscTransport::connect(reader).expect("connect");
        transport.reset().expect("reset");
        let started = Instant::now();
        last = Some(read_once(&mut transport, options, run as u64));
        times.push(started.elapsed());
    }
    let _ = std::process::Command::new("kill")
        .arg(sim.id().to_string())
        .status();
    let _ = sim.wait();
    let _ = mrtd_pcsc::wait_for_removal(reader, Duration::from_secs(5));
    if let Some(report) = last {
        print_report(label, &report, &mut times);
    }
}

fn main() {
    let with_pcsc = std::env::args().any(|a| a == "--pcsc");
    let dg2 = personalise::default_passport().files()
        [&EfId::Dg(mrtd_lds::DgNumber::new(2).unwrap())]
        .len();
    println!(
        "Virtual passport: EF.COM, EF.SOD, DG1, DG2 of {dg2} bytes; BAC with 3DES secure messaging."
    );
    let defaults = ReadOptions::default();
    in_process(
        "in-process, extended length allowed",
        ChipConfig::default(),
        &defaults,
    );
    in_process(
        "in-process, chip takes short APDUs only (Le up to E7)",
        ChipConfig::short_only(),
        &defaults,
    );
    in_process(
        "in-process, short APDUs only, chip maximum Le DF",
        ChipConfig {
            max_short_le: 0xDF,
            ..ChipConfig::short_only()
        },
        &defaults,
    );
    if with_pcsc {
        through_pcscd("pcscd + vpcd, extended length allowed", &[], &defaults);
        through_pcscd(
            "pcscd + vpcd, short APDUs only",
            &["--short-only"],
            &defaults,
        );
    } else {
        println!("\n(pass -- --pcsc to measure through pcscd and the vpcd virtual reader as well)");
    }
}
