//! The APDUs of PACE (Doc 9303-11 §4.4.4 and §4.4.5): MSE:Set AT and the
//! chain of GENERAL AUTHENTICATE commands with their dynamic authentication
//! data objects.

use mrtd_iso7816::tlv::{self, Tag, TlvIter};
use mrtd_iso7816::{CommandApdu, ResponseApdu, StatusWord};

use super::PaceError;
use super::protocol::PaceProtocol;

/// INS of MANAGE SECURITY ENVIRONMENT.
pub const INS_MSE: u8 = 0x22;
/// INS of GENERAL AUTHENTICATE.
pub const INS_GENERAL_AUTHENTICATE: u8 = 0x86;
/// Dynamic authentication data.
pub const TAG_DYNAMIC_AUTHENTICATION_DATA: Tag = Tag(0x7C);

/// The steps of PACE, for error reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// MSE:Set AT.
    SetAuthenticationTemplate,
    /// GENERAL AUTHENTICATE 1: encrypted nonce.
    EncryptedNonce,
    /// GENERAL AUTHENTICATE 2: mapping.
    MapNonce,
    /// GENERAL AUTHENTICATE 3: key agreement.
    KeyAgreement,
    /// GENERAL AUTHENTICATE 4: mutual authentication.
    MutualAuthentication,
}

impl core::fmt::Display for Step {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(match self {
            Self::SetAuthenticationTemplate => "MSE:Set AT",
            Self::EncryptedNonce => "GENERAL AUTHENTICATE (encrypted nonce)",
            Self::MapNonce => "GENERAL AUTHENTICATE (map nonce)",
            Self::KeyAgreement => "GENERAL AUTHENTICATE (key agreement)",
            Self::MutualAuthentication => "GENERAL AUTHENTICATE (mutual authentication)",
        })
    }
}

/// MSE:Set AT selecting `protocol` with password reference `password_ref`
/// and, when given, the domain-parameter identifier in `84`
/// (§4.4.4.1). No Le: the command has no response data, and some chips
/// reject one.
#[must_use]
pub fn mse_set_at(
    protocol: PaceProtocol,
    password_ref: u8,
    parameter_id: Option<u8>,
) -> CommandApdu {
    let mut data = tlv::tlv(Tag(0x80), protocol.oid().as_bytes());
    data.extend(tlv::tlv(Tag(0x83), &[password_ref]));
    if let Some(id) = parameter_id {
        data.extend(tlv::tlv(Tag(0x84), &[id]));
    }
    let cmd = CommandApdu::new(0x00, INS_MSE, 0xC1, 0xA4);
    // A few dozen bytes always fit.
    cmd.clone().with_data(data).unwrap_or(cmd)
}

/// GENERAL AUTHENTICATE carrying `objects` inside `7C`; every command but
/// the last of the chain has the chaining bit (CLA `10`, §4.4.4.3).
#[must_use]
pub fn general_authenticate(objects: &[u8], last: bool) -> CommandApdu {
    let data = tlv::tlv(TAG_DYNAMIC_AUTHENTICATION_DATA, objects);
    let cla = if last { 0x00 } else { 0x10 };
    let cmd = CommandApdu::new(cla, INS_GENERAL_AUTHENTICATE, 0x00, 0x00);
    // Group elements of at most a few hundred bytes always fit; Ne 256.
    cmd.clone()
        .with_data(data)
        .and_then(|c| c.with_ne(256))
        .unwrap_or(cmd)
}

/// The data objects inside a `7C` template, in order.
#[derive(Debug, Default)]
pub struct DynamicAuthenticationData<'a> {
    objects: Vec<(Tag, &'a [u8])>,
}

impl<'a> DynamicAuthenticationData<'a> {
    /// Parses a `7C` template (a response's data, or a command's data on the
    /// chip side).
    ///
    /// # Errors
    /// [`PaceError::Malformed`] for anything that is not one well-formed `7C`
    /// object of well-formed children.
    pub fn parse(data: &'a [u8], step: Step) -> Result<Self, PaceError> {
        let outer = tlv::parse_single(data, TAG_DYNAMIC_AUTHENTICATION_DATA).map_err(|e| {
            PaceError::Malformed {
                step,
                what: format!("dynamic authentication data: {e}"),
            }
        })?;
        let mut objects = Vec::new();
        for item in TlvIter::new(outer.value) {
            let (_, obj) = item.map_err(|e| PaceError::Malformed {
                step,
                what: format!("data object: {e}"),
            })?;
            objects.push((obj.tag, obj.value));
        }
        Ok(Self { objects })
    }

