//! SecurityInfos (Doc 9303-11 §9.2, BSI TR-03110-3 §A.1.1): the protocol
//! announcements of EF.CardAccess, EF.CardSecurity and DG14.
//!
//! ```text
//! SecurityInfos ::= SET OF SecurityInfo
//! SecurityInfo  ::= SEQUENCE {
//!     protocol     OBJECT IDENTIFIER,
//!     requiredData ANY DEFINED BY protocol,
//!     optionalData ANY DEFINED BY protocol OPTIONAL }
//! ```
//!
//! Each SecurityInfo is decoded into its typed form by its protocol OID
//! ([`oid`]); one with an OID this crate does not know is kept as
//! [`SecurityInfo::Unknown`] with its DER, never rejected (Doc 9303-11
//! §9.2: "inspection systems SHALL discard any unknown SecurityInfo"
//! — discarding for the protocol, not for the record). Order and bytes are
//! kept, so `to_der(parse(x)) == x` for every DER input.
//!
//! What real chips add after the SET (zero padding, stale buffer
//! contents, an appended status word) is tolerated with an
//! [`LdsWarning`](crate::LdsWarning) in lenient mode.

mod card_security;
pub mod oid;
mod protocols;

use core::fmt;

use der::asn1::{Any, Ia5String, ObjectIdentifier, OctetString};
use der::{Decode, Encode, Sequence};
use mrtd_iso7816::tlv::{self, Tag, TlvIter};
use serde::Serialize;
use serde::ser::SerializeMap;

pub use card_security::{CardSecurity, CardSecurityDefect};
pub use protocols::{CaProtocol, Cipher, KeyAgreement, PaceAlgorithm, PaceMapping, PaceProtocol};

use crate::lenient::{Defect, Diag, ParseOptions, Parsed, TrailingData};
use crate::public_key::{AlgorithmParameters, PublicKeyInfo};
use crate::{EfId, LdsError};

const TAG_SET: Tag = Tag(0x31);
const TAG_SEQUENCE: Tag = Tag(0x30);
const TAG_OID: Tag = Tag(0x06);

/// PrivilegedTerminalInfo nests SecurityInfos; nothing legitimate nests
/// deeper than that, and a hostile file must not recurse without bound.
const MAX_DEPTH: u8 = 2;

/// `FileID ::= SEQUENCE { fid OCTET STRING (SIZE(2)), sfid OCTET STRING
/// (SIZE(1)) OPTIONAL }` (TR-03110-3 §A.1.1.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct FileId {
    /// File identifier.
    pub fid: [u8; 2],
    /// Short file identifier.
    pub sfid: Option<u8>,
}

/// `PACEInfo` (Doc 9303-11 §9.2.1): a PACE protocol the chip supports.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct PaceInfo {
    /// Mapping, key agreement and cipher (the protocol OID).
    pub protocol: PaceProtocol,
    /// Version, 2 for Doc 9303 PACE.
    pub version: u8,
    /// Standardized domain parameter ID or the ID of a
    /// [`PaceDomainParameterInfo`]; absent when there is exactly one of
    /// those.
    pub parameter_id: Option<u8>,
}

/// `PACEDomainParameterInfo` (Doc 9303-11 §9.2.2): explicit (or
/// proprietary) PACE domain parameters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct PaceDomainParameterInfo {
    /// Mapping and key agreement (the protocol OID, without cipher).
    pub protocol: PaceAlgorithm,
    /// The parameters, DER kept.
    pub domain_parameter: AlgorithmParameters,
    /// Identifier the PACEInfo refers to.
    pub parameter_id: Option<u8>,
}

/// `ChipAuthenticationInfo` (Doc 9303-11 §9.2.6, TR-03110-3 §A.1.1.2).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ChipAuthenticationInfo {
    /// Key agreement and cipher.
    pub protocol: CaProtocol,
    /// Version: 1 (CA v1, ICAO), 2 or 3 (TR-03110).
    pub version: u8,
    /// The key this applies to, when the chip has several.
    pub key_id: Option<u32>,
}

/// `ChipAuthenticationDomainParameterInfo` (TR-03110-3 §A.1.1.2).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ChipAuthenticationDomainParameterInfo {
    /// `id-CA-DH` or `id-CA-ECDH`.
    pub key_agreement: KeyAgreement,
    /// The parameters, DER kept.
    pub domain_parameter: AlgorithmParameters,
    /// The key this applies to.
    pub key_id: Option<u32>,
}

