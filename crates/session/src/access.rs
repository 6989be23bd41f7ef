//! The secret that opens the chip.

use mrtd_mrz::AccessFields;
use mrtd_protocol::BacKey;
use mrtd_protocol::pace::PacePassword;
use zeroize::Zeroizing;

/// The password for access control: the MRZ (BAC and PACE) or the card
/// access number (PACE only).
#[derive(Clone)]
pub enum AccessKey {
    /// Document number, date of birth and date of expiry from the MRZ.
    Mrz(AccessFields),
    /// The card access number printed on the data page.
    Can(Zeroizing<String>),
}

/// A card access number that is not one.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("a card access number has 6 digits (got {len} characters{})", if *.digits_only { "" } else { ", not all digits" })]
pub struct InvalidCan {
    /// The length given.
    pub len: usize,
    /// Whether it was digits only.
    pub digits_only: bool,
}

impl AccessKey {
    /// A CAN key after checking its form (Doc 9303-11 §9.7.3: six digits).
    ///
    /// # Errors
    /// [`InvalidCan`].
    pub fn can(can: &str) -> Result<Self, InvalidCan> {
        let can = can.trim();
        let digits_only = can.bytes().all(|b| b.is_ascii_digit());
        if can.len() != 6 || !digits_only {
            return Err(InvalidCan {
                len: can.chars().count(),
                digits_only,
            });
        }
        Ok(Self::Can(Zeroizing::new(can.to_string())))
    }

    /// The BAC keys K_enc/K_mac (Doc 9303-11 §9.7.2); `None` for a CAN,
    /// which BAC cannot use.
    #[must_use]
    pub fn bac_key(&self) -> Option<BacKey> {
        match self {
            Self::Mrz(fields) => Some(BacKey::from_mrz_information(
                fields.mrz_information().as_bytes(),
            )),
            Self::Can(_) => None,
        }
    }

    /// The PACE password (§9.7.3).
    #[must_use]
    pub fn pace_password(&self) -> PacePassword {
        match self {
            Self::Mrz(fields) => {
                PacePassword::Mrz(Zeroizing::new(fields.mrz_information().to_string()))
            }
            Self::Can(can) => PacePassword::Can(can.clone()),
        }
    }

    /// `MRZ` or `CAN`, for reports.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Mrz(_) => "MRZ",
            Self::Can(_) => "CAN",
        }
    }
}

/// The key is secret: its debug view says only what kind it is.
impl core::fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "AccessKey::{}(..)", self.kind())
    }
}
