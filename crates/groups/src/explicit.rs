//! Explicit elliptic-curve domain parameters (RFC 3279 §2.3.5 / SEC 1
//! §C.2) and their identification against the whitelist.
//!
//! Doc 9303-12 §4.1.6.3 asks CSCA and Document Signer certificates for
//! explicit parameters, and DG14 Chip Authentication keys carry them too;
//! in the staged master lists 392 of 403 EC keys use them. A parameter set
//! is accepted only if `p, a, b, G, n` (and the cofactor, 1 when absent)
//! equal one of the eleven whitelisted curves; the seed is ignored. A
//! crafted set that reuses a standard curve with another generator — the
//! CVE-2020-0601 ("CurveBall") class — or any non-standard curve is
//! rejected, so arithmetic never runs on attacker-chosen parameters.

use const_oid::ObjectIdentifier;
use der::asn1::{AnyRef, BitString, OctetString, Uint};
use der::{Decode, Encode, Sequence, Tag, Tagged};

use crate::curve::CurveId;
use crate::ec::EcPoint;
use crate::error::GroupError;
use crate::util::strip_leading_zeros;

/// `prime-field` (ANSI X9.62, RFC 3279): the field type of GF(p) curves.
pub const ID_PRIME_FIELD: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.1.1");

/// `FieldID ::= SEQUENCE { fieldType OBJECT IDENTIFIER, parameters ANY
/// DEFINED BY fieldType }`; for `prime-field` the parameters are
/// `Prime-p ::= INTEGER`.
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct FieldId {
    /// The field type (only [`ID_PRIME_FIELD`] is supported).
    pub field_type: ObjectIdentifier,
    /// For a prime field: the prime p as an INTEGER.
    pub parameters: der::Any,
}

/// `Curve ::= SEQUENCE { a FieldElement, b FieldElement, seed BIT STRING
/// OPTIONAL }` with `FieldElement ::= OCTET STRING`.
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct CurveCoefficients {
    /// Coefficient a.
    pub a: OctetString,
    /// Coefficient b.
    pub b: OctetString,
    /// The generation seed (ignored when matching).
    pub seed: Option<BitString>,
}

/// `SpecifiedECDomain` (SEC 1 §C.2; RFC 3279's `ECParameters`):
///
/// ```text
/// SpecifiedECDomain ::= SEQUENCE {
///     version   INTEGER { ecdpVer1(1), ecdpVer2(2), ecdpVer3(3) },
///     fieldID   FieldID,
///     curve     Curve,
///     base      ECPoint,          -- OCTET STRING, SEC 1 point encoding
///     order     INTEGER,
///     cofactor  INTEGER OPTIONAL,
///     hash      HashAlgorithm OPTIONAL }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Sequence)]
pub struct SpecifiedEcDomain {
    /// Version: 1 in RFC 3279 and every observed certificate; SEC 1 also
    /// defines 2 and 3.
    pub version: u8,
    /// The underlying field.
    pub field_id: FieldId,
    /// The curve coefficients.
    pub curve: CurveCoefficients,
    /// The base point G, SEC 1 encoded (compressed or uncompressed).
    pub base: OctetString,
    /// The order n of G.
    pub order: Uint,
    /// The cofactor h (Doc 9303-12 requires it; absent means 1 here).
    pub cofactor: Option<Uint>,
    /// SEC 1's optional `HashAlgorithm` (ignored).
    pub hash: Option<spki::AlgorithmIdentifierOwned>,
}

/// Alias with the RFC 3279 name.
pub type EcParameters = SpecifiedEcDomain;

impl SpecifiedEcDomain {
    /// The explicit parameters of a whitelisted curve (version 1,
    /// uncompressed base point, cofactor present, no seed) — what
    /// Doc 9303-12 §4.1.6.3 asks a CSCA or DS certificate to carry.
    pub fn for_curve(curve: CurveId) -> Self {
        let c = curve.params();
        let uint = |b: &[u8]| Uint::new(b).expect("constant fits a DER INTEGER");
        let p = der::Any::encode_from(&uint(c.p)).expect("constant INTEGER encodes");
        SpecifiedEcDomain {
            version: 1,
            field_id: FieldId {
                field_type: ID_PRIME_FIELD,
                parameters: p,
            },
            curve: CurveCoefficients {
                a: OctetString::new(c.a).expect("constant fits an OCTET STRING"),
                b: OctetString::new(c.b).expect("constant fits an OCTET STRING"),
                seed: None,
            },
            base: OctetString::new(EcPoint::generator(curve).to_sec1_uncompressed())
                .expect("constant fits"),
            order: uint(c.n),
            cofactor: Some(uint(&c.cofactor.to_be_bytes())),
            hash: None,
        }
    }

