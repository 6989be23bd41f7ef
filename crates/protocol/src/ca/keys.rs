//! The static keys of Chip Authentication and their containers:
//! `SubjectPublicKeyInfo` (DG14's `ChipAuthenticationPublicKeyInfo`,
//! Doc 9303-11 §9.2.7) and PKCS#8 (the virtual passport's private keys,
//! the published TR-03105-5 test keys). The PKCS#8 and SPKI helpers here
//! serve Active Authentication too.

use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, BitStringRef, OctetStringRef, Uint, UintRef};
use der::{Decode, Encode, Sequence};
use mrtd_groups::{
    DhElement, DhSecret, DomainParameters, EcPoint, EcSecret, GroupError, ID_DH_PUBLIC_NUMBER,
    ID_EC_PUBLIC_KEY, ID_STANDARDIZED_DOMAIN_PARAMETERS, ModpGroup, PublicKey,
};
use rand_core::CryptoRng;
use serde::Serialize;
use zeroize::Zeroizing;

use super::CaError;
use crate::pace::KeyAgreement;

/// `rsaEncryption` (PKCS #1, RFC 8017 Appendix C).
pub(crate) const ID_RSA_ENCRYPTION: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// What is wrong with a key container; mapped onto the protocol errors.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum KeyContainerError {
    /// The DER structure does not decode.
    Asn1 { what: &'static str, detail: String },
    /// An algorithm this crate does not handle.
    UnsupportedAlgorithm(ObjectIdentifier),
    /// The key or its domain parameters are invalid.
    Group(GroupError),
    /// Inconsistent content.
    Inconsistent(&'static str),
    /// The RSA key does not load.
    Rsa(String),
}

impl core::fmt::Display for KeyContainerError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Self::Asn1 { what, detail } => write!(f, "malformed {what}: {detail}"),
            Self::UnsupportedAlgorithm(oid) => write!(f, "unsupported key algorithm {oid}"),
            Self::Group(e) => write!(f, "{e}"),
            Self::Inconsistent(what) => f.write_str(what),
            Self::Rsa(e) => write!(f, "RSA key: {e}"),
        }
    }
}

fn asn1(what: &'static str) -> impl FnOnce(der::Error) -> KeyContainerError {
    move |e| KeyContainerError::Asn1 {
        what,
        detail: e.to_string(),
    }
}

/// `ECPrivateKey` (RFC 5915 §3, SEC 1 §C.4).
#[derive(Sequence)]
struct EcPrivateKey<'a> {
    version: u8,
    private_key: &'a OctetStringRef,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    parameters: Option<AnyRef<'a>>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    public_key: Option<BitStringRef<'a>>,
}

/// X9.42 `DomainParameters ::= SEQUENCE { p, g, q, ... }` as written for
/// a DH key (RFC 3279 §2.3.3).
#[derive(Sequence)]
struct DhDomainParameters {
    p: Uint,
    g: Uint,
    q: Uint,
}

/// A private key read from PKCS#8.
pub(crate) enum PrivateKeyContainer {
    /// `rsaEncryption`.
    Rsa(Box<rsa::PrivateKey>),
    /// `id-ecPublicKey` (named, explicit or standardized parameters).
    Ec(EcSecret),
    /// `dhpublicnumber` or a standardized DH group.
    Dh(DhSecret),
}

/// Reads a PKCS#8 `PrivateKeyInfo` (RFC 5208 / RFC 5958) with an RSA, EC
/// or DH key. EC domain parameters may sit in the `AlgorithmIdentifier` or
/// (RFC 5915) in the `ECPrivateKey`; a public key inside the
/// `ECPrivateKey` must belong to the private key.
pub(crate) fn private_key_from_pkcs8(der: &[u8]) -> Result<PrivateKeyContainer, KeyContainerError> {
    let info = pkcs8::PrivateKeyInfoRef::from_der(der).map_err(asn1("PKCS#8 PrivateKeyInfo"))?;
    let oid = info.algorithm.oid;
    if oid == ID_RSA_ENCRYPTION {
        let key =
            rsa::PrivateKey::try_from(info).map_err(|e| KeyContainerError::Rsa(e.to_string()))?;
        return Ok(PrivateKeyContainer::Rsa(Box::new(key)));
    }
    let octets = info.private_key.as_bytes();
    if oid == ID_EC_PUBLIC_KEY
        || oid == ID_DH_PUBLIC_NUMBER
        || oid == ID_STANDARDIZED_DOMAIN_PARAMETERS
    {
        // The domain parameters: in the AlgorithmIdentifier, or for EC keys
        // possibly only in the ECPrivateKey.
        let domain = match info.algorithm.parameters {
            Some(_) => Some(
                DomainParameters::from_algorithm_identifier(&info.algorithm)
                    .map_err(KeyContainerError::Group)?,
            ),
            None => None,
        };
        match domain {
            Some(DomainParameters::Dh(group)) => dh_private_key(group, octets),
            Some(DomainParameters::Ec(_)) | None if oid != ID_DH_PUBLIC_NUMBER => {
                ec_private_key(domain, octets)
            }
            _ => Err(KeyContainerError::Inconsistent(
                "PKCS#8: DH key without domain parameters",
            )),
        }
    } else {
        Err(KeyContainerError::UnsupportedAlgorithm(oid))
    }
}

