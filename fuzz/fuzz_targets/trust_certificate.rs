//! X.509 certificates of the eMRTD PKI (`mrtd_trust::CertificateInfo`):
//! no panic in decoding (strict and Raw profiles), the summary, the key
//! classification; the TBS bytes are a slice of the input.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_trust::CertificateInfo;

fuzz_target!(|data: &[u8]| {
    if let Ok(c) = CertificateInfo::from_der(data) {
        assert_eq!(c.der(), data);
        let tbs = c.tbs_der();
        assert!(!tbs.is_empty() && data.windows(tbs.len()).any(|w| w == tbs));
        let _ = c.summary();
        let _ = c.key_kind();
        let _ = c.is_self_signed_candidate();
    }
    let _ = CertificateInfo::from_der_or_pem(data);
});
