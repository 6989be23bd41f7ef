//! Validating a read: passive authentication of the files and the
//! chip-authenticity verdict on the evidence the read gathered, bound to
//! the files passive authentication verified.

use std::collections::BTreeMap;

use mrtd_lds::security_infos::SecurityInfo;
use mrtd_lds::{Dg14, DgNumber, EfId};
use mrtd_trust::authenticity::{
    self, AuthenticityPolicy, AuthenticityReport, ChipEvidence, Offered, VerifiedKeys,
};
use mrtd_trust::{PaReport, Policy, RustCryptoVerifier, Timestamp, TrustStore, VerifyContext};
use serde::Serialize;

use crate::report::ReadReport;

/// The outcome of validating a read.
#[derive(Clone, Debug, Serialize)]
pub struct Validation {
    /// [`Validation::SCHEMA`].
    pub schema: &'static str,
    /// Passive authentication of EF.SOD and the data groups.
    pub pa: PaReport,
    /// Passive authentication of EF.CardSecurity, when it was read.
    pub card_security: Option<PaReport>,
    /// Chip authenticity.
    pub authenticity: AuthenticityReport,
}

impl Validation {
    /// The schema name of the JSON form: `{schema, pa, card_security,
    /// authenticity}`, with the `mrtd-pa/1` and `mrtd-authenticity/1`
    /// reports inside.
    pub const SCHEMA: &'static str = "mrtd-validation/1";

    /// Whether the document can be relied on: passive authentication
    /// valid and the chip-authenticity verdict acceptable under the
    /// policy it was evaluated with.
    #[must_use]
    pub fn acceptable(&self) -> bool {
        self.pa.verdict == mrtd_trust::Verdict::Valid && self.authenticity.acceptable()
    }
}

/// The rules a validation applies beyond the trust store and the time.
#[derive(Clone, Debug, Default)]
pub struct ValidationRules {
    /// Passive-authentication policy.
    pub pa: Policy,
    /// Chip-authenticity policy.
    pub authenticity: AuthenticityPolicy,
    /// The issuing state to bind the Document Signer to when DG1 is not
    /// among the files (from the MRZ the officer typed, for example).
    pub issuing_state: Option<String>,
}

/// Validates a completed read with the default authenticity policy.
#[must_use]
pub fn validate(
    report: &ReadReport,
    store: &TrustStore,
    at: Timestamp,
    policy: &Policy,
) -> Validation {
    let rules = ValidationRules {
        pa: policy.clone(),
        ..ValidationRules::default()
    };
    validate_with(report, store, at, &rules)
}

/// Validates a completed read under explicit rules.
#[must_use]
pub fn validate_with(
    report: &ReadReport,
    store: &TrustStore,
    at: Timestamp,
    rules: &ValidationRules,
) -> Validation {
    validate_files_with(&report.files, Some(&report.chip_evidence), store, at, rules)
}

/// Validates files read elsewhere (a dump folder), with the chip evidence
/// recorded beside them if there is any.
#[must_use]
pub fn validate_files(
    files: &BTreeMap<EfId, Vec<u8>>,
    evidence: Option<&ChipEvidence>,
    store: &TrustStore,
    at: Timestamp,
    policy: &Policy,
) -> Validation {
    let rules = ValidationRules {
        pa: policy.clone(),
        ..ValidationRules::default()
    };
    validate_files_with(files, evidence, store, at, &rules)
}

/// Validates files under explicit rules.
#[must_use]
pub fn validate_files_with(
    files: &BTreeMap<EfId, Vec<u8>>,
    evidence: Option<&ChipEvidence>,
    store: &TrustStore,
    at: Timestamp,
    rules: &ValidationRules,
) -> Validation {
    let policy = &rules.pa;
    let outcome = authenticity::verify_files_outcome(
        files,
        rules.issuing_state.as_deref(),
        store,
        at,
        policy,
    );
    let (card_security, card_security_file) = match files.get(&EfId::CardSecurity) {
        Some(bytes) => {
            let ctx = VerifyContext {
                store,
                at,
                policy,
                verifier: &RustCryptoVerifier,
            };
            let (report, file) = authenticity::card_security_outcome(bytes, &ctx);
            (Some(report), file)
        }
        None => (None, None),
    };
    // Files without recorded evidence (a dump from another tool): what the
    // chip offers is still visible in the files; nothing ran.
    let offered_only = ChipEvidence {
        offered: Offered {
            aa: files.contains_key(&EfId::Dg(DgNumber::ALL[14])),
            ca: files
                .get(&EfId::Dg(DgNumber::ALL[13]))
                .and_then(|b| Dg14::parse(b).ok())
                .is_some_and(|d| {
                    d.security_infos
                        .infos
                        .iter()
                        .any(|i| matches!(i, SecurityInfo::ChipAuthenticationPublicKey(_)))
                }),
            cam: false,
        },
        ..ChipEvidence::default()
    };
    let evidence = evidence.unwrap_or(&offered_only);
    let keys = VerifiedKeys {
        dg14: outcome.dg14(),
        dg15: outcome.dg15(),
        card_security: card_security_file.as_ref(),
    };
    let authenticity = authenticity::evaluate(evidence, keys, &rules.authenticity);
    Validation {
        schema: Validation::SCHEMA,
        pa: outcome.report,
        card_security,
        authenticity,
    }
}
