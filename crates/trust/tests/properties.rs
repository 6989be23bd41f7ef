//! Hostile input never panics: random bytes and mutations of real
//! certificates, CRLs, master lists, LDIF and EF.SODs through every
//! parser, the store import and passive authentication.

mod common;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use mrtd_lds::DgNumber;
use mrtd_trust::{
    CertificateInfo, CrlInfo, PaInputs, Policy, Timestamp, TrustStore, Verdict,
    passive_authentication,
};
use proptest::prelude::*;

/// A mutation: flip, set, insert or delete bytes at positions derived from
/// the seed values.
fn mutate(base: &[u8], edits: &[(u32, u8, u8)]) -> Vec<u8> {
    let mut v = base.to_vec();
    for &(pos, kind, val) in edits {
        if v.is_empty() {
            v.push(val);
            continue;
        }
        let i = pos as usize % v.len();
        match kind % 5 {
            0 => v[i] ^= val | 1,
            1 => v[i] = val,
            2 => v.insert(i, val),
            3 => {
                v.remove(i);
            }
            _ => v.truncate(i),
        }
    }
    v
}

type Document = (Vec<u8>, BTreeMap<DgNumber, Vec<u8>>);

fn etsi() -> &'static Document {
    static F: OnceLock<Document> = OnceLock::new();
    F.get_or_init(|| {
        (
            common::read("lds/etsi-eacaa-prototype/EF_SOD.bin"),
            common::data_groups(
                "lds/etsi-eacaa-prototype",
                &[(1, "DG1.bin"), (14, "DG14.bin"), (15, "DG15.bin")],
            ),
        )
    })
}

fn pa(sod: &[u8]) -> mrtd_trust::PaReport {
    passive_authentication(&PaInputs {
        sod,
        data_groups: &etsi().1,
        issuing_state: None,
        store: &TrustStore::new(),
        at: Timestamp::parse("2012-01-01").unwrap(),
        policy: &Policy::default(),
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = CertificateInfo::from_der(&data);
        let _ = CrlInfo::from_der(&data);
        let _ = mrtd_trust::ldif::parse(&data);
        let mut store = TrustStore::new();
        let _ = store.import(&data, "random");
        let r = pa(&data);
        prop_assert_ne!(r.verdict, Verdict::Valid);
    }

    #[test]
    fn mutated_sods_never_panic_and_never_pass(edits in proptest::collection::vec((any::<u32>(), any::<u8>(), any::<u8>()), 1..4)) {
        let sod = mutate(&etsi().0, &edits);
        let r = pa(&sod);
        if sod != etsi().0 {
            // Without a trust anchor nothing is valid; a changed SOD must
            // not even keep all of signature, digest and DG hashes.
            prop_assert_ne!(r.verdict, Verdict::Valid);
        }
        let _ = serde_json::to_string(&r).unwrap();
    }

    #[test]
    fn mutated_certificates_and_crls_never_panic(edits in proptest::collection::vec((any::<u32>(), any::<u8>(), any::<u8>()), 1..4)) {
        for f in ["pki/master-lists/DE_ROOT_CA_CSCA07.cer", "pki/csca-link-chain-idn/2020-10_CSCA_LINK.cer", "pki/dsc/ETSI_DS_0130846f2b3e.cer"] {
            let c = mutate(&common::read(f), &edits);
            if let Ok(info) = CertificateInfo::from_der(&c) {
                let _ = info.summary();
            }
            let mut store = TrustStore::new();
            let _ = store.import(&c, f);
        }
    }

    #[test]
    fn mutated_ldif_never_panics(edits in proptest::collection::vec((any::<u32>(), any::<u8>(), any::<u8>()), 1..6)) {
        let ldif = b"version: 1\n\ndn: cn=x,o=dsc,c=DE\nuserCertificate;binary:: MIIBAAEC\n AAEC\n\ndn: cn=y\ncertificateRevocationList;binary:: AQID\n";
        let m = mutate(ldif, &edits);
        let _ = mrtd_trust::ldif::parse(&m);
        let mut store = TrustStore::new();
        let _ = store.import(&m, "ldif");
    }
}

proptest! {
    // A master list is large: few cases.
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn mutated_master_lists_never_panic(edits in proptest::collection::vec((any::<u32>(), any::<u8>(), any::<u8>()), 1..3)) {
        static ML: OnceLock<Vec<u8>> = OnceLock::new();
        let ml = ML.get_or_init(|| common::read("pki/master-lists/NL_ML_2026-07-22.ml"));
        let m = mutate(ml, &edits);
        let mut store = TrustStore::new();
        let report = store.import(&m, "ml");
        if m != *ml {
            // A changed list is never accepted (the CMS signature covers
            // everything but the unsigned parts, and those hold nothing
            // the store keeps).
            prop_assert!(report.imported() == 0 || report.notes.iter().any(|n| n.starts_with("CMS signature verified")));
        }
    }
}
