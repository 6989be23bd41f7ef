//! The APDUs of Chip Authentication v1 (Doc 9303-11 §6.2.4, BSI
//! TR-03110-3 §B.11.1, §B.14): MSE:Set KAT, MSE:Set AT and GENERAL
//! AUTHENTICATE.

use mrtd_iso7816::CommandApdu;
use mrtd_iso7816::tlv::{self, Tag};

use super::CaProtocol;
use crate::pace::messages::{INS_GENERAL_AUTHENTICATE, INS_MSE};

/// P1-P2 of MSE:Set KAT: set, for internal authentication and key
/// agreement (`41`), key agreement template (`A6`).
pub const P1P2_SET_KAT: [u8; 2] = [0x41, 0xA6];
/// P1-P2 of MSE:Set AT for Chip Authentication: set for internal
/// authentication (`41`), authentication template (`A4`).
pub const P1P2_SET_AT: [u8; 2] = [0x41, 0xA4];

/// The commands of Chip Authentication, for error reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// MSE:Set KAT (3DES).
    SetKeyAgreementTemplate,
    /// MSE:Set AT (AES).
    SetAuthenticationTemplate,
    /// GENERAL AUTHENTICATE (AES).
    GeneralAuthenticate,
}

impl core::fmt::Display for Step {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::SetKeyAgreementTemplate => "MSE:Set KAT",
            Self::SetAuthenticationTemplate => "MSE:Set AT (Chip Authentication)",
            Self::GeneralAuthenticate => "GENERAL AUTHENTICATE (Chip Authentication)",
        })
    }
}

/// The key reference of `84`: the key identifier as an unsigned
/// big-endian number in the fewest bytes (at least one).
#[must_use]
pub fn encode_key_id(id: u32) -> Vec<u8> {
    let bytes = id.to_be_bytes();
    let first = bytes.iter().position(|b| *b != 0).unwrap_or(3);
    bytes[first..].to_vec()
}

/// The key identifier of a `84` value: leading zero bytes allowed (some
/// terminals send the two's-complement INTEGER form); `None` for an empty
/// value or one above `u32::MAX`.
#[must_use]
pub fn decode_key_id(value: &[u8]) -> Option<u32> {
    let first = value.iter().position(|b| *b != 0).unwrap_or(value.len());
    let digits = value.get(first..)?;
    if value.is_empty() || digits.len() > 4 {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0u32, |acc, b| (acc << 8) | u32::from(*b)),
    )
}

fn mse(p1p2: [u8; 2], data: Vec<u8>) -> CommandApdu {
    let cmd = CommandApdu::new(0x00, INS_MSE, p1p2[0], p1p2[1]);
    // A public key of at most a few hundred bytes always fits.
    cmd.clone().with_data(data).unwrap_or(cmd)
}

/// MSE:Set KAT for 3DES Chip Authentication (Doc 9303-11 §6.2.4.1):
/// `91` the terminal's ephemeral public key (plain value), `84` the key
/// id when given. No Le: the command has no response data.
#[must_use]
pub fn mse_set_kat(ephemeral_public_key: &[u8], key_id: Option<u32>) -> CommandApdu {
    let mut data = tlv::tlv(Tag(0x91), ephemeral_public_key);
    if let Some(id) = key_id {
        data.extend(tlv::tlv(Tag(0x84), &encode_key_id(id)));
    }
    mse(P1P2_SET_KAT, data)
}

/// MSE:Set AT for AES Chip Authentication (Doc 9303-11 §6.2.4.2): `80`
/// the protocol OID, `84` the key id when given.
#[must_use]
pub fn mse_set_at(protocol: CaProtocol, key_id: Option<u32>) -> CommandApdu {
    let mut data = tlv::tlv(Tag(0x80), protocol.oid().as_bytes());
    if let Some(id) = key_id {
        data.extend(tlv::tlv(Tag(0x84), &encode_key_id(id)));
    }
    mse(P1P2_SET_AT, data)
}

/// GENERAL AUTHENTICATE for AES Chip Authentication: `7C { 80 ephemeral
/// public key }`, a single command (no chaining), Le `00`.
#[must_use]
pub fn general_authenticate(ephemeral_public_key: &[u8]) -> CommandApdu {
    let data = tlv::tlv(Tag(0x7C), &tlv::tlv(Tag(0x80), ephemeral_public_key));
    let cmd = CommandApdu::new(0x00, INS_GENERAL_AUTHENTICATE, 0x00, 0x00);
    cmd.clone()
        .with_data(data)
        .and_then(|c| c.with_ne(256))
        .unwrap_or(cmd)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SmAlgorithm;
    use crate::pace::KeyAgreement;

    #[test]
    fn commands_have_the_doc_9303_layout() {
        let p = CaProtocol {
            key_agreement: KeyAgreement::Ecdh,
            cipher: SmAlgorithm::Aes128,
        };
        assert_eq!(
            hex::encode_upper(mse_set_at(p, None).to_bytes()),
            "002241A40C800A04007F00070202030202"
        );
        assert_eq!(
            hex::encode_upper(mse_set_at(p, Some(1)).to_bytes()),
            "002241A40F800A04007F00070202030202840101"
        );
        assert_eq!(
            hex::encode_upper(mse_set_kat(&[0x04, 1, 2], Some(0x1234)).to_bytes()),
            "002241A609910304010284021234"
        );
        assert_eq!(
            hex::encode_upper(general_authenticate(&[0x04, 9]).to_bytes()),
            "00860000067C048002040900"
        );
    }

    #[test]
    fn key_ids_round_trip() {
        for id in [0u32, 1, 0x7F, 0x80, 0x1234, 0xFF_FFFF, u32::MAX] {
            assert_eq!(decode_key_id(&encode_key_id(id)), Some(id));
        }
        assert_eq!(encode_key_id(0), vec![0]);
        assert_eq!(encode_key_id(0x80), vec![0x80]);
        assert_eq!(decode_key_id(&[0x00, 0x80]), Some(0x80));
        assert_eq!(decode_key_id(&[]), None);
        assert_eq!(decode_key_id(&[1, 0, 0, 0, 0]), None);
        assert_eq!(decode_key_id(&[0, 0, 0, 0, 0, 7]), Some(7));
    }
}
