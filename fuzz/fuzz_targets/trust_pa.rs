//! Passive authentication on arbitrary EF.SOD bytes (with the DGs and the
//! trust anchor of the virtual passport): no panic, and an invalid SOD
//! never yields `valid` unless it is the genuine one.

#![no_main]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mrtd_lds::{DgNumber, EfId};
use mrtd_trust::{PaInputs, Policy, Timestamp, TrustStore, Verdict, passive_authentication};

struct Fixture {
    store: TrustStore,
    dgs: BTreeMap<DgNumber, Vec<u8>>,
    sod: Vec<u8>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let files = mrtd_sim::personalise::default_passport().files().clone();
        let mut store = TrustStore::new();
        store.import(
            include_bytes!("../../test-vectors/pki/csca.der"),
            "test CSCA",
        );
        let dgs = files
            .iter()
            .filter_map(|(e, b)| match e {
                EfId::Dg(n) => Some((*n, b.clone())),
                _ => None,
            })
            .collect();
        Fixture {
            store,
            dgs,
            sod: files[&EfId::Sod].clone(),
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let f = fixture();
    let report = passive_authentication(&PaInputs {
        sod: data,
        data_groups: &f.dgs,
        issuing_state: None,
        store: &f.store,
        at: Timestamp::from_unix(1_800_000_000),
        policy: &Policy::default(),
    });
    if report.verdict == Verdict::Valid {
        // Only a SOD carrying the genuine signed content can be valid.
        let genuine = &f.sod;
        assert!(
            data.len() >= genuine.len() / 2,
            "valid verdict for a short forgery"
        );
    }
    let _ = serde_json::to_string(&report);
});
