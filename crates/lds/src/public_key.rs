//! Public keys and domain parameters as the LDS carries them: the Chip
//! Authentication key of DG14 / EF.CardSecurity (TR-03110-3 §A.1.1.2),
//! the Active Authentication key of DG15 (Doc 9303-11 §6.1), and the
//! AlgorithmIdentifier of PACE / CA domain parameters.
//!
//! Both keep their DER exactly as read, because the key is what a
//! protocol or a signature check uses, and re-encoding explicit parameters
//! is not guaranteed to give the same bytes. The algorithm is classified
//! for display ([`KeyAlgorithm`]); interpreting an EC key on a curve is
//! the job of the cryptographic layer.

use core::fmt;

use der::asn1::{Any, ObjectIdentifier, Uint};
use der::{Decode, Encode, Sequence, Tagged};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

use crate::security_infos::oid;

/// A standardized domain parameter set (TR-03110-3 §A.2.1.1, Table 4),
/// referenced by its ID in PACEInfo, PACEDomainParameterInfo and
/// `standardizedDomainParameters` AlgorithmIdentifiers.
#[must_use]
pub fn standardized_domain_parameters(id: u32) -> Option<&'static str> {
    Some(match id {
        0 => "1024-bit MODP group with 160-bit prime order subgroup (RFC 5114)",
        1 => "2048-bit MODP group with 224-bit prime order subgroup (RFC 5114)",
        2 => "2048-bit MODP group with 256-bit prime order subgroup (RFC 5114)",
        8 => "NIST P-192 (secp192r1)",
        9 => "brainpoolP192r1",
        10 => "NIST P-224 (secp224r1)",
        11 => "brainpoolP224r1",
        12 => "NIST P-256 (secp256r1)",
        13 => "brainpoolP256r1",
        14 => "brainpoolP320r1",
        15 => "NIST P-384 (secp384r1)",
        16 => "brainpoolP384r1",
        17 => "brainpoolP512r1",
        18 => "NIST P-521 (secp521r1)",
        _ => return None,
    })
}

/// Whether standardized parameter set `id` is an elliptic curve (IDs 8 to
/// 18) rather than a MODP group (0 to 2).
#[must_use]
pub fn standardized_is_ec(id: u32) -> bool {
    (8..=18).contains(&id)
}

/// The domain parameters of an EC or DH key or of a PACE/CA parameter
/// set, classified.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DomainParameters {
    /// `standardizedDomainParameters` with the ID (TR-03110-3 §A.2.1.1).
    Standardized {
        /// Parameter ID.
        id: u32,
        /// Its name, if the ID is assigned.
        name: Option<&'static str>,
    },
    /// A named curve (`id-ecPublicKey` with a curve OID).
    NamedCurve {
        /// The curve OID, dotted.
        oid: String,
        /// Its name, if known.
        name: Option<&'static str>,
    },
    /// Explicit EC parameters (X9.62 `SpecifiedECDomain`), as Doc 9303-12
    /// §4.1.6.3 asks for.
    ExplicitCurve {
        /// Bits of the field prime.
        field_bits: usize,
        /// Bits of the base point order.
        order_bits: usize,
    },
    /// DH parameters (X9.42 DomainParameters or PKCS #3).
    Dh {
        /// Bits of the prime.
        prime_bits: usize,
    },
    /// EC key without parameters (implicitlyCA) or parameters absent.
    Absent,
    /// Anything else.
    Other,
}

/// What kind of key a SubjectPublicKeyInfo holds.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum KeyAlgorithm {
    /// RSA (`rsaEncryption`).
    Rsa {
        /// Bits of the modulus.
        modulus_bits: usize,
    },
    /// Elliptic curve.
    Ec {
        /// The curve.
        parameters: DomainParameters,
        /// Bytes of the encoded point.
        point_len: usize,
    },
    /// Diffie-Hellman.
    Dh {
        /// The group.
        parameters: DomainParameters,
    },
    /// An algorithm this crate does not classify.
    Other {
        /// The algorithm OID, dotted.
        oid: String,
    },
}