/// `ChipAuthenticationPublicKeyInfo` (Doc 9303-11 §9.2.7): the chip's
/// static key for Chip Authentication (and PACE-CAM).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ChipAuthenticationPublicKeyInfo {
    /// `id-PK-DH` or `id-PK-ECDH`.
    pub key_agreement: KeyAgreement,
    /// The key: DH or EC with named, explicit or standardized parameters;
    /// DER kept.
    pub public_key: PublicKeyInfo,
    /// Key identifier.
    pub key_id: Option<u32>,
}

/// `TerminalAuthenticationInfo` (TR-03110-3 §A.1.1.3).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct TerminalAuthenticationInfo {
    /// Version 1 or 2.
    pub version: u8,
    /// EF.CVCA (version 1 only).
    pub ef_cvca: Option<FileId>,
}

/// `ActiveAuthenticationInfo` (Doc 9303-11 §9.2.5): the signature
/// algorithm of an ECDSA Active Authentication key.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct ActiveAuthenticationInfo {
    /// Version, 1.
    pub version: u8,
    /// Signature algorithm, e.g. `ecdsa-plain-SHA256`.
    #[serde(serialize_with = "ser_oid")]
    pub signature_algorithm: ObjectIdentifier,
}

/// `EFDIRInfo` (Doc 9303-11 §9.2.11): a copy of EF.DIR.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct EfDirInfo {
    /// The content of EF.DIR.
    #[serde(serialize_with = "ser_hex")]
    pub ef_dir: Vec<u8>,
}

/// `CardInfoLocator` (TR-03110-3 §A.1.1.6).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct CardInfoLocator {
    /// Where the card information is published.
    pub url: String,
    /// EF.CardInfo, if the chip has one.
    pub ef_card_info: Option<FileId>,
}

/// `PrivilegedTerminalInfo` (TR-03110-3 §A.1.1.7): SecurityInfos only
/// privileged terminals may use.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct PrivilegedTerminalInfo {
    /// The nested SecurityInfos.
    pub infos: SecurityInfos,
}

/// One SecurityInfo.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SecurityInfo {
    /// `PACEInfo`.
    Pace(PaceInfo),
    /// `PACEDomainParameterInfo`.
    PaceDomainParameter(PaceDomainParameterInfo),
    /// `ChipAuthenticationInfo`.
    ChipAuthentication(ChipAuthenticationInfo),
    /// `ChipAuthenticationDomainParameterInfo`.
    ChipAuthenticationDomainParameter(ChipAuthenticationDomainParameterInfo),
    /// `ChipAuthenticationPublicKeyInfo`.
    ChipAuthenticationPublicKey(ChipAuthenticationPublicKeyInfo),
    /// `TerminalAuthenticationInfo`.
    TerminalAuthentication(TerminalAuthenticationInfo),
    /// `ActiveAuthenticationInfo`.
    ActiveAuthentication(ActiveAuthenticationInfo),
    /// `EFDIRInfo`.
    EfDir(EfDirInfo),
    /// `CardInfoLocator`.
    CardInfoLocator(CardInfoLocator),
    /// `PrivilegedTerminalInfo`.
    PrivilegedTerminal(PrivilegedTerminalInfo),
    /// Any other SecurityInfo (Restricted Identification, Pseudonymous
    /// Signatures, proprietary ones), or a known one whose content does
    /// not match its definition (reported as a warning), kept as read.
    Unknown {
        /// The protocol OID.
        protocol: ObjectIdentifier,
        /// The whole SecurityInfo, DER.
        der: Vec<u8>,
    },
}

impl SecurityInfo {
    /// The protocol OID.
    #[must_use]
    pub fn protocol(&self) -> ObjectIdentifier {
        match self {
            Self::Pace(i) => i.protocol.oid(),
            Self::PaceDomainParameter(i) => i.protocol.oid(),
            Self::ChipAuthentication(i) => i.protocol.oid(),
            Self::ChipAuthenticationDomainParameter(i) => match i.key_agreement {
                KeyAgreement::Dh => oid::ID_CA_DH,
                KeyAgreement::Ecdh => oid::ID_CA_ECDH,
            },
            Self::ChipAuthenticationPublicKey(i) => match i.key_agreement {
                KeyAgreement::Dh => oid::ID_PK_DH,
                KeyAgreement::Ecdh => oid::ID_PK_ECDH,
            },
            Self::TerminalAuthentication(_) => oid::ID_TA,
            Self::ActiveAuthentication(_) => oid::ID_ICAO_MRTD_SECURITY_AA_PROTOCOL_OBJECT,
            Self::EfDir(_) => oid::ID_EFDIR,
            Self::CardInfoLocator(_) => oid::ID_CI,
            Self::PrivilegedTerminal(_) => oid::ID_PT,
            Self::Unknown { protocol, .. } => *protocol,
        }
    }