fn ec_private_key(
    domain: Option<DomainParameters>,
    octets: &[u8],
) -> Result<PrivateKeyContainer, KeyContainerError> {
    let key = EcPrivateKey::from_der(octets).map_err(asn1("ECPrivateKey"))?;
    if key.version != 1 {
        return Err(KeyContainerError::Inconsistent(
            "ECPrivateKey: version is not 1",
        ));
    }
    let inner = match key.parameters {
        Some(params) => Some(
            DomainParameters::from_algorithm_identifier(&spki::AlgorithmIdentifierRef {
                oid: ID_EC_PUBLIC_KEY,
                parameters: Some(params),
            })
            .map_err(KeyContainerError::Group)?,
        ),
        None => None,
    };
    let curve = match (domain, inner) {
        (Some(DomainParameters::Ec(a)), Some(DomainParameters::Ec(b))) if a != b => {
            return Err(KeyContainerError::Inconsistent(
                "PKCS#8: the ECPrivateKey names another curve than the AlgorithmIdentifier",
            ));
        }
        (Some(DomainParameters::Ec(c)), _) | (None, Some(DomainParameters::Ec(c))) => c,
        _ => {
            return Err(KeyContainerError::Inconsistent(
                "PKCS#8: EC key without EC domain parameters",
            ));
        }
    };
    let secret = EcSecret::from_bytes(curve, key.private_key.as_bytes())
        .map_err(KeyContainerError::Group)?;
    if let Some(public) = key.public_key {
        let bytes = public.as_bytes().ok_or(KeyContainerError::Inconsistent(
            "ECPrivateKey: public key BIT STRING has unused bits",
        ))?;
        let point = EcPoint::from_sec1(curve, bytes).map_err(KeyContainerError::Group)?;
        if point != secret.public_key() {
            return Err(KeyContainerError::Inconsistent(
                "ECPrivateKey: the public key does not belong to the private key",
            ));
        }
    }
    Ok(PrivateKeyContainer::Ec(secret))
}

fn dh_private_key(
    group: ModpGroup,
    octets: &[u8],
) -> Result<PrivateKeyContainer, KeyContainerError> {
    // PKCS#8 for X9.42 keys: the private key is `INTEGER x`.
    let x = UintRef::from_der(octets).map_err(asn1("DH private key INTEGER"))?;
    let secret = DhSecret::from_bytes(group, x.as_bytes()).map_err(KeyContainerError::Group)?;
    Ok(PrivateKeyContainer::Dh(secret))
}

/// `SubjectPublicKeyInfo { algorithm { oid, params }, key }` in DER.
fn spki_der(oid: ObjectIdentifier, params: &[u8], key: &[u8]) -> Result<Vec<u8>, der::Error> {
    let spki = spki::SubjectPublicKeyInfoRef {
        algorithm: spki::AlgorithmIdentifierRef {
            oid,
            parameters: Some(AnyRef::try_from(params)?),
        },
        subject_public_key: BitStringRef::from_bytes(key)?,
    };
    spki.to_der()
}

/// The SPKI of an EC public key with its named curve (RFC 5480).
pub(crate) fn ec_spki_der(point: &EcPoint) -> Vec<u8> {
    point
        .curve()
        .oid()
        .to_der()
        .and_then(|params| spki_der(ID_EC_PUBLIC_KEY, &params, &point.to_sec1_uncompressed()))
        // A named-curve OID and a point of at most 133 bytes always encode.
        .unwrap_or_default()
}

/// The SPKI of a DH public key with explicit X9.42 parameters (RFC 3279
/// §2.3.3): `dhpublicnumber`, `DomainParameters { p, g, q }`, `INTEGER y`.
pub(crate) fn dh_spki_der(element: &DhElement) -> Vec<u8> {
    let params = element.group().params();
    (|| -> Result<Vec<u8>, der::Error> {
        let domain = DhDomainParameters {
            p: Uint::new(params.p)?,
            g: Uint::new(params.g)?,
            q: Uint::new(params.q)?,
        }
        .to_der()?;
        let y = Uint::new(&element.to_bytes())?.to_der()?;
        spki_der(ID_DH_PUBLIC_NUMBER, &domain, &y)
    })()
    // Constant group parameters and a validated element always encode.
    .unwrap_or_default()
}