impl fmt::Display for KeyAlgorithm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Rsa { modulus_bits } => write!(f, "RSA-{modulus_bits}"),
            Self::Ec { parameters, .. } => write!(f, "EC, {parameters}"),
            Self::Dh { parameters } => write!(f, "DH, {parameters}"),
            Self::Other { oid } => write!(f, "algorithm {oid}"),
        }
    }
}

impl fmt::Display for DomainParameters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Standardized { id, name } => match name {
                Some(n) => write!(f, "standardized parameters {id} ({n})"),
                None => write!(f, "standardized parameters {id} (unassigned)"),
            },
            Self::NamedCurve { oid, name } => f.write_str(name.unwrap_or(oid)),
            Self::ExplicitCurve {
                field_bits,
                order_bits,
            } => write!(
                f,
                "explicit curve parameters ({field_bits}-bit field, {order_bits}-bit order)"
            ),
            Self::Dh { prime_bits } => write!(f, "{prime_bits}-bit MODP group"),
            Self::Absent => f.write_str("no parameters"),
            Self::Other => f.write_str("unrecognised parameters"),
        }
    }
}

/// `SpecifiedECDomain` (SEC 1 §C.2), enough of it to measure the curve.
#[derive(Sequence)]
struct SpecifiedEcDomain {
    version: u8,
    field_id: FieldId,
    curve: Any,
    base: Any,
    order: Uint,
    #[asn1(optional = "true")]
    cofactor: Option<Uint>,
}

#[derive(Sequence)]
struct FieldId {
    field_type: ObjectIdentifier,
    parameters: Any,
}

/// X9.42 `DomainParameters` / PKCS #3 `DHParameter`: both start with the
/// prime.
#[derive(Sequence)]
struct DhPrimeFirst {
    p: Uint,
    g: Uint,
    #[asn1(optional = "true")]
    rest: Option<Any>,
}

/// Bits of the modulus of a PKCS #1 `RSAPublicKey`. Read leniently: some
/// chips (the JMRTD bsi2008 DG15) encode the modulus without the leading
/// zero DER needs for a positive INTEGER, which a DER decoder refuses but
/// every RSA implementation reads as the unsigned number it is.
fn rsa_modulus_bits(key: &[u8]) -> Option<usize> {
    use mrtd_iso7816::tlv::{Tag, parse_single, parse_tlv};
    let seq = parse_single(key, Tag(0x30)).ok()?;
    let (modulus, rest) = parse_tlv(seq.value).ok()?;
    let (exponent, rest) = parse_tlv(rest).ok()?;
    if modulus.tag != Tag(0x02) || exponent.tag != Tag(0x02) || !rest.is_empty() {
        return None;
    }
    let m = modulus.value;
    let start = m.iter().position(|b| *b != 0)?;
    let first = m[start];
    Some((m.len() - start - 1) * 8 + (8 - first.leading_zeros() as usize))
}

fn uint_bits(u: &Uint) -> usize {
    let b = u.as_bytes();
    match b.first() {
        Some(first) => (b.len() - 1) * 8 + (8 - first.leading_zeros() as usize),
        None => 0,
    }
}

