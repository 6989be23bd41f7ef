//! Files whose integrity passive authentication proved.
//!
//! A [`VerifiedFile`] can only be made inside this crate, by
//! [`passive_authentication_outcome`] (a data group whose hash matched an
//! EF.SOD that passed every check) or [`card_security_outcome`] (an
//! EF.CardSecurity whose own signature chain passed). The authenticity
//! checks take their keys from `VerifiedFile`s only, so "the key came from
//! a verified file" is a fact the compiler enforces, not a flag a caller can
//! forget to look at.

use std::collections::BTreeMap;

use mrtd_lds::{DgNumber, EfId};

use crate::pa::{PaInputs, VerifyContext, passive_authentication, verify_card_security};
use crate::report::{CheckStatus, PaReport, Verdict};

/// The bytes of a file passive authentication vouched for.
#[derive(Clone, PartialEq, Eq)]
pub struct VerifiedFile {
    ef: EfId,
    bytes: Vec<u8>,
    anchored: bool,
}

impl VerifiedFile {
    /// Which file.
    #[must_use]
    pub fn ef(&self) -> EfId {
        self.ef
    }

    /// Its bytes, exactly as the signed hash (or signature) covers them.
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Whether the signature chained to a trust anchor (verdict `valid`).
    /// Without an anchor the file is intact relative to its signer, but the
    /// signer itself is not known to be the issuing state.
    #[must_use]
    pub fn anchored(&self) -> bool {
        self.anchored
    }
}

/// File contents may be personal data: the debug view names the file only.
impl core::fmt::Debug for VerifiedFile {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(
            f,
            "VerifiedFile({}, {} bytes, anchored: {})",
            self.ef,
            self.bytes.len(),
            self.anchored
        )
    }
}

/// A passive-authentication report together with the data groups it
/// verified.
#[derive(Clone, Debug)]
pub struct PaOutcome {
    /// The report.
    pub report: PaReport,
    verified: BTreeMap<DgNumber, VerifiedFile>,
}

impl PaOutcome {
    /// The data group `dg`, if its hash matched a SOD that passed (verdict
    /// `valid` or `unknown`: nothing failed).
    #[must_use]
    pub fn verified(&self, dg: DgNumber) -> Option<&VerifiedFile> {
        self.verified.get(&dg)
    }

    /// DG14 (Chip Authentication keys, ActiveAuthenticationInfo), if verified.
    #[must_use]
    pub fn dg14(&self) -> Option<&VerifiedFile> {
        DgNumber::new(14).and_then(|n| self.verified(n))
    }

    /// DG15 (the Active Authentication key), if verified.
    #[must_use]
    pub fn dg15(&self) -> Option<&VerifiedFile> {
        DgNumber::new(15).and_then(|n| self.verified(n))
    }
}

/// Passive authentication, returning the verified data groups with the
/// report. A data group is verified when nothing in the report failed and
/// its own `dg.hash.DGn` check passed.
#[must_use]
pub fn passive_authentication_outcome(inputs: &PaInputs<'_>) -> PaOutcome {
    let report = passive_authentication(inputs);
    let mut verified = BTreeMap::new();
    // `unknown` also covers a SOD whose signature could not be checked at
    // all (no DS certificate, an unsupported algorithm): the signature
    // itself must have verified.
    if report.verdict != Verdict::Invalid && passed(&report, "sod.signature") {
        let anchored = report.verdict == Verdict::Valid;
        for (dg, bytes) in inputs.data_groups {
            if passed(&report, &format!("dg.hash.{dg}")) {
                verified.insert(
                    *dg,
                    VerifiedFile {
                        ef: EfId::Dg(*dg),
                        bytes: bytes.clone(),
                        anchored,
                    },
                );
            }
        }
    }
    PaOutcome { report, verified }
}

/// [`passive_authentication_outcome`] for the files of a read (as
/// [`crate::verify_files`]: the issuing state from DG1 unless given; a missing EF.SOD
/// is reported and verifies nothing).
#[must_use]
pub fn verify_files_outcome(
    files: &BTreeMap<EfId, Vec<u8>>,
    issuing_state: Option<&str>,
    store: &crate::TrustStore,
    at: crate::Timestamp,
    policy: &crate::Policy,
) -> PaOutcome {
    let data_groups: BTreeMap<DgNumber, Vec<u8>> = files
        .iter()
        .filter_map(|(ef, b)| match ef {
            EfId::Dg(n) => Some((*n, b.clone())),
            _ => None,
        })
        .collect();
    match files.get(&EfId::Sod) {
        Some(sod) => passive_authentication_outcome(&PaInputs {
            sod,
            data_groups: &data_groups,
            issuing_state,
            store,
            at,
            policy,
        }),
        None => PaOutcome {
            report: crate::pa::sod_missing_report(at),
            verified: BTreeMap::new(),
        },
    }
}

/// Verifies EF.CardSecurity's signature chain (like EF.SOD's) and returns
/// the file as verified when nothing failed.
#[must_use]
pub fn card_security_outcome(
    bytes: &[u8],
    ctx: &VerifyContext<'_>,
) -> (PaReport, Option<VerifiedFile>) {
    let report = verify_card_security(bytes, ctx);
    let intact = report.verdict != Verdict::Invalid && passed(&report, "card-security.signature");
    let file = intact.then(|| VerifiedFile {
        ef: EfId::CardSecurity,
        bytes: bytes.to_vec(),
        anchored: report.verdict == Verdict::Valid,
    });
    (report, file)
}

fn passed(report: &PaReport, id: &str) -> bool {
    report
        .check(id)
        .is_some_and(|c| c.status == CheckStatus::Pass)
}