/// The chip's static Chip Authentication public key PK_IC, from a
/// `ChipAuthenticationPublicKeyInfo` (DG14, EF.CardSecurity).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum CaPublicKey {
    /// An EC point on a whitelisted curve (ECDH).
    Ec(EcPoint),
    /// An element of an RFC 5114 group (DH).
    Dh(DhElement),
}

impl CaPublicKey {
    /// Reads the `SubjectPublicKeyInfo` of a `ChipAuthenticationPublicKeyInfo`
    /// (Doc 9303-11 §9.2.7): `id-ecPublicKey` with named or explicit
    /// parameters, `standardizedDomainParameters` (TR-03110-3 §A.2.1.1) or
    /// `dhpublicnumber`; the key is validated (on the curve, in the
    /// prime-order subgroup).
    ///
    /// # Errors
    /// [`CaError::InvalidKey`] for anything else.
    pub fn from_spki_der(der: &[u8]) -> Result<Self, CaError> {
        let spki =
            spki::SubjectPublicKeyInfoRef::from_der(der).map_err(|e| CaError::InvalidKey {
                what: format!("malformed SubjectPublicKeyInfo: {e}"),
            })?;
        mrtd_groups::public_key_from_spki(&spki)
            .map(Self::from)
            .map_err(|e| CaError::InvalidKey {
                what: e.to_string(),
            })
    }

    /// The `SubjectPublicKeyInfo` in DER, as a `ChipAuthenticationPublicKeyInfo`
    /// carries it: a named curve for EC keys, explicit X9.42 parameters for
    /// DH keys.
    #[must_use]
    pub fn to_spki_der(&self) -> Vec<u8> {
        match self {
            Self::Ec(p) => ec_spki_der(p),
            Self::Dh(e) => dh_spki_der(e),
        }
    }

    /// DH or ECDH.
    #[must_use]
    pub fn key_agreement(&self) -> KeyAgreement {
        match self {
            Self::Ec(_) => KeyAgreement::Ecdh,
            Self::Dh(_) => KeyAgreement::Dh,
        }
    }

    /// The group the key lives in.
    #[must_use]
    pub fn domain(&self) -> DomainParameters {
        match self {
            Self::Ec(p) => DomainParameters::Ec(p.curve()),
            Self::Dh(e) => DomainParameters::Dh(e.group()),
        }
    }

    /// The plain public key value (TR-03110-3 §D.3.4): `04‖x‖y` for a
    /// point, the big-endian value padded to |p| for a DH element.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Self::Ec(p) => p.to_sec1_uncompressed(),
            Self::Dh(e) => e.to_bytes(),
        }
    }

    /// Decodes a peer's plain public key value in `domain`: an
    /// uncompressed point (compressed and hybrid forms are refused, as
    /// everywhere in Doc 9303-11 §9.4) or a DH subgroup element.
    pub(crate) fn decode(domain: DomainParameters, bytes: &[u8]) -> Result<Self, GroupError> {
        match domain {
            DomainParameters::Ec(curve) => {
                if bytes.first() != Some(&0x04) {
                    return Err(GroupError::Malformed {
                        what: "Chip Authentication requires an uncompressed point",
                    });
                }
                EcPoint::from_sec1(curve, bytes).map(Self::Ec)
            }
            DomainParameters::Dh(group) => DhElement::from_bytes(group, bytes).map(Self::Dh),
        }
    }
}

impl From<PublicKey> for CaPublicKey {
    fn from(key: PublicKey) -> Self {
        match key {
            PublicKey::Ec(p) => Self::Ec(p),
            PublicKey::Dh(e) => Self::Dh(e),
        }
    }
}

/// A Chip Authentication private key: the chip's static SK_IC or the
/// terminal's ephemeral key. Zeroized on drop (by `mrtd-groups`); `Debug`
/// shows only the group.
#[derive(Clone, Debug)]
pub enum CaPrivateKey {
    /// An EC scalar.
    Ec(EcSecret),
    /// A DH exponent.
    Dh(DhSecret),
}

impl CaPrivateKey {
    /// A fresh key in `domain`.
    pub fn random<R: CryptoRng + ?Sized>(domain: DomainParameters, rng: &mut R) -> Self {
        match domain {
            DomainParameters::Ec(c) => Self::Ec(EcSecret::random(c, rng)),
            DomainParameters::Dh(g) => Self::Dh(DhSecret::random(g, rng)),
        }
    }

