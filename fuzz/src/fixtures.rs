//! The fixed keys, sessions and random sources every target and the seed
//! generator share: a seed is only valid (a MAC that verifies, a BAC that
//! completes) if both sides use exactly these.

use std::sync::OnceLock;

use mrtd_protocol::BacKey;
use mrtd_protocol::sm::{Ssc, TdesSm};
use mrtd_session::AccessKey;
use mrtd_sim::personalise::{self, default_holder};
use mrtd_sim::{ChipConfig, ChipContent, VirtualPassport};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;

/// SSC value the terminal holds before it verifies the fuzzed response
/// (`unprotect_response` increments it once before checking the MAC).
pub const SM_SSC: [u8; 8] = [0x88, 0x70, 0x22, 0x12, 0x0C, 0x06, 0xC2, 0x26];

/// The secure-messaging session the `sm_*` targets attack (3DES, as after
/// BAC).
#[must_use]
pub fn sm_session() -> (TdesSm, Ssc) {
    (TdesSm::derive(&[0x42; 16]), Ssc::from(SM_SSC))
}

/// The SSC a [`mrtd_protocol::SecureChannel`] must start from so that,
/// after protecting one command, it expects the response at the same SSC
/// as the direct `unprotect_response` call.
#[must_use]
pub fn channel_ssc() -> Ssc {
    let mut bytes = SM_SSC;
    bytes[7] -= 1;
    Ssc::from(bytes)
}

/// The MRZ information of Doc 9303-11 Appendix D, for the `bac` target.
pub const BAC_MRZ_INFORMATION: &[u8] = b"L898902C<369080619406236";

/// The BAC key of the `bac` target.
#[must_use]
pub fn bac_key() -> BacKey {
    BacKey::from_mrz_information(BAC_MRZ_INFORMATION)
}

/// The terminal's random source in the `bac` target.
#[must_use]
pub fn terminal_rng() -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(0x7465_726D)
}

/// The chip's random source in the `bac` target.
#[must_use]
pub fn chip_rng() -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(0x6368_6970)
}

/// The random source of `read_document` in the session targets (the same
/// when a seed session is recorded, so that recorded answers fit).
#[must_use]
pub fn session_rng() -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(7)
}

/// The built-in holder's access key.
#[must_use]
pub fn access_key() -> AccessKey {
    AccessKey::Mrz(default_holder().access_fields())
}

/// The built-in passport's content, personalised once per process
/// (signing EF.SOD is far slower than a read).
///
/// # Panics
/// If the built-in holder cannot be personalised (a bug in `mrtd-sim`).
pub fn passport_content() -> &'static ChipContent {
    static CONTENT: OnceLock<ChipContent> = OnceLock::new();
    CONTENT.get_or_init(|| {
        personalise::content_for(&default_holder()).expect("the built-in holder personalises")
    })
}

/// A virtual passport with the built-in content.
#[must_use]
pub fn passport(config: ChipConfig) -> VirtualPassport {
    VirtualPassport::new(config, passport_content().clone())
}
