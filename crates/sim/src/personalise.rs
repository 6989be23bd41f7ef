//! Personalisation: from holder data to the files of a chip — DG1 (TD3
//! MRZ), DG2 (the face in an ISO/IEC 19794-5 record), EF.COM, and an EF.SOD
//! signed by the project's test Document Signer (`test-vectors/pki/`).
//!
//! The built-in holder is synthetic: "HONG GILDONG" is the Korean
//! placeholder name used on specimen documents, and the face is a generated
//! cartoon (`test-vectors/sim/face.jpg`, made by `examples/gen_face.rs`).

use std::collections::BTreeMap;

use der::Encode;
use mrtd_groups::DomainParameters;
use mrtd_lds::dg2::iso19794_5::{ColourSpace, FaceImageType, SourceType};
use mrtd_lds::security_infos::oid::ID_SECURITY_OBJECT;
use mrtd_lds::security_infos::{
    ActiveAuthenticationInfo, ChipAuthenticationInfo, ChipAuthenticationPublicKeyInfo, PaceInfo,
    SecurityInfo, SecurityInfos,
};
use mrtd_lds::{
    Dg1, Dg2, DgNumber, EfCom, EfId, FaceImage, ImageDataType, LdsSecurityObject, LdsVersion,
    UnicodeVersion,
};
use mrtd_lds::{Dg14, Dg15, PublicKeyInfo};
use mrtd_mrz::{AccessFields, Mrz, MrzDate, MrzFields, MrzFormat, Sex};
use mrtd_pki::{DigestAlgorithm, DocumentSigner, TestPki};
use mrtd_protocol::BacKey;
use mrtd_protocol::ca::{CaPrivateKey, CaProtocol};
use mrtd_protocol::pace::chip::{ChipPaceSetup, OfferedPace, ParameterIdPolicy};
use mrtd_protocol::pace::protocol::is_usable;
use mrtd_protocol::pace::{KeyAgreement, Mapping, PacePassword, PaceProtocol};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::chip_keys::{self, AaKeySpec, ChipAuthenticity, KeyError};
use crate::passport::{ChipAa, ChipCaKey, ChipConfig, ChipContent, VirtualPassport};

/// The synthetic face of the built-in holder (JPEG, 360×480).
pub const DEFAULT_FACE_JPEG: &[u8] = include_bytes!("../../../test-vectors/sim/face.jpg");

/// Who the passport belongs to: the data printed on the data page.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Holder {
    /// Issuing state (ICAO three-letter code).
    pub issuing_state: String,
    /// Surname(s).
    pub primary_identifier: String,
    /// Given name(s).
    pub secondary_identifier: String,
    /// Document number.
    pub document_number: String,
    /// Nationality (ICAO three-letter code).
    pub nationality: String,
    /// Date of birth, YYMMDD.
    pub date_of_birth: String,
    /// Sex.
    pub sex: Sex,
    /// Date of expiry, YYMMDD.
    pub date_of_expiry: String,
    /// Personal number or other optional data of the MRZ (may be empty).
    #[serde(default)]
    pub optional_data: String,
    /// The card access number printed on the data page (PACE with CAN).
    #[serde(default = "default_can")]
    pub can: String,
}

fn default_can() -> String {
    "123456".into()
}

/// How a chip does access control: BAC, PACE offers (each one PACEInfo in
/// EF.CardAccess), or both.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AccessControl {
    /// Whether BAC is available.
    pub bac: bool,
    /// The PACE protocols and parameter sets offered (none: no PACE).
    pub pace: Vec<PaceOffer>,
    /// How MSE:Set AT's parameter identifier `84` is treated.
    pub parameter_id_policy: ParameterIdPolicy,
}

impl Default for AccessControl {
    fn default() -> Self {
        Self {
            bac: true,
            pace: Vec::new(),
            parameter_id_policy: ParameterIdPolicy::Optional,
        }
    }
}

impl AccessControl {
    /// BAC only (a pre-2018 chip).
    #[must_use]
    pub fn bac_only() -> Self {
        Self::default()
    }

