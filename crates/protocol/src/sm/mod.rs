//! Secure messaging (Doc 9303-11 §9.8): the message format, the cipher
//! suites, the send sequence counter, and the terminal and chip sessions.

pub mod channel;
pub mod chip;
pub mod cipher;
pub mod codec;
pub mod ssc;

pub use channel::{AwaitingResponse, ChannelLost, Rejected, SecureChannel};
pub use chip::ChipSession;
pub use cipher::{AesSm, SmCipher, TdesSm, derive_session_cipher};
pub use codec::{SmError, max_plain_response};
pub use ssc::Ssc;
