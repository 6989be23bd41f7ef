//! CMS master and deviation lists and everything else `TrustStore::import`
//! recognises (certificates, CRLs, PEM, LDIF): no panic, a report for
//! every input, and the store's counts agree with the report.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_trust::{TrustStore, cms::SignedObject, der_walk, masterlist::CscaMasterList};

fuzz_target!(|data: &[u8]| {
    if let Ok((der, _)) = der_walk::to_der(data)
        && let Ok(obj) = SignedObject::parse(&der)
    {
        if let Some(c) = obj.econtent {
            let _ = CscaMasterList::parse(c);
        }
        for s in &obj.signers {
            let _ = s.attributes();
            let _ = s.signed_attributes_message();
        }
    }
    let mut store = TrustStore::new();
    let report = store.import(data, "fuzz");
    let stored = store.certificates().count() + store.crls().count() + store.lists().count();
    assert!(stored <= report.imported());
    let _ = store.audit(&mrtd_trust::RustCryptoVerifier);
});