    /// Reads a PKCS#8 EC or DH private key (named, explicit or
    /// standardized domain parameters), e.g. the TR-03105-5 test key.
    ///
    /// # Errors
    /// [`CaError::InvalidKey`] for malformed DER, RSA or unknown
    /// algorithms, parameters outside the whitelist, or an `ECPrivateKey`
    /// whose embedded public key does not match.
    pub fn from_pkcs8_der(der: &[u8]) -> Result<Self, CaError> {
        match private_key_from_pkcs8(der) {
            Ok(PrivateKeyContainer::Ec(s)) => Ok(Self::Ec(s)),
            Ok(PrivateKeyContainer::Dh(s)) => Ok(Self::Dh(s)),
            Ok(PrivateKeyContainer::Rsa(_)) => Err(CaError::InvalidKey {
                what: "an RSA key cannot do Chip Authentication".into(),
            }),
            Err(e) => Err(CaError::InvalidKey {
                what: e.to_string(),
            }),
        }
    }

    /// The public key PK = SK·G or g^SK.
    #[must_use]
    pub fn public_key(&self) -> CaPublicKey {
        match self {
            Self::Ec(s) => CaPublicKey::Ec(s.public_key()),
            Self::Dh(s) => CaPublicKey::Dh(s.public_key()),
        }
    }

    /// DH or ECDH.
    #[must_use]
    pub fn key_agreement(&self) -> KeyAgreement {
        match self {
            Self::Ec(_) => KeyAgreement::Ecdh,
            Self::Dh(_) => KeyAgreement::Dh,
        }
    }

    /// The group the key lives in.
    #[must_use]
    pub fn domain(&self) -> DomainParameters {
        match self {
            Self::Ec(s) => DomainParameters::Ec(s.curve()),
            Self::Dh(s) => DomainParameters::Dh(s.group()),
        }
    }

    /// The shared secret K = KA(SK, PK) (Doc 9303-11 §9.6, TR-03111
    /// §4.3.1): the x-coordinate of SK·PK, or the whole element PK^SK.
    ///
    /// # Errors
    /// [`GroupError`] for a peer of another group or an identity result.
    pub(crate) fn agree(&self, peer: &CaPublicKey) -> Result<Zeroizing<Vec<u8>>, GroupError> {
        match (self, peer) {
            (Self::Ec(s), CaPublicKey::Ec(p)) => {
                Ok(Zeroizing::new(s.diffie_hellman(p)?.x().to_vec()))
            }
            (Self::Dh(s), CaPublicKey::Dh(p)) => Ok(Zeroizing::new(s.agree(p)?.to_bytes())),
            _ => Err(GroupError::Mismatch),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spki_round_trips_for_ec_and_dh() {
        let mut rng = crate::test_rng::ScriptedRng::counting();
        for id in [0u8, 1, 2, 8, 10, 12, 13, 16] {
            let domain = DomainParameters::from_standardized_id(id).unwrap();
            let key = CaPrivateKey::random(domain, &mut rng).public_key();
            let der = key.to_spki_der();
            assert!(!der.is_empty());
            assert_eq!(CaPublicKey::from_spki_der(&der).unwrap(), key, "{id}");
            assert_eq!(key.domain(), domain);
        }
        assert!(matches!(
            CaPublicKey::from_spki_der(&[0x30, 0x00]),
            Err(CaError::InvalidKey { .. })
        ));
    }

    #[test]
    fn pkcs8_containers_are_checked() {
        // RFC 5915 ECPrivateKey on P-256 with a matching public key, built
        // by hand; then with a public key of another scalar.
        let mut rng = crate::test_rng::ScriptedRng::counting();
        let curve = mrtd_groups::CurveId::P256;
        let d = EcSecret::random(curve, &mut rng);
        let other = EcSecret::random(curve, &mut rng);
        let build = |public: &EcPoint| {
            let pk = public.to_sec1_uncompressed();
            let ec = EcPrivateKey {
                version: 1,
                private_key: OctetStringRef::new(&d.to_bytes()).unwrap(),
                parameters: None,
                public_key: Some(BitStringRef::from_bytes(&pk).unwrap()),
            }
            .to_der()
            .unwrap();
            let params = curve.oid().to_der().unwrap();
            pkcs8::PrivateKeyInfoRef {
                algorithm: spki::AlgorithmIdentifierRef {
                    oid: ID_EC_PUBLIC_KEY,
                    parameters: Some(AnyRef::try_from(params.as_slice()).unwrap()),
                },
                private_key: OctetStringRef::new(&ec).unwrap(),
                public_key: None,
            }
            .to_der()
            .unwrap()
        };
        let good = CaPrivateKey::from_pkcs8_der(&build(&d.public_key())).unwrap();
        assert_eq!(good.public_key(), CaPublicKey::Ec(d.public_key()));
        assert!(matches!(
            CaPrivateKey::from_pkcs8_der(&build(&other.public_key())),
            Err(CaError::InvalidKey { what }) if what.contains("does not belong")
        ));
        assert!(CaPrivateKey::from_pkcs8_der(b"\x30\x03\x02\x01\x00").is_err());
    }
}
