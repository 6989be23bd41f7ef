//! ICAO object identifiers (Doc 9303-10 §4.6.2, Doc 9303-12 §7.1 and
//! Appendix, arc `2.23.136.1.1` = id-icao-mrtd-security).

use const_oid::ObjectIdentifier;

/// `id-icao-mrtd-security-ldsSecurityObject`: the eContentType of EF.SOD
/// (Doc 9303-10 §4.6.2.2).
pub const ID_ICAO_LDS_SECURITY_OBJECT: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.23.136.1.1.1");

/// `id-icao-mrtd-security-cscaMasterList`: the eContentType of a CSCA
/// master list (Doc 9303-12 §9).
pub const ID_ICAO_CSCA_MASTER_LIST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.23.136.1.1.2");

/// `id-icao-mrtd-security-extensions-documentTypeList`: the Document Type
/// List certificate extension of a Document Signer (Doc 9303-12 §7.1.1.6).
pub const ID_ICAO_DOCUMENT_TYPE_LIST: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.23.136.1.1.6.2");

/// `id-icao-mrtd-security-cscaMasterListSigningKey`: the extended key
/// usage of a master-list signer certificate (Doc 9303-12 §7.1.1, Table 6).
pub const ID_ICAO_CSCA_MASTER_LIST_SIGNING_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("2.23.136.1.1.3");

/// `ecdsa-with-SHA1` (RFC 3279 §2.2.3, ANSI X9.62), absent from
/// `const-oid`'s RFC 5912 table.
pub const ECDSA_WITH_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");

/// `id-data` (RFC 5652 §4): the eContentType EF.SOD must NOT have
/// (used for negative test vectors).
pub const ID_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");

/// `id-signingTime` (RFC 5652 §11.3).
pub const ID_SIGNING_TIME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.5");
