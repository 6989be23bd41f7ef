//! Object identifiers the trust layer recognises (RFC 3279, 4055, 5652,
//! 5754, 5758; BSI TR-03111; ICAO Doc 9303-10/-12).

#![allow(missing_docs)] // each constant is named after its ASN.1 identifier

use const_oid::ObjectIdentifier as Oid;

const fn oid(s: &str) -> Oid {
    Oid::new_unwrap(s)
}

// Digests (RFC 3279 / 5754).
pub const ID_SHA1: Oid = oid("1.3.14.3.2.26");
pub const ID_SHA224: Oid = oid("2.16.840.1.101.3.4.2.4");
pub const ID_SHA256: Oid = oid("2.16.840.1.101.3.4.2.1");
pub const ID_SHA384: Oid = oid("2.16.840.1.101.3.4.2.2");
pub const ID_SHA512: Oid = oid("2.16.840.1.101.3.4.2.3");

// RSA (RFC 8017 / 4055).
pub const RSA_ENCRYPTION: Oid = oid("1.2.840.113549.1.1.1");
pub const SHA1_WITH_RSA: Oid = oid("1.2.840.113549.1.1.5");
pub const SHA224_WITH_RSA: Oid = oid("1.2.840.113549.1.1.14");
pub const SHA256_WITH_RSA: Oid = oid("1.2.840.113549.1.1.11");
pub const SHA384_WITH_RSA: Oid = oid("1.2.840.113549.1.1.12");
pub const SHA512_WITH_RSA: Oid = oid("1.2.840.113549.1.1.13");
pub const ID_RSASSA_PSS: Oid = oid("1.2.840.113549.1.1.10");
pub const ID_MGF1: Oid = oid("1.2.840.113549.1.1.8");

// ECDSA (RFC 3279 / 5758; BSI TR-03111 plain signatures).
pub const ID_EC_PUBLIC_KEY: Oid = oid("1.2.840.10045.2.1");
pub const ECDSA_WITH_SHA1: Oid = oid("1.2.840.10045.4.1");
pub const ECDSA_WITH_SHA224: Oid = oid("1.2.840.10045.4.3.1");
pub const ECDSA_WITH_SHA256: Oid = oid("1.2.840.10045.4.3.2");
pub const ECDSA_WITH_SHA384: Oid = oid("1.2.840.10045.4.3.3");
pub const ECDSA_WITH_SHA512: Oid = oid("1.2.840.10045.4.3.4");
pub const ECDSA_PLAIN_SHA1: Oid = oid("0.4.0.127.0.7.1.1.4.1.1");
pub const ECDSA_PLAIN_SHA224: Oid = oid("0.4.0.127.0.7.1.1.4.1.2");
pub const ECDSA_PLAIN_SHA256: Oid = oid("0.4.0.127.0.7.1.1.4.1.3");
pub const ECDSA_PLAIN_SHA384: Oid = oid("0.4.0.127.0.7.1.1.4.1.4");
pub const ECDSA_PLAIN_SHA512: Oid = oid("0.4.0.127.0.7.1.1.4.1.5");

// CMS (RFC 5652).
pub const ID_SIGNED_DATA: Oid = oid("1.2.840.113549.1.7.2");
pub const ID_DATA: Oid = oid("1.2.840.113549.1.7.1");
pub const ID_CONTENT_TYPE: Oid = oid("1.2.840.113549.1.9.3");
pub const ID_MESSAGE_DIGEST: Oid = oid("1.2.840.113549.1.9.4");
pub const ID_SIGNING_TIME: Oid = oid("1.2.840.113549.1.9.5");

// ICAO (Doc 9303-10 §4.6.2, Doc 9303-12 §7, §8, §9).
pub const ID_ICAO_LDS_SECURITY_OBJECT: Oid = oid("2.23.136.1.1.1");
pub const ID_ICAO_CSCA_MASTER_LIST: Oid = oid("2.23.136.1.1.2");
pub const ID_ICAO_CSCA_MASTER_LIST_SIGNING_KEY: Oid = oid("2.23.136.1.1.3");
pub const ID_ICAO_NAME_CHANGE: Oid = oid("2.23.136.1.1.6.1");
pub const ID_ICAO_DOCUMENT_TYPE_LIST: Oid = oid("2.23.136.1.1.6.2");
pub const ID_ICAO_DEVIATION_LIST: Oid = oid("2.23.136.1.1.7");
pub const ID_ICAO_DEVIATION_LIST_SIGNING_KEY: Oid = oid("2.23.136.1.1.8");
/// TR-03110-3 `id-SecurityObject` (eContentType of EF.CardSecurity).
pub const ID_SECURITY_OBJECT: Oid = oid("0.4.0.127.0.7.3.2.1");

// X.500 / X.509 (RFC 5280).
pub const COUNTRY_NAME: Oid = oid("2.5.4.6");
pub const SUBJECT_KEY_IDENTIFIER: Oid = oid("2.5.29.14");
pub const KEY_USAGE: Oid = oid("2.5.29.15");
pub const PRIVATE_KEY_USAGE_PERIOD: Oid = oid("2.5.29.16");
pub const BASIC_CONSTRAINTS: Oid = oid("2.5.29.19");
pub const CRL_NUMBER: Oid = oid("2.5.29.20");
pub const AUTHORITY_KEY_IDENTIFIER: Oid = oid("2.5.29.35");
pub const EXTENDED_KEY_USAGE: Oid = oid("2.5.29.37");