    /// The ASN.1 type name (`PACEInfo`, …, or `SecurityInfo` for unknown
    /// ones).
    #[must_use]
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Pace(_) => "PACEInfo",
            Self::PaceDomainParameter(_) => "PACEDomainParameterInfo",
            Self::ChipAuthentication(_) => "ChipAuthenticationInfo",
            Self::ChipAuthenticationDomainParameter(_) => "ChipAuthenticationDomainParameterInfo",
            Self::ChipAuthenticationPublicKey(_) => "ChipAuthenticationPublicKeyInfo",
            Self::TerminalAuthentication(_) => "TerminalAuthenticationInfo",
            Self::ActiveAuthentication(_) => "ActiveAuthenticationInfo",
            Self::EfDir(_) => "EFDIRInfo",
            Self::CardInfoLocator(_) => "CardInfoLocator",
            Self::PrivilegedTerminal(_) => "PrivilegedTerminalInfo",
            Self::Unknown { .. } => "SecurityInfo",
        }
    }

    /// The DER encoding.
    ///
    /// # Errors
    /// [`LdsError::Encode`] for a value DER cannot carry (a CardInfoLocator
    /// URL outside IA5).
    pub fn to_der(&self) -> Result<Vec<u8>, LdsError> {
        let enc = |r: der::Result<Vec<u8>>| {
            r.map_err(|e| LdsError::Encode {
                ef: EfId::CardAccess,
                field: "SecurityInfo",
                reason: e.to_string(),
            })
        };
        match self {
            Self::Pace(i) => enc(PaceInfoDer {
                protocol: i.protocol.oid(),
                version: i.version,
                parameter_id: i.parameter_id,
            }
            .to_der()),
            Self::PaceDomainParameter(i) => enc(DomainParamDer {
                protocol: i.protocol.oid(),
                domain_parameter: any_from_der(i.domain_parameter.as_der())?,
                id: i.parameter_id.map(u32::from),
            }
            .to_der()),
            Self::ChipAuthentication(i) => enc(CaInfoDer {
                protocol: i.protocol.oid(),
                version: i.version,
                key_id: i.key_id,
            }
            .to_der()),
            Self::ChipAuthenticationDomainParameter(i) => enc(DomainParamDer {
                protocol: self.protocol(),
                domain_parameter: any_from_der(i.domain_parameter.as_der())?,
                id: i.key_id,
            }
            .to_der()),
            Self::ChipAuthenticationPublicKey(i) => enc(CaPublicKeyDer {
                protocol: self.protocol(),
                public_key: any_from_der(i.public_key.as_der())?,
                key_id: i.key_id,
            }
            .to_der()),
            Self::TerminalAuthentication(i) => enc(TaInfoDer {
                protocol: oid::ID_TA,
                version: i.version,
                ef_cvca: i.ef_cvca.map(FileIdDer::from_file_id).transpose().map_err(
                    |e: der::Error| LdsError::Encode {
                        ef: EfId::CardAccess,
                        field: "efCVCA",
                        reason: e.to_string(),
                    },
                )?,
            }
            .to_der()),
            Self::ActiveAuthentication(i) => enc(AaInfoDer {
                protocol: oid::ID_ICAO_MRTD_SECURITY_AA_PROTOCOL_OBJECT,
                version: i.version,
                signature_algorithm: i.signature_algorithm,
            }
            .to_der()),
            Self::EfDir(i) => enc(OctetString::new(i.ef_dir.clone()).and_then(|ef_dir| {
                EfDirDer {
                    protocol: oid::ID_EFDIR,
                    ef_dir,
                }
                .to_der()
            })),
            Self::CardInfoLocator(i) => {
                let url = Ia5String::new(&i.url).map_err(|e| LdsError::Encode {
                    ef: EfId::CardAccess,
                    field: "CardInfoLocator url",
                    reason: e.to_string(),
                })?;
                let ef_card_info = i
                    .ef_card_info
                    .map(FileIdDer::from_file_id)
                    .transpose()
                    .map_err(|e| LdsError::Encode {
                        ef: EfId::CardAccess,
                        field: "efCardInfo",
                        reason: e.to_string(),
                    })?;
                enc(CiDer {
                    protocol: oid::ID_CI,
                    url,
                    ef_card_info,
                }
                .to_der())
            }
            Self::PrivilegedTerminal(i) => {
                let set = i.infos.to_der()?;
                let mut value = Vec::with_capacity(set.len() + 12);
                value.extend_from_slice(&tlv::tlv(TAG_OID, oid::ID_PT.as_bytes()));
                value.extend_from_slice(&set);
                Ok(tlv::tlv(TAG_SEQUENCE, &value))
            }
            Self::Unknown { der, .. } => Ok(der.clone()),
        }
    }
}