    /// PACE with one protocol on one standardized parameter set, and BAC
    /// if `bac`.
    #[must_use]
    pub fn pace(protocol: PaceProtocol, parameter_id: u8, bac: bool) -> Self {
        Self {
            bac,
            pace: vec![PaceOffer {
                protocol,
                parameter_id,
            }],
            ..Self::default()
        }
    }
}

/// One PACE protocol offered on one standardized parameter set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaceOffer {
    /// The protocol, e.g. `ECDH-GM-AES-128`.
    pub protocol: PaceProtocol,
    /// The standardized domain parameter identifier (0–2, 8–18).
    pub parameter_id: u8,
}

/// Personal data: the debug view shows the issuing state only.
impl core::fmt::Debug for Holder {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Holder")
            .field("issuing_state", &self.issuing_state)
            .finish_non_exhaustive()
    }
}

/// Why holder data cannot be personalised.
#[derive(Debug, thiserror::Error)]
pub enum PersonaliseError {
    /// The holder data do not form a valid MRZ.
    #[error("holder data: {0}")]
    Mrz(#[from] mrtd_mrz::MrzError),
    /// The JPEG face image is not usable.
    #[error("face image: {0}")]
    Face(String),
    /// Building the security object failed.
    #[error("security object: {0}")]
    Der(#[from] der::Error),
    /// Signing EF.SOD failed.
    #[error("signing EF.SOD: {0}")]
    Pki(#[from] mrtd_pki::PkiError),
    /// The access-control profile is inconsistent.
    #[error("access control: {0}")]
    AccessControl(String),
    /// Encoding an LDS file failed.
    #[error("encoding: {0}")]
    Lds(#[from] mrtd_lds::LdsError),
}

impl Holder {
    /// The built-in synthetic holder: a Korean passport (issuing state KOR,
    /// the project's target deployment) valid until 2033.
    #[must_use]
    pub fn synthetic() -> Self {
        Self {
            issuing_state: "KOR".into(),
            primary_identifier: "HONG".into(),
            secondary_identifier: "GILDONG".into(),
            document_number: "M70000012".into(),
            nationality: "KOR".into(),
            date_of_birth: "850315".into(),
            sex: Sex::Male,
            date_of_expiry: "330914".into(),
            optional_data: String::new(),
            can: default_can(),
        }
    }

    /// The TD3 MRZ printed on the data page.
    ///
    /// # Errors
    /// [`PersonaliseError::Mrz`] when a field is not valid MRZ content.
    pub fn mrz(&self) -> Result<Mrz, PersonaliseError> {
        let fields = MrzFields {
            document_code: "P".into(),
            issuing_state: self.issuing_state.clone(),
            primary_identifier: self.primary_identifier.clone(),
            secondary_identifier: self.secondary_identifier.clone(),
            document_number: self.document_number.clone(),
            nationality: self.nationality.clone(),
            date_of_birth: MrzDate::new(&self.date_of_birth)?,
            sex: self.sex,
            date_of_expiry: MrzDate::new(&self.date_of_expiry)?,
            optional_data: self.optional_data.clone(),
            optional_data_2: String::new(),
        };
        Ok(Mrz::encode(MrzFormat::Td3, &fields)?)
    }

    /// The access fields (document number, birth and expiry dates) a reader
    /// needs for BAC.
    ///
    /// # Panics
    /// Never for [`Holder::synthetic`]; for other holders use
    /// [`Holder::try_access_fields`].
    #[must_use]
    pub fn access_fields(&self) -> AccessFields {
        self.try_access_fields()
            .unwrap_or_else(|e| panic!("holder data are not a valid MRZ: {e}"))
    }

    /// The access fields, or why the holder data are not a valid MRZ.
    ///
    /// # Errors
    /// [`PersonaliseError::Mrz`].
    pub fn try_access_fields(&self) -> Result<AccessFields, PersonaliseError> {
        Ok(AccessFields::from_mrz(&self.mrz()?)?)
    }
}

/// The built-in holder.
#[must_use]
pub fn default_holder() -> Holder {
    Holder::synthetic()
}

/// The built-in face as the DG2 image record describes it.
fn default_face() -> FaceImage {
    FaceImage {
        face_image_type: FaceImageType::FullFrontal,
        data_type: ImageDataType::Jpeg,
        width: 360,
        height: 480,
        colour_space: ColourSpace::Rgb24,
        source_type: SourceType::StaticPhotoDigitalCamera,
        device_type: 0,
        quality: 0,
        bytes: DEFAULT_FACE_JPEG.to_vec(),
    }
}

/// The files of an LDS1 chip for `holder` with `face`, EF.SOD signed by
/// `signer` over SHA-256 hashes (Doc 9303-10 §4.6.2).
///
/// # Errors
/// [`PersonaliseError`] for invalid holder data or a signing failure.
pub fn files_for(
    holder: &Holder,
    face: FaceImage,
    signer: &DocumentSigner,
) -> Result<BTreeMap<EfId, Vec<u8>>, PersonaliseError> {
    files_with(holder, face, signer, Vec::new(), &[])
}

/// The files for `holder` with further data groups (DG14, DG15, …):
/// EF.COM lists every data group, EF.SOD hashes all but `unsigned`.
///
/// # Errors
/// [`PersonaliseError`] for invalid holder data or a signing failure.
pub fn files_with(
    holder: &Holder,
    face: FaceImage,
    signer: &DocumentSigner,
    extra: Vec<(DgNumber, Vec<u8>)>,
    unsigned: &[u8],
) -> Result<BTreeMap<EfId, Vec<u8>>, PersonaliseError> {
    let dg1 = Dg1 { mrz: holder.mrz()? }.to_bytes();
    let dg2 = Dg2::from_face(face)
        .to_bytes()
        .map_err(|e| PersonaliseError::Face(e.to_string()))?;
    let mut data_groups = vec![(dg(1), dg1), (dg(2), dg2)];
    data_groups.extend(extra);
    data_groups.sort_by_key(|(n, _)| *n);
    let com = EfCom {
        lds_version: LdsVersion::V1_7,
        unicode_version: UnicodeVersion::V4_0_0,
        data_groups: data_groups.iter().map(|(n, _)| *n).collect(),
        unknown_tags: Vec::new(),
    };
    let digest = DigestAlgorithm::Sha256;
    let hashes = data_groups
        .iter()
        .filter(|(n, _)| !unsigned.contains(&n.get()))
        .map(|(n, bytes)| (*n, digest.digest(bytes)));
    let lso = LdsSecurityObject::new(digest.algorithm_identifier(), hashes, None)?;
    let sod = mrtd_pki::sign_sod(&lso.to_der()?, signer)?;

    let mut files = BTreeMap::new();
    files.insert(EfId::Com, com.to_bytes());
    files.insert(EfId::Sod, sod);
    for (n, bytes) in data_groups {
        files.insert(EfId::Dg(n), bytes);
    }
    Ok(files)
}

fn dg(n: u8) -> DgNumber {
    DgNumber::ALL[usize::from(n.clamp(1, 16)) - 1]
}

/// The content of a BAC-only chip for `holder`, with the built-in face and
/// the test PKI.
///
/// # Errors
/// [`PersonaliseError`] for invalid holder data.
pub fn content_for(holder: &Holder) -> Result<ChipContent, PersonaliseError> {
    content_with(holder, &AccessControl::bac_only())
}

/// The content of a chip for `holder` with the given access control and
/// no chip-authentication keys.
///
/// # Errors
/// [`PersonaliseError`] for invalid holder data or offers.
pub fn content_with(
    holder: &Holder,
    access: &AccessControl,
) -> Result<ChipContent, PersonaliseError> {
    content_with_profile(holder, access, &ChipAuthenticity::default())
}

/// The content of a chip for `holder`: EF.CardAccess announces every PACE
/// offer (Doc 9303-11 §9.2.1); the chip knows the MRZ and the CAN; DG15
/// carries the Active Authentication key and DG14 the Chip Authentication
/// key (and, for ECDSA Active Authentication, the ActiveAuthenticationInfo);
/// a PACE-CAM chip gets a static key on the curve of its first CAM offer,
/// announced in an EF.CardSecurity signed by the test Document Signer.
/// A cloned chip keeps the genuine chip's files and uses another chip's
/// private keys.
///
/// # Errors
/// [`PersonaliseError`] for invalid holder data, offers or key choices.
pub fn content_with_profile(
    holder: &Holder,
    access: &AccessControl,
    authenticity: &ChipAuthenticity,
) -> Result<ChipContent, PersonaliseError> {
    let pki = TestPki::embedded();
    let doc = holder.document_number.as_str();
    let fields = holder.try_access_fields()?;
    if !access.bac && access.pace.is_empty() {
        return Err(PersonaliseError::AccessControl(
            "neither BAC nor PACE".into(),
        ));
    }
    let key_error = |e: KeyError| PersonaliseError::AccessControl(e.to_string());

    // Chip-authentication keys: the public halves go into the files, the
    // private halves (another chip's when cloned) into the chip.
    let mut dg14_infos = Vec::new();
    let mut extra = Vec::new();
    let aa = match &authenticity.active_authentication {
        Some(spec) => {
            let genuine = chip_keys::aa_key(spec, doc, false).map_err(key_error)?;
            let dg15 = Dg15 {
                public_key: PublicKeyInfo::from_der(&genuine.public_key_spki_der())
                    .map_err(|e| PersonaliseError::AccessControl(e.to_string()))?,
            };
            extra.push((dg(15), dg15.to_bytes()));
            let digest = match *spec {
                AaKeySpec::Rsa { digest, .. } => digest,
                AaKeySpec::Ecdsa { digest, .. } => {
                    dg14_infos.push(SecurityInfo::ActiveAuthentication(
                        ActiveAuthenticationInfo {
                            version: 1,
                            signature_algorithm: digest.ecdsa_plain_oid(),
                        },
                    ));
                    digest
                }
            };
            let key = if authenticity.cloned {
                chip_keys::aa_key(spec, doc, true).map_err(key_error)?
            } else {
                genuine
            };
            Some(ChipAa { key, digest })
        }
        None => None,
    };
    let ca = match &authenticity.chip_authentication {
        Some(spec) => {
            let protocol = spec.protocol().ok_or_else(|| {
                PersonaliseError::AccessControl(format!("parameter id {}", spec.parameter_id))
            })?;
            let genuine = chip_keys::ca_key(spec, doc, false).map_err(key_error)?;
            dg14_infos.extend(chip_authentication_infos(
                protocol,
                &genuine.public_key().to_spki_der(),
                spec.key_id,
            )?);
            let key = if authenticity.cloned {
                chip_keys::ca_key(spec, doc, true).map_err(key_error)?
            } else {
                genuine
            };
            Some(ChipCaKey {
                protocol,
                key,
                key_id: spec.key_id,
            })
        }
        None => None,
    };
    if !dg14_infos.is_empty() {
        extra.push((
            dg(14),
            Dg14 {
                security_infos: SecurityInfos { infos: dg14_infos },
            }
            .to_bytes()?,
        ));
    }
    let mut files = files_with(
        holder,
        default_face(),
        pki.document_signer(),
        extra,
        &authenticity.unsigned_data_groups,
    )?;

    let pace = if access.pace.is_empty() {
        None
    } else {
        let mut offered = Vec::new();
        let mut infos = Vec::new();
        let mut cam_curve = None;
        for offer in &access.pace {
            let domain =
                DomainParameters::from_standardized_id(offer.parameter_id).ok_or_else(|| {
                    PersonaliseError::AccessControl(format!(
                        "{} is not a standardized parameter id",
                        offer.parameter_id
                    ))
                })?;
            if !is_usable(offer.protocol, domain) {
                return Err(PersonaliseError::AccessControl(format!(
                    "{} cannot run on parameter set {}",
                    offer.protocol, offer.parameter_id
                )));
            }
            if let (Mapping::ChipAuthentication, DomainParameters::Ec(curve)) =
                (offer.protocol.mapping, domain)
            {
                cam_curve.get_or_insert((curve, offer.protocol.cipher));
            }
            offered.push(OfferedPace {
                protocol: offer.protocol,
                domain,
                parameter_id: offer.parameter_id,
            });
            let lds_protocol =
                mrtd_lds::security_infos::PaceProtocol::from_oid(&offer.protocol.oid())
                    .ok_or_else(|| {
                        PersonaliseError::AccessControl(format!(
                            "{} has no LDS encoding",
                            offer.protocol
                        ))
                    })?;
            infos.push(SecurityInfo::Pace(PaceInfo {
                protocol: lds_protocol,
                version: 2,
                parameter_id: Some(offer.parameter_id),
            }));
        }
        let chip_authentication_key = match cam_curve {
            Some((curve, cipher)) => {
                // Doc 9303-11 §4.4.3.5: the CAM key is announced, signed, in
                // EF.CardSecurity as a Chip Authentication key.
                let genuine = chip_keys::cam_key(curve, doc, false);
                let public = CaPrivateKey::Ec(genuine.clone()).public_key().to_spki_der();
                let protocol = CaProtocol {
                    key_agreement: KeyAgreement::Ecdh,
                    cipher,
                };
                let mut card_security_infos = infos.clone();
                card_security_infos.extend(chip_authentication_infos(protocol, &public, None)?);
                let econtent = SecurityInfos {
                    infos: card_security_infos,
                }
                .to_der()?;
                let card_security = mrtd_pki::signed_data::sign_signed_data(
                    ID_SECURITY_OBJECT,
                    &econtent,
                    pki.document_signer(),
                    &mrtd_pki::signed_data::SignOptions::default(),
                )?;
                files.insert(EfId::CardSecurity, card_security);
                Some(if authenticity.cloned {
                    chip_keys::cam_key(curve, doc, true)
                } else {
                    genuine
                })
            }
            None => None,
        };
        files.insert(EfId::CardAccess, SecurityInfos { infos }.to_der()?);
        Some(ChipPaceSetup {
            offered,
            passwords: vec![
                PacePassword::Mrz(Zeroizing::new(fields.mrz_information().to_string())),
                PacePassword::Can(Zeroizing::new(holder.can.clone())),
            ],
            chip_authentication_key,
            parameter_id_policy: access.parameter_id_policy,
        })
    };
    Ok(ChipContent {
        files,
        bac_key: BacKey::from_mrz_information(fields.mrz_information().as_bytes()),
        bac_enabled: access.bac,
        pace,
        active_authentication: aa,
        chip_authentication: ca,
    })
}

/// ChipAuthenticationInfo and ChipAuthenticationPublicKeyInfo for a key
/// (Doc 9303-11 §9.2.6–9.2.7; CA version 1).
fn chip_authentication_infos(
    protocol: CaProtocol,
    spki: &[u8],
    key_id: Option<u32>,
) -> Result<Vec<SecurityInfo>, PersonaliseError> {
    let lds_protocol =
        mrtd_lds::security_infos::CaProtocol::from_oid(&protocol.oid()).ok_or_else(|| {
            PersonaliseError::AccessControl(format!("{} has no LDS encoding", protocol.name()))
        })?;
    let key_agreement = match protocol.key_agreement {
        KeyAgreement::Dh => mrtd_lds::security_infos::KeyAgreement::Dh,
        KeyAgreement::Ecdh => mrtd_lds::security_infos::KeyAgreement::Ecdh,
    };
    let public_key = PublicKeyInfo::from_der(spki)
        .map_err(|e| PersonaliseError::AccessControl(e.to_string()))?;
    Ok(vec![
        SecurityInfo::ChipAuthentication(ChipAuthenticationInfo {
            protocol: lds_protocol,
            version: 1,
            key_id,
        }),
        SecurityInfo::ChipAuthenticationPublicKey(ChipAuthenticationPublicKeyInfo {
            key_agreement,
            public_key,
            key_id,
        }),
    ])
}

/// A virtual passport for `holder` with the chip behaviour `config`.
///
/// # Errors
/// [`PersonaliseError`] for invalid holder data.
pub fn try_passport_with(
    config: ChipConfig,
    holder: &Holder,
) -> Result<VirtualPassport, PersonaliseError> {
    Ok(VirtualPassport::new(config, content_for(holder)?))
}

/// A virtual passport for `holder` with the given behaviour and access control.
///
/// # Errors
/// [`PersonaliseError`] for invalid holder data or offers.
pub fn try_passport_with_access(
    config: ChipConfig,
    holder: &Holder,
    access: &AccessControl,
) -> Result<VirtualPassport, PersonaliseError> {
    Ok(VirtualPassport::new(config, content_with(holder, access)?))
}

/// A virtual passport for a holder known to be valid (such as the built-in one).
///
/// # Panics
/// When the holder data are invalid; use [`try_passport_with`] for input.
#[must_use]
pub fn passport_with(config: ChipConfig, holder: &Holder) -> VirtualPassport {
    try_passport_with(config, holder)
        .unwrap_or_else(|e| panic!("cannot personalise the virtual passport: {e}"))
}

/// The access control of the built-in virtual passport: what passports
/// issued since about 2018 do — PACE (ECDH Generic Mapping with AES-128 on
/// brainpoolP256r1, parameter id 13) and BAC for older readers.
#[must_use]
pub fn default_access_control() -> AccessControl {
    AccessControl::pace(
        PaceProtocol {
            key_agreement: KeyAgreement::Ecdh,
            mapping: Mapping::Generic,
            cipher: mrtd_protocol::SmAlgorithm::Aes128,
        },
        13,
        true,
    )
}

/// The built-in virtual passport: the synthetic holder on a conformant chip
/// with PACE and BAC ([`default_access_control`]).
#[must_use]
pub fn default_passport() -> VirtualPassport {
    try_passport_with_access(
        ChipConfig::default(),
        &default_holder(),
        &default_access_control(),
    )
    .unwrap_or_else(|e| panic!("cannot personalise the built-in virtual passport: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_passport_is_consistent() {
        let passport = default_passport();
        let files = passport.files();
        let dg1 = Dg1::parse(&files[&EfId::Dg(dg(1))]).unwrap();
        assert!(dg1.mrz.check_digits().all_valid());
        assert_eq!(dg1.mrz.issuing_state(), "KOR");
        assert!(
            files[&EfId::Dg(dg(2))].len() >= 20_000,
            "DG2 must be at least 20 KB"
        );
        let dg2 = Dg2::parse(&files[&EfId::Dg(dg(2))]).unwrap();
        assert_eq!(dg2.images().next().unwrap().bytes, DEFAULT_FACE_JPEG);
        let com = EfCom::parse(&files[&EfId::Com]).unwrap();
        assert_eq!(com.data_groups, vec![dg(1), dg(2)]);
        let sod = mrtd_lds::Sod::parse(&files[&EfId::Sod]).unwrap();
        for (n, hash) in sod.data_group_hashes() {
            assert_eq!(hash, DigestAlgorithm::Sha256.digest(&files[&EfId::Dg(n)]));
        }
        assert!(files.contains_key(&EfId::AtrInfo));
    }

    #[test]
    fn invalid_holder_data_is_an_error_not_a_panic() {
        let mut holder = default_holder();
        holder.date_of_birth = "851399".into();
        assert!(try_passport_with(ChipConfig::default(), &holder).is_err());
        holder = default_holder();
        holder.primary_identifier = "hong!".into();
        assert!(holder.mrz().is_err());
    }
}