    /// The value of the object with `tag` (the first one, if repeated).
    #[must_use]
    pub fn get(&self, tag: u8) -> Option<&'a [u8]> {
        self.objects
            .iter()
            .find(|(t, _)| *t == Tag(u32::from(tag)))
            .map(|(_, v)| *v)
    }

    /// Checks that every object is one the step may carry (Doc 9303-11
    /// Table 4); anything else is a malformed answer, not something to
    /// ignore.
    ///
    /// # Errors
    /// [`PaceError::Malformed`] naming the first unexpected tag.
    pub fn only(self, allowed: &[u8], step: Step) -> Result<Self, PaceError> {
        if let Some((tag, _)) = self
            .objects
            .iter()
            .find(|(t, _)| !allowed.iter().any(|a| Tag(u32::from(*a)) == *t))
        {
            return Err(PaceError::Malformed {
                step,
                what: format!("unexpected data object {tag}"),
            });
        }
        Ok(self)
    }

    /// The value of the mandatory object with `tag`.
    ///
    /// # Errors
    /// [`PaceError::MissingObject`].
    pub fn require(&self, tag: u8, step: Step) -> Result<&'a [u8], PaceError> {
        self.get(tag).ok_or(PaceError::MissingObject { step, tag })
    }
}

/// Checks a step's status word and parses its `7C` data.
///
/// # Errors
/// [`PaceError::Refused`] for any status other than `9000`, and the
/// parsing errors of [`DynamicAuthenticationData::parse`].
pub fn response_objects(
    response: &ResponseApdu,
    step: Step,
) -> Result<DynamicAuthenticationData<'_>, PaceError> {
    if response.sw != StatusWord::Success {
        return Err(PaceError::Refused {
            step,
            sw: response.sw,
        });
    }
    DynamicAuthenticationData::parse(&response.data, step)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crypto::SmAlgorithm;
    use crate::pace::protocol::{KeyAgreement, Mapping};

    #[test]
    fn commands_match_the_g1_transcript() {
        let gm = PaceProtocol {
            key_agreement: KeyAgreement::Ecdh,
            mapping: Mapping::Generic,
            cipher: SmAlgorithm::Aes128,
        };
        assert_eq!(
            hex::encode_upper(mse_set_at(gm, 1, Some(13)).to_bytes()),
            "0022C1A412800A04007F0007020204020283010184010D"
        );
        assert_eq!(
            hex::encode_upper(general_authenticate(&[], false).to_bytes()),
            "10860000027C0000"
        );
        let token = hex::decode("8508C2B0BD78D94BA866").unwrap();
        assert_eq!(
            hex::encode_upper(general_authenticate(&token, true).to_bytes()),
            "008600000C7C0A8508C2B0BD78D94BA86600"
        );
    }

    #[test]
    fn responses_are_checked() {
        let ok = ResponseApdu::parse(
            &hex::decode("7C12801095A3A016522EE98D01E76CB6B98B42C39000").unwrap(),
        )
        .unwrap();
        let objects = response_objects(&ok, Step::EncryptedNonce).unwrap();
        assert_eq!(
            objects.require(0x80, Step::EncryptedNonce).unwrap().len(),
            16
        );
        assert!(matches!(
            objects.require(0x81, Step::EncryptedNonce),
            Err(PaceError::MissingObject { tag: 0x81, .. })
        ));
        let refused = ResponseApdu::status(StatusWord::VerificationFailed);
        assert!(matches!(
            response_objects(&refused, Step::MutualAuthentication),
            Err(PaceError::Refused { .. })
        ));
        let garbage = ResponseApdu::new(vec![0x7C, 0x05, 0x80], StatusWord::Success);
        assert!(matches!(
            response_objects(&garbage, Step::EncryptedNonce),
            Err(PaceError::Malformed { .. })
        ));
    }
}