fn any_from_der(der: &[u8]) -> Result<Any, LdsError> {
    Any::from_der(der).map_err(|e| LdsError::Encode {
        ef: EfId::CardAccess,
        field: "SecurityInfo",
        reason: e.to_string(),
    })
}

/// SecurityInfos: the content of EF.CardAccess, the eContent of
/// EF.CardSecurity, the content of DG14.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct SecurityInfos {
    /// The SecurityInfos in file order.
    pub infos: Vec<SecurityInfo>,
}

impl SecurityInfos {
    /// Parses EF.CardAccess (a bare `SET OF SecurityInfo`) strictly.
    ///
    /// # Errors
    /// As [`SecurityInfos::parse_file`] in strict mode.
    pub fn parse(bytes: &[u8]) -> Result<Self, LdsError> {
        Self::parse_file(EfId::CardAccess, bytes, ParseOptions::STRICT).map(|p| p.value)
    }

    /// Parses a file that is a bare `SET OF SecurityInfo` (EF.CardAccess;
    /// `ef` names it in warnings and errors). Bytes after the SET are a
    /// [`Defect::TrailingBytes`].
    ///
    /// # Errors
    /// [`LdsError`] for a broken SET or a SecurityInfo that is not a
    /// SEQUENCE starting with an OID; in strict mode also every defect.
    pub fn parse_file(
        ef: EfId,
        bytes: &[u8],
        options: ParseOptions,
    ) -> Result<Parsed<Self>, LdsError> {
        let mut diag = Diag::new(ef, options);
        let (set, rest) = tlv::parse_tlv(bytes).map_err(|source| LdsError::Tlv { ef, source })?;
        if set.tag != TAG_SET {
            return Err(LdsError::Tlv {
                ef,
                source: tlv::TlvError::UnexpectedTag {
                    offset: 0,
                    expected: TAG_SET,
                    found: set.tag,
                },
            });
        }
        let end = set.total_len();
        if !rest.is_empty() {
            diag.warn(
                end,
                Defect::TrailingBytes {
                    count: rest.len(),
                    what: TrailingData::classify(rest),
                },
            )?;
        }
        let infos = parse_set_value(&mut diag, set.value, set.header_len, 0)?;
        Ok(diag.finish(Self { infos }))
    }

    /// Decodes the DER of a `SET OF SecurityInfo` that must fill `der`
    /// exactly (the eContent of EF.CardSecurity); defects are reported
    /// against `ef` at offsets shifted by `base`.
    pub(crate) fn parse_exact(diag: &mut Diag, der: &[u8], base: usize) -> Result<Self, LdsError> {
        let ef = diag.ef();
        let set = tlv::parse_single(der, TAG_SET).map_err(|e| LdsError::Tlv {
            ef,
            source: e.shifted(base),
        })?;
        let infos = parse_set_value(diag, set.value, base + set.header_len, 0)?;
        Ok(Self { infos })
    }

    /// The DER `SET OF SecurityInfo`, in the order of
    /// [`SecurityInfos::infos`] (call [`SecurityInfos::sort_der`] first for
    /// the DER order a newly personalised chip should carry).
    ///
    /// # Errors
    /// As [`SecurityInfo::to_der`].
    pub fn to_der(&self) -> Result<Vec<u8>, LdsError> {
        let mut value = Vec::new();
        for info in &self.infos {
            value.extend_from_slice(&info.to_der()?);
        }
        Ok(tlv::tlv(TAG_SET, &value))
    }

    /// Sorts the SecurityInfos by their encodings, the order DER requires
    /// for a SET OF (X.690 §11.6).
    pub fn sort_der(&mut self) {
        self.infos
            .sort_by_cached_key(|i| i.to_der().unwrap_or_default());
    }

    /// The PACEInfos.
    pub fn pace_infos(&self) -> impl Iterator<Item = &PaceInfo> {
        self.infos.iter().filter_map(|i| match i {
            SecurityInfo::Pace(p) => Some(p),
            _ => None,
        })
    }

