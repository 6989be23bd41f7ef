//! Message digest algorithms of Doc 9303-12 §4.1 (SHA-1 and the SHA-2
//! family), with their object identifiers.

use core::fmt;
use core::str::FromStr;

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;
use serde::{Deserialize, Serialize};
use sha2::Digest as _;
use spki::AlgorithmIdentifierOwned;

/// A message digest algorithm.
///
/// Doc 9303-12 §4.1.4 allows SHA-224, SHA-256, SHA-384 and SHA-512 for new
/// documents; SHA-1 still appears on documents in circulation, so it can be
/// produced here to test how verifiers warn about it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// SHA-1 (FIPS 180-4); deprecated, for negative and legacy tests.
    Sha1,
    /// SHA-224 (FIPS 180-4).
    Sha224,
    /// SHA-256 (FIPS 180-4).
    Sha256,
    /// SHA-384 (FIPS 180-4).
    Sha384,
    /// SHA-512 (FIPS 180-4).
    Sha512,
}

impl DigestAlgorithm {
    /// Every algorithm, shortest output first.
    pub const ALL: [Self; 5] = [
        Self::Sha1,
        Self::Sha224,
        Self::Sha256,
        Self::Sha384,
        Self::Sha512,
    ];

    /// The algorithm's OID.
    #[must_use]
    pub fn oid(self) -> ObjectIdentifier {
        match self {
            Self::Sha1 => rfc5912::ID_SHA_1,
            Self::Sha224 => rfc5912::ID_SHA_224,
            Self::Sha256 => rfc5912::ID_SHA_256,
            Self::Sha384 => rfc5912::ID_SHA_384,
            Self::Sha512 => rfc5912::ID_SHA_512,
        }
    }

    /// The algorithm with this OID, if it is one of [`Self::ALL`].
    #[must_use]
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.oid() == *oid)
    }

    /// The `AlgorithmIdentifier` with absent parameters, the form RFC 5754
    /// §2 (SHA-2) and RFC 3370 §2.1 (SHA-1) say producers SHOULD use.
    #[must_use]
    pub fn algorithm_identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned {
            oid: self.oid(),
            parameters: None,
        }
    }

    /// Length of the digest in bytes.
    #[must_use]
    pub fn output_len(self) -> usize {
        match self {
            Self::Sha1 => 20,
            Self::Sha224 => 28,
            Self::Sha256 => 32,
            Self::Sha384 => 48,
            Self::Sha512 => 64,
        }
    }

    /// Hashes `data`.
    #[must_use]
    pub fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Self::Sha1 => sha1::Sha1::digest(data).to_vec(),
            Self::Sha224 => sha2::Sha224::digest(data).to_vec(),
            Self::Sha256 => sha2::Sha256::digest(data).to_vec(),
            Self::Sha384 => sha2::Sha384::digest(data).to_vec(),
            Self::Sha512 => sha2::Sha512::digest(data).to_vec(),
        }
    }

    /// Short lower-case name: `sha1`, `sha224`, `sha256`, `sha384`, `sha512`.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Sha1 => "sha1",
            Self::Sha224 => "sha224",
            Self::Sha256 => "sha256",
            Self::Sha384 => "sha384",
            Self::Sha512 => "sha512",
        }
    }
}

impl fmt::Display for DigestAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Sha1 => "SHA-1",
            Self::Sha224 => "SHA-224",
            Self::Sha256 => "SHA-256",
            Self::Sha384 => "SHA-384",
            Self::Sha512 => "SHA-512",
        })
    }
}

/// Parses [`DigestAlgorithm::name`] (also accepting `sha-256` style).
impl FromStr for DigestAlgorithm {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.to_ascii_lowercase().replace('-', "");
        Self::ALL
            .into_iter()
            .find(|d| d.name() == norm)
            .ok_or_else(|| {
                format!("unknown digest algorithm {s:?} (sha1, sha224, sha256, sha384, sha512)")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_oids_and_names_agree() {
        for d in DigestAlgorithm::ALL {
            assert_eq!(d.digest(b"abc").len(), d.output_len());
            assert_eq!(DigestAlgorithm::from_oid(&d.oid()), Some(d));
            assert_eq!(d.name().parse::<DigestAlgorithm>(), Ok(d));
            assert_eq!(d.to_string().parse::<DigestAlgorithm>(), Ok(d));
        }
        assert!("md5".parse::<DigestAlgorithm>().is_err());
        // FIPS 180-4 "abc" vector.
        assert_eq!(
            DigestAlgorithm::Sha256.digest(b"abc")[..4],
            [0xba, 0x78, 0x16, 0xbf]
        );
    }
}
