//! Domain parameters of PACE and Chip Authentication: the standardized
//! parameter IDs of BSI TR-03110-3 Table 4 / Doc 9303-11 §9.5.1, and
//! `AlgorithmIdentifier`s that carry domain parameters.

use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, Uint};
use der::{Decode, Sequence};
use serde::{Deserialize, Serialize};

use crate::curve::CurveId;
use crate::dh::DhElement;
use crate::ec::{EcPoint, ID_EC_PUBLIC_KEY};
use crate::error::GroupError;
use crate::explicit::curve_from_algorithm_parameters;
use crate::modp::ModpGroup;
use crate::util::strip_leading_zeros;

/// `standardizedDomainParameters` (BSI TR-03110-3 §A.2.1.1,
/// `id-StandardizedDomainParameters` = `bsi-de algorithms(1) 2`): an
/// `AlgorithmIdentifier` whose parameter is the INTEGER parameter ID.
pub const ID_STANDARDIZED_DOMAIN_PARAMETERS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("0.4.0.127.0.7.1.2");

/// `dhpublicnumber` (ANSI X9.42, RFC 3279 §2.3.3): explicit DH domain
/// parameters `DomainParameters ::= SEQUENCE { p, g, q, j OPTIONAL,
/// validationParms OPTIONAL }`.
pub const ID_DH_PUBLIC_NUMBER: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10046.2.1");

/// The group a PACE or Chip Authentication run takes place in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum DomainParameters {
    /// Finite-field Diffie-Hellman in an RFC 5114 group.
    Dh(ModpGroup),
    /// Elliptic-curve Diffie-Hellman on a whitelisted curve.
    Ec(CurveId),
}

/// X9.42 `DomainParameters` (only p, g, q are compared).
#[derive(Sequence)]
struct DhDomainParameters<'a> {
    p: Uint,
    g: Uint,
    q: Uint,
    j: Option<Uint>,
    validation_parms: Option<AnyRef<'a>>,
}

impl DomainParameters {
    /// The standardized domain parameters with this ID (BSI TR-03110-3
    /// Table 4, reproduced in Doc 9303-11 §9.5.1): 0–2 are the RFC 5114
    /// MODP groups, 8–18 the curves; 3–7 and 19–31 are reserved.
    pub const fn from_standardized_id(id: u8) -> Option<Self> {
        Some(match id {
            0 => DomainParameters::Dh(ModpGroup::Rfc5114_1024_160),
            1 => DomainParameters::Dh(ModpGroup::Rfc5114_2048_224),
            2 => DomainParameters::Dh(ModpGroup::Rfc5114_2048_256),
            8 => DomainParameters::Ec(CurveId::P192),
            9 => DomainParameters::Ec(CurveId::BrainpoolP192r1),
            10 => DomainParameters::Ec(CurveId::P224),
            11 => DomainParameters::Ec(CurveId::BrainpoolP224r1),
            12 => DomainParameters::Ec(CurveId::P256),
            13 => DomainParameters::Ec(CurveId::BrainpoolP256r1),
            14 => DomainParameters::Ec(CurveId::BrainpoolP320r1),
            15 => DomainParameters::Ec(CurveId::P384),
            16 => DomainParameters::Ec(CurveId::BrainpoolP384r1),
            17 => DomainParameters::Ec(CurveId::BrainpoolP512r1),
            18 => DomainParameters::Ec(CurveId::P521),
            _ => return None,
        })
    }