    /// The ChipAuthenticationInfos.
    pub fn chip_authentication_infos(&self) -> impl Iterator<Item = &ChipAuthenticationInfo> {
        self.infos.iter().filter_map(|i| match i {
            SecurityInfo::ChipAuthentication(p) => Some(p),
            _ => None,
        })
    }

    /// The Chip Authentication public keys.
    pub fn chip_authentication_public_keys(
        &self,
    ) -> impl Iterator<Item = &ChipAuthenticationPublicKeyInfo> {
        self.infos.iter().filter_map(|i| match i {
            SecurityInfo::ChipAuthenticationPublicKey(p) => Some(p),
            _ => None,
        })
    }

    /// The ActiveAuthenticationInfo, if any.
    #[must_use]
    pub fn active_authentication(&self) -> Option<&ActiveAuthenticationInfo> {
        self.infos.iter().find_map(|i| match i {
            SecurityInfo::ActiveAuthentication(p) => Some(p),
            _ => None,
        })
    }
}

/// Parses the content of a SET OF SecurityInfo at file offset `base`.
fn parse_set_value(
    diag: &mut Diag,
    value: &[u8],
    base: usize,
    depth: u8,
) -> Result<Vec<SecurityInfo>, LdsError> {
    let ef = diag.ef();
    let mut infos = Vec::new();
    for item in TlvIter::new(value) {
        let (at, element) = item.map_err(|e| LdsError::Tlv {
            ef,
            source: e.shifted(base),
        })?;
        let offset = base + at;
        if element.tag != TAG_SEQUENCE {
            return Err(LdsError::UnexpectedObject {
                ef,
                offset,
                parent: TAG_SET,
                tag: element.tag,
            });
        }
        let der = value.get(at..at + element.total_len()).unwrap_or_default();
        let (first, _) = tlv::parse_tlv(element.value).map_err(|e| LdsError::Tlv {
            ef,
            source: e.shifted(offset + element.header_len),
        })?;
        let oid_offset = offset + element.header_len;
        if first.tag != TAG_OID {
            return Err(LdsError::InvalidField {
                ef,
                offset: oid_offset,
                field: "SecurityInfo protocol",
                reason: format!("tag {} where an OBJECT IDENTIFIER belongs", first.tag),
            });
        }
        let protocol =
            ObjectIdentifier::from_bytes(first.value).map_err(|e| LdsError::InvalidField {
                ef,
                offset: oid_offset,
                field: "SecurityInfo protocol",
                reason: e.to_string(),
            })?;
        infos.push(decode_info(diag, protocol, der, offset, depth)?);
    }
    Ok(infos)
}

/// Which typed SecurityInfo an OID announces.
enum Kind {
    Pace(PaceProtocol),
    PaceDomain(PaceAlgorithm),
    Ca(CaProtocol),
    CaDomain(KeyAgreement),
    CaPublicKey(KeyAgreement),
    Ta,
    Aa,
    EfDir,
    Ci,
    Pt,
}

fn kind_of(protocol: &ObjectIdentifier) -> Option<Kind> {
    if let Some(p) = PaceProtocol::from_oid(protocol) {
        return Some(Kind::Pace(p));
    }
    if let Some(p) = PaceAlgorithm::from_oid(protocol) {
        return Some(Kind::PaceDomain(p));
    }
    if let Some(p) = CaProtocol::from_oid(protocol) {
        return Some(Kind::Ca(p));
    }
    Some(match *protocol {
        oid::ID_CA_DH => Kind::CaDomain(KeyAgreement::Dh),
        oid::ID_CA_ECDH => Kind::CaDomain(KeyAgreement::Ecdh),
        oid::ID_PK_DH => Kind::CaPublicKey(KeyAgreement::Dh),
        oid::ID_PK_ECDH => Kind::CaPublicKey(KeyAgreement::Ecdh),
        oid::ID_TA => Kind::Ta,
        oid::ID_ICAO_MRTD_SECURITY_AA_PROTOCOL_OBJECT => Kind::Aa,
        oid::ID_EFDIR => Kind::EfDir,
        oid::ID_CI => Kind::Ci,
        oid::ID_PT => Kind::Pt,
        _ => return None,
    })
}

fn decode_info(
    diag: &mut Diag,
    protocol: ObjectIdentifier,
    der: &[u8],
    offset: usize,
    depth: u8,
) -> Result<SecurityInfo, LdsError> {
    let Some(kind) = kind_of(&protocol) else {
        return Ok(SecurityInfo::Unknown {
            protocol,
            der: der.to_vec(),
        });
    };
    match decode_typed(diag, kind, der, offset, depth) {
        Ok(Ok(info)) => Ok(info),
        Ok(Err(reason)) => {
            diag.warn(
                offset,
                Defect::MalformedSecurityInfo {
                    protocol: oid::display_name(&protocol),
                    reason,
                },
            )?;
            Ok(SecurityInfo::Unknown {
                protocol,
                der: der.to_vec(),
            })
        }
        Err(e) => Err(e),
    }
}

