//! Explains a fuzz input of a structured target (for triaging a crash):
//!
//! ```text
//! cargo run --release --example explain -- file_reader|session|session_corrupted FILE
//! ```

use mrtd_fuzz::chip::{CorruptedSession, ScriptedSession};
use mrtd_fuzz::reader::{ReaderCase, command_bound};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [target, file] = args.as_slice() else {
        eprintln!("usage: explain TARGET FILE");
        std::process::exit(2);
    };
    let data = std::fs::read(file).expect("readable input");
    match target.as_str() {
        "file_reader" => {
            let case = ReaderCase::decode(&data);
            println!("sizes: {:?}", case.sizes);
            println!(
                "file: {:?}, content {} bytes",
                case.file,
                case.content.len()
            );
            println!("script: {:?}", case.script);
            let bound = command_bound(case.sizes.max_file_len, case.scripted_losses());
            let out = case.run(bound);
            let summary = out.result.as_ref().map(|d| {
                let first_diff = d.iter().zip(&case.content).position(|(a, b)| a != b);
                format!("{} bytes, first difference at {first_diff:?}", d.len())
            });
            println!(
                "outcome: {summary:?} after {} commands (bound {bound}), {} losses, honest only: {}",
                out.commands, out.losses, out.all_honest
            );
        }
        "session" => {
            let s = ScriptedSession::decode(&data);
            println!("options: {:?}", s.options);
            println!("chip: {:?}", s.chip);
        }
        "session_corrupted" => {
            let s = CorruptedSession::decode(&data);
            println!(
                "config: {:?}\noptions: {:?}\nplan: {:?}",
                s.config, s.options, s.plan
            );
            let mut chip = Traced(s.chip(4_000), 0);
            let mut rng = mrtd_fuzz::fixtures::session_rng();
            let result = mrtd_session::read_document(
                &mut chip,
                &mrtd_fuzz::fixtures::access_key(),
                &s.options,
                &mut rng,
                &mut mrtd_session::observer::NoObserver,
            );
            let report = match result {
                Ok(r) => r,
                Err(f) => {
                    println!("error: {}", f.error);
                    *f.report
                }
            };
            for (ef, bytes) in &report.files {
                println!("file {ef}: {} bytes", bytes.len());
            }
            if let Some(i) = &report.incomplete {
                println!(
                    "incomplete {}: {} of {:?} bytes: {}",
                    i.ef,
                    i.read,
                    i.total,
                    hex(&i.data)
                );
            }
        }
        other => eprintln!("no explanation for {other}"),
    }
}

fn hex(b: &[u8]) -> String {
    b.iter().take(64).map(|x| format!("{x:02X}")).collect()
}

/// Prints every exchange (headers and lengths; the content of short ones).
struct Traced<T>(T, usize);

impl<T: mrtd_iso7816::Transport> mrtd_iso7816::Transport for Traced<T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, mrtd_iso7816::TransportError> {
        let r = self.0.transmit(command);
        let c = hex(&command[..command.len().min(16)]);
        match &r {
            Ok(resp) => println!(
                "#{:<3} > {c} ({} bytes)  < {} ({} bytes)",
                self.1,
                command.len(),
                hex(&resp[..resp.len().min(24)]),
                resp.len()
            ),
            Err(e) => println!("#{:<3} > {c}  < error {e}", self.1),
        }
        self.1 += 1;
        r
    }
    fn atr(&self) -> Option<Vec<u8>> {
        self.0.atr()
    }
    fn capabilities(&self) -> mrtd_iso7816::Capabilities {
        self.0.capabilities()
    }
    fn reset(&mut self) -> Result<Vec<u8>, mrtd_iso7816::TransportError> {
        self.0.reset()
    }
}
