//! Progress events for user interfaces (progress bars, kiosks).

use mrtd_lds::EfId;

use crate::report::{FileStats, SkipReason};

/// Something that happened during a read. Events carry no file content and
/// no key material, so an observer may log them as they are.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadEvent {
    /// Access control is about to run.
    AccessControlStarted {
        /// Protocol name (`BAC`).
        protocol: &'static str,
    },
    /// Access control succeeded.
    AccessControlDone {
        /// Protocol name.
        protocol: &'static str,
    },
    /// A file read begins.
    FileStarted {
        /// The file.
        ef: EfId,
    },
    /// Bytes of a file have arrived.
    FileProgress {
        /// The file.
        ef: EfId,
        /// Bytes read so far.
        read: usize,
        /// Total size, once its header is read.
        total: Option<usize>,
    },
    /// A file is complete.
    FileDone {
        /// The file.
        ef: EfId,
        /// Its statistics.
        stats: FileStats,
    },
    /// A file was not read.
    FileSkipped {
        /// The file.
        ef: EfId,
        /// Why.
        reason: SkipReason,
    },
    /// The secure channel broke and access control ran again.
    Reauthenticated {
        /// What broke it.
        cause: String,
    },
}

/// Receives [`ReadEvent`]s.
pub trait ReadObserver {
    /// Called for every event, in order.
    fn on_event(&mut self, event: &ReadEvent);
}

/// Ignores every event.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoObserver;

impl ReadObserver for NoObserver {
    fn on_event(&mut self, _event: &ReadEvent) {}
}

impl<F: FnMut(&ReadEvent)> ReadObserver for F {
    fn on_event(&mut self, event: &ReadEvent) {
        self(event);
    }
}