/// The typed SecurityInfo, or why `der` does not match its definition.
fn decode_typed(
    diag: &mut Diag,
    kind: Kind,
    der: &[u8],
    offset: usize,
    depth: u8,
) -> Result<Result<SecurityInfo, String>, LdsError> {
    let s = |e: der::Error| e.to_string();
    Ok(match kind {
        Kind::Pace(protocol) => PaceInfoDer::from_der(der).map_err(s).map(|d| {
            SecurityInfo::Pace(PaceInfo {
                protocol,
                version: d.version,
                parameter_id: d.parameter_id,
            })
        }),
        Kind::PaceDomain(protocol) => decode_domain(der).and_then(|(domain_parameter, id)| {
            let parameter_id = id
                .map(|id| u8::try_from(id).map_err(|_| format!("parameterId {id} exceeds 255")))
                .transpose()?;
            Ok(SecurityInfo::PaceDomainParameter(PaceDomainParameterInfo {
                protocol,
                domain_parameter,
                parameter_id,
            }))
        }),
        Kind::Ca(protocol) => CaInfoDer::from_der(der).map_err(s).map(|d| {
            SecurityInfo::ChipAuthentication(ChipAuthenticationInfo {
                protocol,
                version: d.version,
                key_id: d.key_id,
            })
        }),
        Kind::CaDomain(key_agreement) => decode_domain(der).map(|(domain_parameter, key_id)| {
            SecurityInfo::ChipAuthenticationDomainParameter(ChipAuthenticationDomainParameterInfo {
                key_agreement,
                domain_parameter,
                key_id,
            })
        }),
        Kind::CaPublicKey(key_agreement) => {
            let typed = CaPublicKeyDer::from_der(der).and_then(|d| {
                let public_key = PublicKeyInfo::from_der(&d.public_key.to_der()?)?;
                Ok((public_key, d.key_id))
            });
            let (public_key, key_id) = match typed {
                Ok(ok) => ok,
                Err(e) => match FlatCaPublicKeyDer::from_der(der) {
                    // Some encoders (the JMRTD "Utopia" EF.CardSecurity)
                    // put the AlgorithmIdentifier and the BIT STRING of
                    // the key directly into the SecurityInfo instead of a
                    // SubjectPublicKeyInfo: read them as one, and say so.
                    Ok(flat) => {
                        let spki = spki::SubjectPublicKeyInfoOwned {
                            algorithm: flat.algorithm,
                            subject_public_key: flat.subject_public_key,
                        };
                        let Ok(public_key) =
                            spki.to_der().and_then(|der| PublicKeyInfo::from_der(&der))
                        else {
                            return Ok(Err(e.to_string()));
                        };
                        diag.warn(
                            offset,
                            Defect::FieldValue {
                                field: "ChipAuthenticationPublicKeyInfo",
                                reason: "the key is not wrapped in a SubjectPublicKeyInfo \
                                         SEQUENCE; read as if it were"
                                    .into(),
                            },
                        )?;
                        (public_key, flat.key_id)
                    }
                    Err(_) => return Ok(Err(e.to_string())),
                },
            };
            Ok(SecurityInfo::ChipAuthenticationPublicKey(
                ChipAuthenticationPublicKeyInfo {
                    key_agreement,
                    public_key,
                    key_id,
                },
            ))
        }
        Kind::Ta => TaInfoDer::from_der(der).map_err(s).and_then(|d| {
            Ok(SecurityInfo::TerminalAuthentication(
                TerminalAuthenticationInfo {
                    version: d.version,
                    ef_cvca: d.ef_cvca.map(FileIdDer::into_file_id).transpose()?,
                },
            ))
        }),
        Kind::Aa => AaInfoDer::from_der(der).map_err(s).map(|d| {
            SecurityInfo::ActiveAuthentication(ActiveAuthenticationInfo {
                version: d.version,
                signature_algorithm: d.signature_algorithm,
            })
        }),
        Kind::EfDir => EfDirDer::from_der(der).map_err(s).map(|d| {
            SecurityInfo::EfDir(EfDirInfo {
                ef_dir: d.ef_dir.into_bytes().into_vec(),
            })
        }),
        Kind::Ci => CiDer::from_der(der).map_err(s).and_then(|d| {
            Ok(SecurityInfo::CardInfoLocator(CardInfoLocator {
                url: d.url.as_str().to_owned(),
                ef_card_info: d.ef_card_info.map(FileIdDer::into_file_id).transpose()?,
            }))
        }),
        Kind::Pt => {
            if depth >= MAX_DEPTH {
                return Ok(Err("nested deeper than TR-03110 allows".into()));
            }
            // SEQUENCE { OID, SET OF SecurityInfo }, nothing after.
            let Ok(seq) = tlv::parse_single(der, TAG_SEQUENCE) else {
                return Ok(Err("not a single SEQUENCE".into()));
            };
            let mut children = TlvIter::new(seq.value);
            let (at, set) = match (children.next(), children.next(), children.next()) {
                (Some(Ok(_)), Some(Ok((at, set))), None) if set.tag == TAG_SET => (at, set),
                _ => return Ok(Err("expected a protocol and one SET".into())),
            };
            let set_offset = offset + seq.header_len + at;
            let infos = parse_set_value(diag, set.value, set_offset + set.header_len, depth + 1)?;
            Ok(SecurityInfo::PrivilegedTerminal(PrivilegedTerminalInfo {
                infos: SecurityInfos { infos },
            }))
        }
    })
}

