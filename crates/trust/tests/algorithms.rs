//! Passive authentication is `valid` on every algorithm and curve
//! passports use: RSA PKCS#1 v1.5 and PSS, ECDSA on the NIST and Brainpool
//! curves with named and explicit parameters (PKIs built by
//! `tests/common/build.rs`, independent of the verifier).

mod common;

use std::collections::BTreeMap;

use common::build::{Algo, Pki};
use mrtd_groups::CurveId;
use mrtd_lds::DgNumber;
use mrtd_trust::{
    CheckStatus, PaInputs, Policy, Timestamp, TrustStore, Verdict, passive_authentication,
};
use rand::SeedableRng;

#[test]
fn every_algorithm_and_curve_gives_valid() {
    let mut rng = rand::rngs::ChaCha20Rng::from_seed([3; 32]);
    let dg1 = std::fs::read(common::vectors(
        "lds/dg1-icao-specimens/DG1_TD3_UTO_9303-4_App_B.bin",
    ))
    .unwrap();
    let dg2 = vec![0x75, 0x03, 1, 2, 3];
    let mut algos = vec![Algo::RsaPkcs1(2048), Algo::RsaPss(2048)];
    for c in [
        CurveId::P224,
        CurveId::P256,
        CurveId::P384,
        CurveId::P521,
        CurveId::BrainpoolP224r1,
        CurveId::BrainpoolP256r1,
        CurveId::BrainpoolP320r1,
        CurveId::BrainpoolP384r1,
        CurveId::BrainpoolP512r1,
    ] {
        algos.push(Algo::Ecdsa(c, true));
    }
    algos.push(Algo::Ecdsa(CurveId::P256, false));
    for algo in algos {
        let pki = Pki::generate(algo, &mut rng);
        let sod = pki.sign_sod(&[(1, &dg1), (2, &dg2)], &mut rng);
        let mut store = TrustStore::new();
        let r = store.import(&pki.csca, "csca");
        assert_eq!(r.imported(), 1, "{}: {r:#?}", algo.name());
        let dgs: BTreeMap<DgNumber, Vec<u8>> = [
            (DgNumber::new(1).unwrap(), dg1.clone()),
            (DgNumber::new(2).unwrap(), dg2.clone()),
        ]
        .into();
        let report = passive_authentication(&PaInputs {
            sod: &sod,
            data_groups: &dgs,
            issuing_state: None,
            store: &store,
            at: Timestamp::parse("2030-01-01").unwrap(),
            policy: &Policy::default(),
        });
        assert_eq!(
            report.verdict,
            Verdict::Valid,
            "{}: {report:#?}",
            algo.name()
        );
        assert_eq!(
            report.check("issuer.country").unwrap().status,
            CheckStatus::Pass,
            "UTO ↔ UT"
        );
    }
}