    /// The standardized parameter ID (inverse of
    /// [`DomainParameters::from_standardized_id`]).
    pub const fn standardized_id(self) -> u8 {
        match self {
            DomainParameters::Dh(ModpGroup::Rfc5114_1024_160) => 0,
            DomainParameters::Dh(ModpGroup::Rfc5114_2048_224) => 1,
            DomainParameters::Dh(ModpGroup::Rfc5114_2048_256) => 2,
            DomainParameters::Ec(CurveId::P192) => 8,
            DomainParameters::Ec(CurveId::BrainpoolP192r1) => 9,
            DomainParameters::Ec(CurveId::P224) => 10,
            DomainParameters::Ec(CurveId::BrainpoolP224r1) => 11,
            DomainParameters::Ec(CurveId::P256) => 12,
            DomainParameters::Ec(CurveId::BrainpoolP256r1) => 13,
            DomainParameters::Ec(CurveId::BrainpoolP320r1) => 14,
            DomainParameters::Ec(CurveId::P384) => 15,
            DomainParameters::Ec(CurveId::BrainpoolP384r1) => 16,
            DomainParameters::Ec(CurveId::BrainpoolP512r1) => 17,
            DomainParameters::Ec(CurveId::P521) => 18,
        }
    }

    /// The domain parameters of an `AlgorithmIdentifier` as found in
    /// `PACEDomainParameterInfo`, `ChipAuthenticationDomainParameterInfo`
    /// and the `SubjectPublicKeyInfo` of `ChipAuthenticationPublicKeyInfo`
    /// (TR-03110-3 §A.2.1 / Doc 9303-11 §9.2):
    ///
    /// - `standardizedDomainParameters` with an INTEGER ID,
    /// - `id-ecPublicKey` with a named curve or explicit parameters,
    /// - `dhpublicnumber` with explicit `p, g, q` equal to an RFC 5114
    ///   group.
    ///
    /// Everything else — including explicit parameters that match no
    /// whitelisted group — is rejected.
    pub fn from_algorithm_identifier(
        alg: &spki::AlgorithmIdentifierRef<'_>,
    ) -> Result<Self, GroupError> {
        let params = alg.parameters.as_ref().ok_or(GroupError::Malformed {
            what: "AlgorithmIdentifier: domain parameters absent",
        })?;
        if alg.oid == ID_STANDARDIZED_DOMAIN_PARAMETERS {
            let id: u8 = params
                .decode_as()
                .map_err(|e| GroupError::asn1("standardized domain parameter ID", e))?;
            Self::from_standardized_id(id).ok_or(GroupError::UnknownCurve(Some(format!(
                "standardized domain parameter ID {id}"
            ))))
        } else if alg.oid == ID_EC_PUBLIC_KEY {
            curve_from_algorithm_parameters(params).map(DomainParameters::Ec)
        } else if alg.oid == ID_DH_PUBLIC_NUMBER {
            let dp: DhDomainParameters<'_> = params
                .decode_as()
                .map_err(|e| GroupError::asn1("DH DomainParameters", e))?;
            let same = |given: &Uint, want: &[u8]| {
                strip_leading_zeros(given.as_bytes()) == strip_leading_zeros(want)
            };
            ModpGroup::ALL
                .into_iter()
                .find(|g| {
                    let c = g.params();
                    same(&dp.p, c.p) && same(&dp.g, c.g) && same(&dp.q, c.q)
                })
                .map(DomainParameters::Dh)
                .ok_or(GroupError::UnknownGroup)
        } else {
            Err(GroupError::Malformed {
                what: "AlgorithmIdentifier: not a domain-parameter algorithm",
            })
        }
    }
}

/// A public key of either kind of group, with its domain parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PublicKey {
    /// An elliptic-curve point (its curve is [`EcPoint::curve`]).
    Ec(EcPoint),
    /// A finite-field DH element (its group is [`DhElement::group`]).
    Dh(DhElement),
}

/// `DHPublicKey ::= INTEGER` (RFC 3279 §2.3.3), the content of a DH key's
/// BIT STRING.
fn dh_public_key(group: ModpGroup, bits: &[u8]) -> Result<DhElement, GroupError> {
    let y = der::asn1::UintRef::from_der(bits).map_err(|e| GroupError::asn1("DHPublicKey", e))?;
    DhElement::from_bytes(group, y.as_bytes())
}

