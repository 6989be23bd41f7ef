//! The hash functions of Active Authentication: which one an RSA signature
//! names in its ISO/IEC 9796-2 trailer, and which one an ECDSA key uses
//! (from `ActiveAuthenticationInfo` in DG14, Doc 9303-11 §9.2.5).

use const_oid::ObjectIdentifier;
use digest::Digest;
use serde::{Deserialize, Serialize};

/// `ecdsa-plain-signatures` (BSI TR-03111 §5.2.1):
/// `bsi-de algorithms(1) sig(1) ecdsa(4) plain(1)`.
pub const ID_ECDSA_PLAIN_SIGNATURES: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1");

/// `ecdsa-with-SHA1` (ANSI X9.62, RFC 3279).
const ID_ECDSA_WITH_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");
/// `ecdsa-with-SHA2` (ANSI X9.62, RFC 5758): `.1` SHA-224 … `.4` SHA-512.
const ID_ECDSA_WITH_SHA2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.3");

/// A hash function Active Authentication may use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AaDigest {
    /// SHA-1 (the one-byte trailer `BC` of ISO/IEC 9796-2 implies it).
    #[serde(rename = "SHA-1")]
    Sha1,
    /// SHA-224.
    #[serde(rename = "SHA-224")]
    Sha224,
    /// SHA-256.
    #[serde(rename = "SHA-256")]
    Sha256,
    /// SHA-384.
    #[serde(rename = "SHA-384")]
    Sha384,
    /// SHA-512.
    #[serde(rename = "SHA-512")]
    Sha512,
}

impl AaDigest {
    /// All five, weakest first.
    pub const ALL: [AaDigest; 5] = [
        Self::Sha1,
        Self::Sha224,
        Self::Sha256,
        Self::Sha384,
        Self::Sha512,
    ];

    /// Output length in bytes.
    #[must_use]
    pub const fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// The hash of the concatenation of `parts`.
    #[must_use]
    pub fn hash(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut d = D::new();
            for p in parts {
                d.update(p);
            }
            d.finalize().to_vec()
        }
        match self {
            Self::Sha1 => run::<sha1::Sha1>(parts),
            Self::Sha224 => run::<sha2::Sha224>(parts),
            Self::Sha256 => run::<sha2::Sha256>(parts),
            Self::Sha384 => run::<sha2::Sha384>(parts),
            Self::Sha512 => run::<sha2::Sha512>(parts),
        }
    }

    /// The hash-function identifier of ISO/IEC 10118-3 that the two-byte
    /// ISO/IEC 9796-2 trailer `XX CC` carries: `33` SHA-1, `38` SHA-224,
    /// `34` SHA-256, `36` SHA-384, `35` SHA-512.
    #[must_use]
    pub const fn iso9796_hash_id(self) -> u8 {
        match self {
            Self::Sha1 => 0x33,
            Self::Sha224 => 0x38,
            Self::Sha256 => 0x34,
            Self::Sha384 => 0x36,
            Self::Sha512 => 0x35,
        }
    }

    /// The hash an ISO/IEC 10118-3 identifier names, if it is one of the
    /// five (RIPEMD and Whirlpool are not used by eMRTDs).
    #[must_use]
    pub fn from_iso9796_hash_id(id: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.iso9796_hash_id() == id)
    }

    /// The hash of a BSI TR-03111 `ecdsa-plain-SHA*` OID
    /// (`0.4.0.127.0.7.1.1.4.1.{1,2,3,4,5}`), the `signatureAlgorithm` of
    /// an `ActiveAuthenticationInfo` (Doc 9303-11 §9.2.5). RIPEMD-160
    /// (`.6`) and everything else give `None`.
    #[must_use]
    pub fn from_ecdsa_plain_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.ecdsa_plain_oid() == *oid)
    }

    /// The BSI TR-03111 `ecdsa-plain-SHA*` OID of this hash (for the
    /// `ActiveAuthenticationInfo` of a personalised chip).
    #[must_use]
    pub fn ecdsa_plain_oid(self) -> ObjectIdentifier {
        let arc = match self {
            Self::Sha1 => 1,
            Self::Sha224 => 2,
            Self::Sha256 => 3,
            Self::Sha384 => 4,
            Self::Sha512 => 5,
        };
        // One more arc on a short constant OID always fits.
        ID_ECDSA_PLAIN_SIGNATURES
            .push_arc(arc)
            .unwrap_or(ID_ECDSA_PLAIN_SIGNATURES)
    }

    /// Like [`AaDigest::from_ecdsa_plain_oid`], and also the ANSI X9.62
    /// `ecdsa-with-SHA*` OIDs that some chips put in
    /// `ActiveAuthenticationInfo` instead. Only the hash is taken from the
    /// OID: an Active Authentication signature is plain `r‖s` whatever it
    /// names (Doc 9303-11 §6.1.2.2).
    #[must_use]
    pub fn from_signature_algorithm_oid(oid: &ObjectIdentifier) -> Option<Self> {
        if let Some(d) = Self::from_ecdsa_plain_oid(oid) {
            return Some(d);
        }
        if *oid == ID_ECDSA_WITH_SHA1 {
            return Some(Self::Sha1);
        }
        [
            (1, Self::Sha224),
            (2, Self::Sha256),
            (3, Self::Sha384),
            (4, Self::Sha512),
        ]
        .into_iter()
        .find(|(arc, _)| ID_ECDSA_WITH_SHA2.push_arc(*arc).ok().as_ref() == Some(oid))
        .map(|(_, d)| d)
    }
}

impl core::fmt::Display for AaDigest {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Sha1 => "SHA-1",
            Self::Sha224 => "SHA-224",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_round_trip() {
        for d in AaDigest::ALL {
            assert_eq!(AaDigest::from_iso9796_hash_id(d.iso9796_hash_id()), Some(d));
            assert_eq!(
                AaDigest::from_ecdsa_plain_oid(&d.ecdsa_plain_oid()),
                Some(d)
            );
            assert_eq!(d.hash(&[b"abc"]).len(), d.output_len());
        }
        assert_eq!(
            AaDigest::Sha256.ecdsa_plain_oid().to_string(),
            "0.4.0.127.0.7.1.1.4.1.3"
        );
        assert_eq!(AaDigest::from_iso9796_hash_id(0x31), None, "RIPEMD-160");
        let ripemd = ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.1.4.1.6");
        assert_eq!(AaDigest::from_ecdsa_plain_oid(&ripemd), None);
        assert_eq!(
            AaDigest::from_signature_algorithm_oid(&ObjectIdentifier::new_unwrap(
                "1.2.840.10045.4.3.2"
            )),
            Some(AaDigest::Sha256)
        );
        assert_eq!(
            AaDigest::from_signature_algorithm_oid(&ObjectIdentifier::new_unwrap(
                "1.2.840.10045.4.1"
            )),
            Some(AaDigest::Sha1)
        );
        assert_eq!(
            AaDigest::from_ecdsa_plain_oid(&ObjectIdentifier::new_unwrap("1.2.840.10045.4.3.2")),
            None
        );
        assert_eq!(
            serde_json::to_string(&AaDigest::Sha384).unwrap(),
            "\"SHA-384\""
        );
        // The digest of the empty challenge and of "abc" (FIPS 180-4).
        assert_eq!(
            hex::encode(AaDigest::Sha256.hash(&[b"a", b"bc"])),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
