//! Serde helper: an optional byte string as upper-case hex, so that an ATR
//! reads `"3B8080010101"` in JSON rather than an array of numbers.

use serde::{Deserialize, Deserializer, Serializer};

/// Serializes `Some(bytes)` as a hex string and `None` as null.
#[allow(clippy::ref_option)] // the signature `#[serde(with)]` requires
pub(crate) fn serialize<S: Serializer>(
    value: &Option<Vec<u8>>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    match value {
        Some(bytes) => serializer.serialize_some(&hex::encode_upper(bytes)),
        None => serializer.serialize_none(),
    }
}

/// Parses a hex string (either case) or null.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Vec<u8>>, D::Error> {
    Option::<String>::deserialize(deserializer)?
        .map(|text| hex::decode(text).map_err(serde::de::Error::custom))
        .transpose()
}