/// Classifies the parameters of an AlgorithmIdentifier.
fn classify(algorithm: &ObjectIdentifier, parameters: Option<&Any>) -> DomainParameters {
    let Some(params) = parameters else {
        return DomainParameters::Absent;
    };
    if *algorithm == oid::STANDARDIZED_DOMAIN_PARAMETERS {
        return match params.decode_as::<Uint>() {
            Ok(id) => {
                let bytes = id.as_bytes();
                let id = if bytes.len() <= 4 {
                    bytes.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b))
                } else {
                    u32::MAX
                };
                DomainParameters::Standardized {
                    id,
                    name: standardized_domain_parameters(id),
                }
            }
            Err(_) => DomainParameters::Other,
        };
    }
    if let Ok(curve) = params.decode_as::<ObjectIdentifier>() {
        return DomainParameters::NamedCurve {
            oid: curve.to_string(),
            name: oid::name(&curve),
        };
    }
    if params.tag() == der::Tag::Null {
        return DomainParameters::Absent;
    }
    if *algorithm == oid::DH_PUBLIC_NUMBER {
        return match params.decode_as::<DhPrimeFirst>() {
            Ok(dh) => DomainParameters::Dh {
                prime_bits: uint_bits(&dh.p),
            },
            Err(_) => DomainParameters::Other,
        };
    }
    if let Ok(ec) = params.decode_as::<SpecifiedEcDomain>() {
        let _ = (ec.version, &ec.curve, &ec.base, &ec.cofactor);
        if ec.field_id.field_type == oid::PRIME_FIELD
            && let Ok(p) = ec.field_id.parameters.decode_as::<Uint>()
        {
            return DomainParameters::ExplicitCurve {
                field_bits: uint_bits(&p),
                order_bits: uint_bits(&ec.order),
            };
        }
    }
    if let Ok(dh) = params.decode_as::<DhPrimeFirst>() {
        let _ = (&dh.g, &dh.rest);
        return DomainParameters::Dh {
            prime_bits: uint_bits(&dh.p),
        };
    }
    DomainParameters::Other
}

/// An AlgorithmIdentifier naming domain parameters (PACEDomainParameterInfo,
/// ChipAuthenticationDomainParameterInfo), with its DER as read.
#[derive(Clone, PartialEq, Eq)]
pub struct AlgorithmParameters {
    der: Vec<u8>,
    algorithm: AlgorithmIdentifierOwned,
}

impl AlgorithmParameters {
    /// Decodes a DER AlgorithmIdentifier and keeps the bytes.
    ///
    /// # Errors
    /// The decoder's error for anything that is not one.
    pub fn from_der(der: &[u8]) -> der::Result<Self> {
        Ok(Self {
            algorithm: AlgorithmIdentifierOwned::from_der(der)?,
            der: der.to_vec(),
        })
    }

    /// `standardizedDomainParameters` with parameter ID `id`.
    #[must_use]
    pub fn standardized(id: u8) -> Self {
        let params = Any::encode_from(&u32::from(id)).ok();
        let algorithm = AlgorithmIdentifierOwned {
            oid: oid::STANDARDIZED_DOMAIN_PARAMETERS,
            parameters: params,
        };
        // An OID and a small INTEGER always encode.
        let der = algorithm.to_der().unwrap_or_default();
        Self { der, algorithm }
    }

    /// The DER as read.
    #[must_use]
    pub fn as_der(&self) -> &[u8] {
        &self.der
    }

    /// The decoded AlgorithmIdentifier.
    #[must_use]
    pub fn algorithm_identifier(&self) -> &AlgorithmIdentifierOwned {
        &self.algorithm
    }

    /// The parameters, classified.
    #[must_use]
    pub fn parameters(&self) -> DomainParameters {
        classify(&self.algorithm.oid, self.algorithm.parameters.as_ref())
    }
}

impl fmt::Debug for AlgorithmParameters {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlgorithmParameters")
            .field("algorithm", &self.algorithm.oid)
            .field("parameters", &self.parameters())
            .finish()
    }
}

impl core::hash::Hash for AlgorithmParameters {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.der.hash(state);
    }
}

/// A SubjectPublicKeyInfo with its DER as read.
#[derive(Clone, PartialEq, Eq)]
pub struct PublicKeyInfo {
    der: Vec<u8>,
    spki: SubjectPublicKeyInfoOwned,
}

impl PublicKeyInfo {
    /// Decodes a DER SubjectPublicKeyInfo and keeps the bytes.
    ///
    /// # Errors
    /// The decoder's error for anything that is not one.
    pub fn from_der(der: &[u8]) -> der::Result<Self> {
        Ok(Self {
            spki: SubjectPublicKeyInfoOwned::from_der(der)?,
            der: der.to_vec(),
        })
    }

    /// The DER as read: what a cryptographic library takes.
    #[must_use]
    pub fn as_der(&self) -> &[u8] {
        &self.der
    }

