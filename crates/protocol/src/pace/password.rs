//! PACE passwords and the password key K_π (Doc 9303-11 §9.7.3).

use sha1::{Digest, Sha1};
use zeroize::Zeroizing;

use crate::crypto::{KdfCounter, SmAlgorithm, SymmetricKey};

/// The secret PACE is run with.
#[derive(Clone)]
pub enum PacePassword {
    /// The MRZ information (document number, date of birth, date of
    /// expiry, each with its check digit), as for BAC.
    Mrz(Zeroizing<String>),
    /// The card access number printed on the data page.
    Can(Zeroizing<String>),
    /// A PIN (eID documents).
    Pin(Zeroizing<String>),
    /// A PUK (eID documents).
    Puk(Zeroizing<String>),
}

impl PacePassword {
    /// The password reference of MSE:Set AT (§4.4.4.1, tag `83`).
    #[must_use]
    pub fn reference(&self) -> u8 {
        match self {
            Self::Mrz(_) => 0x01,
            Self::Can(_) => 0x02,
            Self::Pin(_) => 0x03,
            Self::Puk(_) => 0x04,
        }
    }

    /// A short name for reports (`MRZ`, `CAN`, `PIN`, `PUK`).
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Mrz(_) => "MRZ",
            Self::Can(_) => "CAN",
            Self::Pin(_) => "PIN",
            Self::Puk(_) => "PUK",
        }
    }

    /// f(π): SHA-1 of the MRZ information, the password bytes otherwise
    /// (ISO 8859-1 characters; the passwords here are ASCII).
    fn encoded(&self) -> Zeroizing<Vec<u8>> {
        match self {
            Self::Mrz(info) => Zeroizing::new(Sha1::digest(info.as_bytes()).to_vec()),
            Self::Can(p) | Self::Pin(p) | Self::Puk(p) => Zeroizing::new(p.as_bytes().to_vec()),
        }
    }

    /// K_π = KDF_π(π) for the cipher of the chosen protocol.
    #[must_use]
    pub fn key(&self, algorithm: SmAlgorithm) -> SymmetricKey {
        SymmetricKey::derive(algorithm, &self.encoded(), KdfCounter::Pace)
    }
}

impl core::fmt::Debug for PacePassword {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "PacePassword::{}(..)", self.kind())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_keys_of_the_worked_examples() {
        // G.1: MRZ T22000129 / 640812 / 101031.
        let mrz = PacePassword::Mrz(Zeroizing::new("T22000129364081251010318".into()));
        assert_eq!(
            hex::encode_upper(mrz.key(SmAlgorithm::Aes128).as_bytes()),
            "89DED1B26624EC1E634C1989302849DD"
        );
        // H.1: CAN 123456.
        let can = PacePassword::Can(Zeroizing::new("123456".into()));
        assert_eq!(
            hex::encode_upper(can.key(SmAlgorithm::Aes128).as_bytes()),
            "591468CDA83D65219CCCB8560233600F"
        );
        assert_eq!(can.reference(), 2);
        assert_eq!(format!("{can:?}"), "PacePassword::CAN(..)");
    }
}
