//! Progress bars for files that take a noticeable time to read.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use mrtd_session::observer::{ReadEvent, ReadObserver};

/// Files smaller than this are read too fast to deserve a bar.
const MIN_BAR_BYTES: usize = 4096;

/// Draws a bar per large file on standard error, when it is a terminal.
pub struct ProgressObserver {
    enabled: bool,
    bar: Option<ProgressBar>,
}

impl ProgressObserver {
    /// Bars only when `enabled` (indicatif also hides them when standard
    /// error is not a terminal).
    pub fn new(enabled: bool) -> Self {
        Self { enabled, bar: None }
    }
}

impl ReadObserver for ProgressObserver {
    fn on_event(&mut self, event: &ReadEvent) {
        if !self.enabled {
            return;
        }
        match event {
            ReadEvent::FileProgress {
                ef,
                read,
                total: Some(total),
            } if *total >= MIN_BAR_BYTES => {
                let bar = self.bar.get_or_insert_with(|| {
                    let bar = ProgressBar::with_draw_target(
                        Some(*total as u64),
                        ProgressDrawTarget::stderr(),
                    );
                    let style = ProgressStyle::with_template(
                        "  {msg:<16} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec}",
                    )
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> ");
                    bar.set_style(style);
                    bar.set_message(ef.name());
                    bar
                });
                bar.set_position(*read as u64);
            }
            ReadEvent::FileDone { .. } | ReadEvent::FileSkipped { .. } => {
                if let Some(bar) = self.bar.take() {
                    bar.finish_and_clear();
                }
            }
            _ => {}
        }
    }
}

impl Drop for ProgressObserver {
    fn drop(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.abandon();
        }
    }
}