    /// The decoded SubjectPublicKeyInfo.
    #[must_use]
    pub fn spki(&self) -> &SubjectPublicKeyInfoOwned {
        &self.spki
    }

    /// The algorithm OID.
    #[must_use]
    pub fn algorithm_oid(&self) -> ObjectIdentifier {
        self.spki.algorithm.oid
    }

    /// The `subjectPublicKey` bits (an EC point, an RSAPublicKey, a DH
    /// value); empty when the BIT STRING has unused bits.
    #[must_use]
    pub fn subject_public_key(&self) -> &[u8] {
        self.spki.subject_public_key.as_bytes().unwrap_or_default()
    }

    /// What kind of key this is.
    #[must_use]
    pub fn algorithm(&self) -> KeyAlgorithm {
        let alg = &self.spki.algorithm;
        let params = classify(&alg.oid, alg.parameters.as_ref());
        let key = self.subject_public_key();
        if alg.oid == oid::RSA_ENCRYPTION {
            return match rsa_modulus_bits(key) {
                Some(modulus_bits) => KeyAlgorithm::Rsa { modulus_bits },
                None => KeyAlgorithm::Other {
                    oid: alg.oid.to_string(),
                },
            };
        }
        let is_ec = match &params {
            DomainParameters::Standardized { id, .. } => standardized_is_ec(*id),
            DomainParameters::NamedCurve { .. } | DomainParameters::ExplicitCurve { .. } => true,
            _ => alg.oid == oid::ID_EC_PUBLIC_KEY,
        };
        let is_dh = match &params {
            DomainParameters::Standardized { id, .. } => *id <= 2,
            DomainParameters::Dh { .. } => true,
            _ => alg.oid == oid::DH_PUBLIC_NUMBER,
        };
        if is_ec {
            KeyAlgorithm::Ec {
                parameters: params,
                point_len: key.len(),
            }
        } else if is_dh {
            KeyAlgorithm::Dh { parameters: params }
        } else {
            KeyAlgorithm::Other {
                oid: alg.oid.to_string(),
            }
        }
    }
}

impl fmt::Debug for PublicKeyInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKeyInfo")
            .field("algorithm", &self.algorithm())
            .field("der", &format_args!("<{} bytes>", self.der.len()))
            .finish()
    }
}

impl core::hash::Hash for PublicKeyInfo {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        self.der.hash(state);
    }
}

#[derive(Serialize)]
struct KeyView<'a> {
    algorithm: KeyAlgorithm,
    der: String,
    #[serde(skip)]
    _p: core::marker::PhantomData<&'a ()>,
}

#[derive(Deserialize)]
struct DerIncoming {
    der: String,
}

impl Serialize for PublicKeyInfo {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        KeyView {
            algorithm: self.algorithm(),
            der: hex::encode_upper(&self.der),
            _p: core::marker::PhantomData,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for PublicKeyInfo {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let incoming = DerIncoming::deserialize(d)?;
        let der = hex::decode(&incoming.der).map_err(serde::de::Error::custom)?;
        Self::from_der(&der).map_err(serde::de::Error::custom)
    }
}

#[derive(Serialize)]
struct ParamsView {
    algorithm: String,
    parameters: DomainParameters,
    der: String,
}

impl Serialize for AlgorithmParameters {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        ParamsView {
            algorithm: oid::display_name(&self.algorithm.oid),
            parameters: self.parameters(),
            der: hex::encode_upper(&self.der),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for AlgorithmParameters {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let incoming = DerIncoming::deserialize(d)?;
        let der = hex::decode(&incoming.der).map_err(serde::de::Error::custom)?;
        Self::from_der(&der).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardized_parameters_round_trip() {
        let p = AlgorithmParameters::standardized(13);
        assert_eq!(
            hex::encode_upper(p.as_der()),
            "300C060704007F0007010202010D"
        );
        assert_eq!(
            p.parameters(),
            DomainParameters::Standardized {
                id: 13,
                name: Some("brainpoolP256r1")
            }
        );
        assert_eq!(AlgorithmParameters::from_der(p.as_der()).unwrap(), p);
    }
}