    /// The whitelisted curve these parameters describe (see
    /// [`identify_explicit`]).
    pub fn identify(&self) -> Result<CurveId, GroupError> {
        let unknown =
            |why: &str| GroupError::UnknownCurve(Some(format!("explicit parameters: {why}")));
        if !(1..=3).contains(&self.version) {
            return Err(unknown("unsupported version"));
        }
        if self.field_id.field_type != ID_PRIME_FIELD {
            return Err(unknown("field type is not prime-field"));
        }
        let p: Uint = self
            .field_id
            .parameters
            .decode_as()
            .map_err(|e| GroupError::asn1("FieldID prime p", e))?;
        let same =
            |given: &[u8], want: &[u8]| strip_leading_zeros(given) == strip_leading_zeros(want);
        let cofactor_is_one = self
            .cofactor
            .as_ref()
            .is_none_or(|h| same(h.as_bytes(), &[1]));
        for curve in CurveId::ALL {
            let c = curve.params();
            if !same(p.as_bytes(), c.p) {
                continue;
            }
            if !same(self.curve.a.as_bytes(), c.a)
                || !same(self.curve.b.as_bytes(), c.b)
                || !same(self.order.as_bytes(), c.n)
                || !cofactor_is_one
            {
                return Err(unknown(&format!(
                    "prime of {curve} with other curve coefficients, order or cofactor"
                )));
            }
            // The base point may be compressed; decode it on the matched
            // curve and compare with the standard generator.
            return match EcPoint::from_sec1(curve, self.base.as_bytes()) {
                Ok(g) if g == EcPoint::generator(curve) => Ok(curve),
                _ => Err(unknown(&format!("{curve} with a non-standard base point"))),
            };
        }
        Err(unknown("prime matches no whitelisted curve"))
    }
}

/// Identifies DER-encoded explicit parameters (`SpecifiedECDomain`) as one
/// of the eleven whitelisted curves, comparing p, a, b, G and n (cofactor
/// absent → 1; seed ignored). Anything else is rejected with
/// [`GroupError::UnknownCurve`] (or [`GroupError::Asn1`] if it does not
/// parse).
pub fn identify_explicit(der: &[u8]) -> Result<CurveId, GroupError> {
    SpecifiedEcDomain::from_der(der)
        .map_err(|e| GroupError::asn1("SpecifiedECDomain", e))?
        .identify()
}

/// The curve of `id-ecPublicKey` algorithm parameters
/// (`EcpkParameters ::= CHOICE { ecParameters SpecifiedECDomain,
/// namedCurve OBJECT IDENTIFIER, implicitlyCA NULL }`, RFC 3279 §2.3.5):
/// a named-curve OID from the whitelist, or explicit parameters that match
/// it. `implicitlyCA` and everything else is rejected.
///
/// For an owned `der::Any` pass `&any.into()` / `&(&any).into()`.
pub fn curve_from_algorithm_parameters(params: &AnyRef<'_>) -> Result<CurveId, GroupError> {
    match params.tag() {
        Tag::ObjectIdentifier => {
            let oid: ObjectIdentifier = params
                .decode_as()
                .map_err(|e| GroupError::asn1("namedCurve", e))?;
            CurveId::from_oid(&oid)
                .ok_or_else(|| GroupError::UnknownCurve(Some(format!("named curve {oid}"))))
        }
        Tag::Sequence => {
            let der = params
                .to_der()
                .map_err(|e| GroupError::asn1("SpecifiedECDomain", e))?;
            identify_explicit(&der)
        }
        Tag::Null => Err(GroupError::UnknownCurve(Some(
            "implicitlyCA parameters are not accepted".into(),
        ))),
        _ => Err(GroupError::Malformed {
            what: "EC algorithm parameters: neither OID nor SEQUENCE",
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn own_explicit_parameters_identify_and_match_openssl_shape() {
        for curve in CurveId::ALL {
            let der = SpecifiedEcDomain::for_curve(curve).to_der().unwrap();
            assert_eq!(identify_explicit(&der), Ok(curve), "{curve}");
            // Named form via the CHOICE.
            let oid = curve.oid().to_der().unwrap();
            let any = AnyRef::try_from(oid.as_slice()).unwrap();
            assert_eq!(curve_from_algorithm_parameters(&any), Ok(curve));
            let any = AnyRef::try_from(der.as_slice()).unwrap();
            assert_eq!(curve_from_algorithm_parameters(&any), Ok(curve));
        }
    }

    #[test]
    fn tampered_parameters_are_rejected() {
        for curve in CurveId::ALL {
            let good = SpecifiedEcDomain::for_curve(curve);
            // CurveBall: a different generator (2·G) with standard p, a, b, n.
            let mut bad = good.clone();
            let g2 = EcPoint::generator(curve)
                .add(&EcPoint::generator(curve))
                .unwrap();
            bad.base = OctetString::new(g2.to_sec1_uncompressed()).unwrap();
            assert!(
                matches!(bad.identify(), Err(GroupError::UnknownCurve(_))),
                "{curve} base"
            );
            // Modified b.
            let mut bad = good.clone();
            let mut b = curve.params().b.to_vec();
            *b.last_mut().unwrap() ^= 1;
            bad.curve.b = OctetString::new(b).unwrap();
            assert!(
                matches!(bad.identify(), Err(GroupError::UnknownCurve(_))),
                "{curve} b"
            );
            // Cofactor 4.
            let mut bad = good.clone();
            bad.cofactor = Some(Uint::new(&[4]).unwrap());
            assert!(bad.identify().is_err(), "{curve} h");
            // Different order.
            let mut bad = good.clone();
            let mut n = curve.params().n.to_vec();
            *n.last_mut().unwrap() ^= 2;
            bad.order = Uint::new(&n).unwrap();
            assert!(bad.identify().is_err(), "{curve} n");
            // Cofactor absent and compressed base: accepted.
            let mut ok = good.clone();
            ok.cofactor = None;
            ok.base = OctetString::new(EcPoint::generator(curve).to_sec1_compressed()).unwrap();
            assert_eq!(ok.identify(), Ok(curve));
        }
    }
}
