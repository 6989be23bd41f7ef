//! The secret that opens the chip.

use mrtd_mrz::AccessFields;
use mrtd_protocol::BacKey;

/// The password for access control. Today the MRZ (for BAC); PACE adds the
/// card access number.
#[derive(Clone)]
pub enum AccessKey {
    /// Document number, date of birth and date of expiry from the MRZ.
    Mrz(AccessFields),
}

impl AccessKey {
    /// The BAC keys K_enc/K_mac derived from this password
    /// (Doc 9303-11 §9.7.2).
    #[must_use]
    pub fn bac_key(&self) -> BacKey {
        match self {
            Self::Mrz(fields) => BacKey::from_mrz_information(fields.mrz_information().as_bytes()),
        }
    }
}

/// The key is secret: its debug view says only what kind it is.
impl core::fmt::Debug for AccessKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Mrz(_) => f.write_str("AccessKey::Mrz(..)"),
        }
    }
}