/// The validated public key of a `SubjectPublicKeyInfo` whose algorithm
/// carries domain parameters ([`DomainParameters::from_algorithm_identifier`]):
/// `id-ecPublicKey` (SEC 1 point in the BIT STRING),
/// `standardizedDomainParameters` (SEC 1 point, or `INTEGER y` for the DH
/// IDs 0–2; TR-03110-3 §A.2.1.1) or `dhpublicnumber` (`INTEGER y`). This is
/// the form of `ChipAuthenticationPublicKeyInfo` in DG14 and
/// EF.CardSecurity (Doc 9303-11 §9.2.5) and of certificate keys.
pub fn public_key_from_spki(
    spki: &spki::SubjectPublicKeyInfoRef<'_>,
) -> Result<PublicKey, GroupError> {
    let params = DomainParameters::from_algorithm_identifier(&spki.algorithm)?;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or(GroupError::Malformed {
            what: "SubjectPublicKeyInfo: public key BIT STRING has unused bits",
        })?;
    match params {
        DomainParameters::Ec(curve) => EcPoint::from_sec1(curve, bits).map(PublicKey::Ec),
        DomainParameters::Dh(group) => dh_public_key(group, bits).map(PublicKey::Dh),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn standardized_ids_round_trip_and_match_the_table() {
        let mut seen = 0;
        for id in 0..=255u8 {
            if let Some(dp) = DomainParameters::from_standardized_id(id) {
                assert_eq!(dp.standardized_id(), id);
                seen += 1;
            }
        }
        assert_eq!(seen, 14);
        for id in (3..=7).chain(19..=31) {
            assert_eq!(
                DomainParameters::from_standardized_id(id),
                None,
                "{id} is reserved"
            );
        }
        // Spot checks against TR-03110-3 Table 4 / Doc 9303-11 §9.5.1.
        assert_eq!(
            DomainParameters::from_standardized_id(13),
            Some(DomainParameters::Ec(CurveId::BrainpoolP256r1))
        );
        assert_eq!(
            DomainParameters::from_standardized_id(18),
            Some(DomainParameters::Ec(CurveId::P521))
        );
        assert_eq!(
            DomainParameters::from_standardized_id(0),
            Some(DomainParameters::Dh(ModpGroup::Rfc5114_1024_160))
        );
    }

    #[test]
    fn algorithm_identifier_forms() {
        use der::Encode;
        // The CAM example's ChipAuthenticationPublicKeyInfo algorithm
        // (Doc 9303-11 Appendix I.1): standardizedDomainParameters, 13.
        let der = hex::decode("300C060704007F0007010202010D").unwrap();
        let alg = spki::AlgorithmIdentifierRef::from_der(&der).unwrap();
        assert_eq!(
            DomainParameters::from_algorithm_identifier(&alg),
            Ok(DomainParameters::Ec(CurveId::BrainpoolP256r1))
        );

        // dhpublicnumber with the RFC 5114 2048/256 group.
        let c = ModpGroup::Rfc5114_2048_256.params();
        let dp = DhDomainParameters {
            p: Uint::new(c.p).unwrap(),
            g: Uint::new(c.g).unwrap(),
            q: Uint::new(c.q).unwrap(),
            j: None,
            validation_parms: None,
        };
        let params = dp.to_der().unwrap();
        let alg = spki::AlgorithmIdentifierRef {
            oid: ID_DH_PUBLIC_NUMBER,
            parameters: Some(AnyRef::try_from(params.as_slice()).unwrap()),
        };
        assert_eq!(
            DomainParameters::from_algorithm_identifier(&alg),
            Ok(DomainParameters::Dh(ModpGroup::Rfc5114_2048_256))
        );

        // A tampered generator is rejected.
        let mut g = c.g.to_vec();
        g[10] ^= 1;
        let dp = DhDomainParameters {
            g: Uint::new(&g).unwrap(),
            ..dp
        };
        let params = dp.to_der().unwrap();
        let alg = spki::AlgorithmIdentifierRef {
            oid: ID_DH_PUBLIC_NUMBER,
            parameters: Some(AnyRef::try_from(params.as_slice()).unwrap()),
        };
        assert_eq!(
            DomainParameters::from_algorithm_identifier(&alg),
            Err(GroupError::UnknownGroup)
        );
    }
}
