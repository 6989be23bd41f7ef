//! EF.SOD (Doc 9303-10 §4.6.2, RFC 5652): no panic in the decoder, the
//! structural checks and every accessor; a SOD that passes `parse` also
//! passes `parse_unchecked`; byte ranges point into the file.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mrtd_lds::Sod;

fuzz_target!(|data: &[u8]| {
    let strict = Sod::parse(data);
    let Ok(sod) = Sod::parse_unchecked(data) else {
        assert!(
            strict.is_err(),
            "parse accepts what parse_unchecked rejects"
        );
        return;
    };
    assert_eq!(strict.is_ok(), sod.check_structure().is_ok());
    assert_eq!(sod.as_bytes(), data);
    let _ = (
        sod.content_type(),
        sod.encapsulated_content_type(),
        sod.digest_algorithm(),
        sod.lds_version(),
        sod.signed_data_bytes().len(),
        sod.encapsulated_content().len(),
        sod.certificates().count(),
        sod.signer_infos().count(),
        format!("{sod:?}"),
    );
    for der in sod.certificates_der() {
        assert!(der.len() <= data.len());
    }
    for raw in sod.raw_signer_infos() {
        assert!(raw.der.len() <= data.len());
        let _ = raw.signed_attributes.map(<[u8]>::len);
    }
    for (dg, hash) in sod.data_group_hashes() {
        assert!(sod.data_group_hash(dg).is_some());
        let _ = hash.len();
    }
});
