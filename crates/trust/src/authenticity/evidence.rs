//! What the chip did during a read, recorded by the reader (unverified):
//! the Active Authentication challenge and signature, the Chip
//! Authentication run, the PACE-CAM data. It goes into the JSON report so
//! that a server that was not at the desk can check it again.

use serde::{Deserialize, Serialize};

/// Everything a read recorded for chip authenticity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChipEvidence {
    /// What the chip offers, as the reader saw it: DG15 present (AA), DG14
    /// with Chip Authentication keys (CA), EF.CardAccess with PACE-CAM.
    pub offered: Offered,
    /// Active Authentication, when it ran.
    pub aa: Option<AaEvidence>,
    /// Chip Authentication, when it ran.
    pub ca: Option<CaEvidence>,
    /// PACE-CAM, when PACE ran with the Chip Authentication Mapping.
    pub cam: Option<CamEvidence>,
}

/// The chip-authentication protocols a chip offers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Offered {
    /// Active Authentication (DG15 present).
    pub aa: bool,
    /// Chip Authentication (DG14 with a ChipAuthenticationPublicKeyInfo).
    pub ca: bool,
    /// PACE-CAM (EF.CardAccess offers a CAM protocol).
    pub cam: bool,
}

/// Where the Active Authentication challenge came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ChallengeSource {
    /// Supplied by the caller (a server nonce): the signature proves the
    /// chip answered this read.
    Caller,
    /// Drawn from the reader's CSPRNG.
    Random,
}

impl core::fmt::Display for ChallengeSource {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::Caller => "supplied by the caller",
            Self::Random => "random",
        })
    }
}

/// One Active Authentication (Doc 9303-11 §6.1).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AaEvidence {
    /// The 8-byte challenge, hex.
    #[serde(with = "hex_bytes")]
    pub challenge: Vec<u8>,
    /// Where it came from.
    pub challenge_source: ChallengeSource,
    /// The chip's answer to INTERNAL AUTHENTICATE, hex; empty when the chip
    /// refused.
    #[serde(with = "hex_bytes")]
    pub signature: Vec<u8>,
    /// The status word when the chip refused (`6982`, …).
    pub refused: Option<String>,
}

/// One Chip Authentication (Doc 9303-11 §6.2).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaEvidence {
    /// The protocol OID, dotted (e.g. `0.4.0.127.0.7.2.2.3.2.2`).
    pub protocol: String,
    /// The key identifier used, if the chip has several keys.
    pub key_id: Option<u32>,
    /// The chip's static public key as taken from DG14 (SubjectPublicKeyInfo DER, hex).
    #[serde(with = "hex_bytes")]
    pub chip_public_key: Vec<u8>,
    /// The terminal's ephemeral public key (hex).
    #[serde(with = "hex_bytes")]
    pub terminal_ephemeral_key: Vec<u8>,
    /// How it ended.
    pub outcome: CaOutcome,
}

impl CaEvidence {
    /// The protocol's name (`ECDH-AES-128`), or the OID when it is not a
    /// Chip Authentication protocol this toolkit knows.
    #[must_use]
    pub fn protocol_name(&self) -> String {
        self.protocol
            .parse::<der::oid::ObjectIdentifier>()
            .ok()
            .and_then(|oid| mrtd_protocol::ca::CaProtocol::from_oid(&oid))
            .map_or_else(|| self.protocol.clone(), |p| p.name())
    }
}

/// How a Chip Authentication run ended.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "result")]
pub enum CaOutcome {
    /// A protected command under the new keys succeeded: the chip knows the
    /// private key of `chip_public_key`.
    Confirmed {
        /// The file read under the new keys.
        confirmed_by: String,
    },
    /// The chip accepted the key agreement but the first command under the
    /// new keys failed (wrong MAC): it does not have the private key.
    Failed {
        /// What went wrong.
        error: String,
    },
    /// The chip refused the protocol's commands.
    Refused {
        /// What the chip answered.
        error: String,
    },
}

/// PACE-CAM data (Doc 9303-11 §4.4.3.5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CamEvidence {
    /// The curve, e.g. `brainpoolP256r1`.
    pub curve: String,
    /// CA_IC as decrypted from the chip's answer (hex).
    #[serde(with = "hex_bytes")]
    pub chip_authentication_data: Vec<u8>,
    /// The chip's ephemeral mapping key PK_Map,IC (uncompressed point, hex).
    #[serde(with = "hex_bytes")]
    pub chip_mapping_key: Vec<u8>,
}

mod hex_bytes {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&hex::encode_upper(bytes))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
        let s = String::deserialize(d)?;
        hex::decode(s.as_bytes()).map_err(serde::de::Error::custom)
    }
}
