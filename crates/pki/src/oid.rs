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
