//! What a read produced: the files, and how they were obtained.

use std::collections::BTreeMap;

use mrtd_iso7816::StatusWord;
use mrtd_iso7816::atr::CardCapabilities;
use mrtd_lds::EfId;
use mrtd_protocol::SmAlgorithm;
use mrtd_protocol::pace::{CamProof, KeyAgreement, Mapping, PaceProtocol};
use mrtd_protocol::read::ExtendedLength;
use mrtd_trust::authenticity::ChipEvidence;
use serde::Serialize;

/// Counters for one file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FileStats {
    /// File size in bytes.
    pub size: usize,
    /// Command APDUs on the wire for this file (GET RESPONSE included).
    pub apdus: u32,
    /// READ BINARY commands.
    pub reads: u32,
    /// Commands repeated after a wrong-length answer or a refused SFI.
    pub retries: u32,
    /// Bytes sent to the chip for this file.
    pub bytes_sent: u64,
    /// Bytes received from the chip for this file.
    pub bytes_received: u64,
    /// Whether an extended-length READ BINARY was used.
    pub extended_length: bool,
    /// Time spent, in milliseconds.
    pub millis: u64,
}

/// Why a file is absent from the result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "kebab-case")]
pub enum SkipReason {
    /// The chip does not have it (`6A82`).
    NotPresent,
    /// The access rights do not cover it (e.g. DG3/DG4 need Terminal
    /// Authentication).
    AccessDenied {
        /// The status word.
        sw: String,
    },
    /// Reading it failed.
    Failed {
        /// What went wrong.
        message: String,
    },
}

impl SkipReason {
    /// The reason for a refusal with status word `sw`.
    #[must_use]
    pub fn access_denied(sw: StatusWord) -> Self {
        Self::AccessDenied {
            sw: format!("{:04X}", u16::from(sw)),
        }
    }
}

/// How access control went.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AccessControlReport {
    /// The protocol that established secure messaging: `PACE` or `BAC`.
    pub protocol: &'static str,
    /// The secure-messaging cipher it established.
    pub cipher: SmAlgorithm,
    /// The PACE details, when PACE ran.
    pub pace: Option<PaceReport>,
    /// The password used: `MRZ` or `CAN`.
    pub password: &'static str,
    /// How many times it had to run again after the channel broke.
    pub reauthentications: u32,
    /// Why PACE was abandoned for BAC, when it was.
    pub fallback_from_pace: Option<String>,
    /// Chip quirks met and worked around, each with what was done.
    pub quirks: Vec<String>,
}

/// Which PACE ran.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PaceReport {
    /// The protocol, e.g. `ECDH-GM-AES-128`.
    pub protocol: PaceProtocol,
    /// The mapping.
    pub mapping: Mapping,
    /// DH or ECDH.
    pub key_agreement: KeyAgreement,
    /// The parameter identifier of the PACEInfo.
    pub parameter_id: Option<u8>,
    /// The domain parameters, e.g. `brainpoolP256r1`.
    pub domain: String,
    /// Whether `84` was sent in MSE:Set AT.
    pub parameter_id_sent: bool,
}

/// What was learnt about the link to the chip.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LinkReport {
    /// Card capabilities from the ATR historical bytes.
    pub card_capabilities: CardCapabilities,
    /// Maximum command and response APDU sizes from EF.ATR/INFO.
    pub ef_atr_info_limits: Option<(usize, usize)>,
    /// Extended-length support as finally known.
    pub extended_length: ExtendedLength,
    /// Largest short Le used.
    pub short_le: usize,
    /// Whether READ BINARY with a short EF identifier worked.
    pub short_ef_identifiers: Option<bool>,
}

/// Totals over the whole read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Totals {
    /// Command APDUs on the wire.
    pub apdus: u32,
    /// Bytes sent.
    pub bytes_sent: u64,
    /// Bytes received.
    pub bytes_received: u64,
    /// Wall time in milliseconds.
    pub millis: u64,
}

/// A file whose read was cut off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct IncompleteFile {
    /// The file.
    pub ef: EfId,
    /// Bytes read before the interruption.
    #[serde(skip)]
    pub data: Vec<u8>,
    /// Bytes read.
    pub read: usize,
    /// Total length from the header, if known.
    pub total: Option<usize>,
}

/// The result of a read: the files (bytes exactly as on the chip) and a
/// report on how they were read. Serialising it gives the report only; the
/// file contents (personal data) are never serialised.
#[derive(Clone, Default, Serialize)]
pub struct ReadReport {
    /// The files read completely.
    #[serde(skip)]
    pub files: BTreeMap<EfId, Vec<u8>>,
    /// Per-file statistics.
    pub file_stats: BTreeMap<EfId, FileStats>,
    /// Files not read, and why.
    pub skipped: BTreeMap<EfId, SkipReason>,
    /// Access control, once it ran.
    pub access_control: Option<AccessControlReport>,
    /// The link.
    pub link: Option<LinkReport>,
    /// Totals.
    pub totals: Totals,
    /// A file cut off by a failure.
    pub incomplete: Option<IncompleteFile>,
    /// Defects met on the way that did not stop the read (lenient parsing
    /// of EF.CardAccess, unusable PACE offers, a PACE failure before a
    /// fallback).
    pub warnings: Vec<String>,
    /// The chip's PACE-CAM proof, to be checked against the chip key in a
    /// verified EF.CardSecurity (chip authentication).
    #[serde(skip)]
    pub pace_cam: Option<CamProof>,
    /// What the chip did to prove it is genuine (AA challenge and
    /// signature, the CA run, PACE-CAM data), to be judged against the
    /// files passive authentication verifies.
    pub chip_evidence: ChipEvidence,
}

impl core::fmt::Debug for ReadReport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("ReadReport")
            .field("files", &self.files.keys().collect::<Vec<_>>())
            .field("skipped", &self.skipped)
            .field("access_control", &self.access_control)
            .field("totals", &self.totals)
            .field(
                "incomplete",
                &self.incomplete.as_ref().map(|i| (i.ef, i.read, i.total)),
            )
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}