fn decode_domain(der: &[u8]) -> Result<(AlgorithmParameters, Option<u32>), String> {
    let d = DomainParamDer::from_der(der).map_err(|e| e.to_string())?;
    let raw = d.domain_parameter.to_der().map_err(|e| e.to_string())?;
    let params = AlgorithmParameters::from_der(&raw).map_err(|e| e.to_string())?;
    Ok((params, d.id))
}

// ------------------------------------------------------------ DER shapes

#[derive(Sequence)]
struct PaceInfoDer {
    protocol: ObjectIdentifier,
    version: u8,
    #[asn1(optional = "true")]
    parameter_id: Option<u8>,
}

/// PACEDomainParameterInfo and ChipAuthenticationDomainParameterInfo.
#[derive(Sequence)]
struct DomainParamDer {
    protocol: ObjectIdentifier,
    domain_parameter: Any,
    #[asn1(optional = "true")]
    id: Option<u32>,
}

#[derive(Sequence)]
struct CaInfoDer {
    protocol: ObjectIdentifier,
    version: u8,
    #[asn1(optional = "true")]
    key_id: Option<u32>,
}

#[derive(Sequence)]
struct CaPublicKeyDer {
    protocol: ObjectIdentifier,
    public_key: Any,
    #[asn1(optional = "true")]
    key_id: Option<u32>,
}

/// A ChipAuthenticationPublicKeyInfo with the SubjectPublicKeyInfo
/// flattened into it (non-conformant, seen in the wild).
#[derive(Sequence)]
struct FlatCaPublicKeyDer {
    protocol: ObjectIdentifier,
    algorithm: spki::AlgorithmIdentifierOwned,
    subject_public_key: der::asn1::BitString,
    #[asn1(optional = "true")]
    key_id: Option<u32>,
}

#[derive(Sequence)]
struct TaInfoDer {
    protocol: ObjectIdentifier,
    version: u8,
    #[asn1(optional = "true")]
    ef_cvca: Option<FileIdDer>,
}

#[derive(Sequence)]
struct AaInfoDer {
    protocol: ObjectIdentifier,
    version: u8,
    signature_algorithm: ObjectIdentifier,
}

#[derive(Sequence)]
struct EfDirDer {
    protocol: ObjectIdentifier,
    ef_dir: OctetString,
}

#[derive(Sequence)]
struct CiDer {
    protocol: ObjectIdentifier,
    url: Ia5String,
    #[asn1(optional = "true")]
    ef_card_info: Option<FileIdDer>,
}

#[derive(Sequence)]
struct FileIdDer {
    fid: OctetString,
    #[asn1(optional = "true")]
    sfid: Option<OctetString>,
}

impl FileIdDer {
    fn into_file_id(self) -> Result<FileId, String> {
        let fid: [u8; 2] = self
            .fid
            .as_bytes()
            .try_into()
            .map_err(|_| format!("FileID fid of {} bytes, expected 2", self.fid.len()))?;
        let sfid = match self.sfid {
            None => None,
            Some(s) => match s.as_bytes() {
                [b] => Some(*b),
                other => return Err(format!("FileID sfid of {} bytes, expected 1", other.len())),
            },
        };
        Ok(FileId { fid, sfid })
    }

    fn from_file_id(f: FileId) -> der::Result<Self> {
        Ok(Self {
            fid: OctetString::new(f.fid.to_vec())?,
            sfid: f.sfid.map(|s| OctetString::new(vec![s])).transpose()?,
        })
    }
}

// ----------------------------------------------------------------- serde

fn ser_oid<S: serde::Serializer>(oid: &ObjectIdentifier, s: S) -> Result<S::Ok, S::Error> {
    s.collect_str(&oid::display_name(oid))
}

fn ser_hex<S: serde::Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&hex::encode_upper(bytes))
}

/// Serialises as `{"type": "PACEInfo", "protocol": "id-PACE-…", "oid":
/// "0.4.0.…", …fields}`; unknown ones carry their DER in hex.
impl Serialize for SecurityInfo {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let protocol = self.protocol();
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("type", self.type_name())?;
        map.serialize_entry("protocol", &oid::display_name(&protocol))?;
        map.serialize_entry("oid", &protocol.to_string())?;
        match self {
            Self::Pace(i) => map.serialize_entry("info", i)?,
            Self::PaceDomainParameter(i) => map.serialize_entry("info", i)?,
            Self::ChipAuthentication(i) => map.serialize_entry("info", i)?,
            Self::ChipAuthenticationDomainParameter(i) => map.serialize_entry("info", i)?,
            Self::ChipAuthenticationPublicKey(i) => map.serialize_entry("info", i)?,
            Self::TerminalAuthentication(i) => map.serialize_entry("info", i)?,
            Self::ActiveAuthentication(i) => map.serialize_entry("info", i)?,
            Self::EfDir(i) => map.serialize_entry("info", i)?,
            Self::CardInfoLocator(i) => map.serialize_entry("info", i)?,
            Self::PrivilegedTerminal(i) => map.serialize_entry("info", i)?,
            Self::Unknown { der, .. } => map.serialize_entry("der", &hex::encode_upper(der))?,
        }
        map.end()
    }
}

impl fmt::Display for SecurityInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = oid::display_name(&self.protocol());
        match self {
            Self::Pace(i) => {
                write!(f, "PACEInfo {name} v{}", i.version)?;
                if let Some(id) = i.parameter_id {
                    write!(f, ", parameters {id}")?;
                    if let Some(n) =
                        crate::public_key::standardized_domain_parameters(u32::from(id))
                    {
                        write!(f, " ({n})")?;
                    }
                }
                Ok(())
            }
            Self::PaceDomainParameter(i) => write!(
                f,
                "PACEDomainParameterInfo {name}: {}{}",
                i.domain_parameter.parameters(),
                i.parameter_id
                    .map(|id| format!(", id {id}"))
                    .unwrap_or_default()
            ),
            Self::ChipAuthentication(i) => write!(
                f,
                "ChipAuthenticationInfo {name} v{}{}",
                i.version,
                i.key_id.map(|k| format!(", key {k}")).unwrap_or_default()
            ),
            Self::ChipAuthenticationDomainParameter(i) => write!(
                f,
                "ChipAuthenticationDomainParameterInfo {name}: {}{}",
                i.domain_parameter.parameters(),
                i.key_id.map(|k| format!(", key {k}")).unwrap_or_default()
            ),
            Self::ChipAuthenticationPublicKey(i) => write!(
                f,
                "ChipAuthenticationPublicKeyInfo {name}: {}{}",
                i.public_key.algorithm(),
                i.key_id.map(|k| format!(", key {k}")).unwrap_or_default()
            ),
            Self::TerminalAuthentication(i) => {
                write!(f, "TerminalAuthenticationInfo v{}", i.version)
            }
            Self::ActiveAuthentication(i) => write!(
                f,
                "ActiveAuthenticationInfo v{}, {}",
                i.version,
                oid::display_name(&i.signature_algorithm)
            ),
            Self::EfDir(i) => write!(f, "EFDIRInfo ({} bytes)", i.ef_dir.len()),
            Self::CardInfoLocator(i) => write!(f, "CardInfoLocator {}", i.url),
            Self::PrivilegedTerminal(i) => {
                write!(f, "PrivilegedTerminalInfo [")?;
                for (n, info) in i.infos.infos.iter().enumerate() {
                    if n > 0 {
                        f.write_str("; ")?;
                    }
                    write!(f, "{info}")?;
                }
                f.write_str("]")
            }
            Self::Unknown { der, .. } => write!(f, "{name} ({} bytes, not decoded)", der.len()),
        }
    }
}

#[cfg(test)]
mod tests;
