//! The group a PACE run works in — an elliptic curve or a prime-field
//! subgroup — behind one interface, so that the protocol code is written
//! once for ECDH and DH. The arithmetic is `mrtd-groups`'.

use const_oid::ObjectIdentifier;
use mrtd_groups::{
    CurveId, DhElement, DhSecret, DomainParameters, EcPoint, EcSecret, GroupError, ModpGroup,
    dh_integrated_mapping, icao_point_encoding, map_generator_gm, map_generator_gm_dh,
};
use mrtd_iso7816::tlv::{self, Tag};
use rand_core::CryptoRng;
use zeroize::Zeroizing;

/// The group of a PACE run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Group {
    /// An elliptic curve.
    Ec(CurveId),
    /// A prime-field subgroup.
    Dh(ModpGroup),
}

impl From<DomainParameters> for Group {
    fn from(d: DomainParameters) -> Self {
        match d {
            DomainParameters::Ec(c) => Self::Ec(c),
            DomainParameters::Dh(g) => Self::Dh(g),
        }
    }
}

/// A public group element.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Element {
    /// A curve point.
    Ec(EcPoint),
    /// A field element of the subgroup.
    Dh(DhElement),
}

/// A secret exponent or scalar.
pub enum Secret {
    /// A curve scalar.
    Ec(EcSecret),
    /// A DH exponent.
    Dh(DhSecret),
}

impl Group {
    /// Bits of the field prime p (for the pseudo-random function).
    #[must_use]
    pub fn prime_bits(self) -> usize {
        match self {
            Self::Ec(c) => c.field_len() * 8,
            Self::Dh(g) => g.p_len() * 8,
        }
    }

    /// The standard generator.
    #[must_use]
    pub fn generator(self) -> Element {
        match self {
            Self::Ec(c) => Element::Ec(EcPoint::generator(c)),
            Self::Dh(g) => Element::Dh(DhElement::generator(g)),
        }
    }

    /// A fresh ephemeral secret.
    pub fn random_secret<R: CryptoRng + ?Sized>(self, rng: &mut R) -> Secret {
        match self {
            Self::Ec(c) => Secret::Ec(EcSecret::random(c, rng)),
            Self::Dh(g) => Secret::Dh(DhSecret::random(g, rng)),
        }
    }

    /// A secret from its bytes (test vectors, the virtual passport's keys).
    ///
    /// # Errors
    /// [`GroupError`] for an out-of-range value.
    pub fn secret_from_bytes(self, bytes: &[u8]) -> Result<Secret, GroupError> {
        Ok(match self {
            Self::Ec(c) => Secret::Ec(EcSecret::from_bytes(c, bytes)?),
            Self::Dh(g) => Secret::Dh(DhSecret::from_bytes(g, bytes)?),
        })
    }

    /// Decodes a peer's public element: an uncompressed point on the curve
    /// (§4.4.3.2: only uncompressed points), or a subgroup element.
    ///
    /// # Errors
    /// [`GroupError`] for anything that is not a valid element.
    pub fn decode(self, bytes: &[u8]) -> Result<Element, GroupError> {
        Ok(match self {
            Self::Ec(c) => {
                if bytes.first() != Some(&0x04) {
                    return Err(GroupError::Malformed {
                        what: "PACE requires an uncompressed point",
                    });
                }
                Element::Ec(EcPoint::from_sec1(c, bytes)?)
            }
            Self::Dh(g) => Element::Dh(DhElement::from_bytes(g, bytes)?),
        })
    }

    /// Generic Mapping: Ĝ = s·G + H, ĝ = g^s·h (§4.4.3.3.1).
    ///
    /// # Errors
    /// [`GroupError`] when H belongs to another group or the result is the
    /// identity.
    pub fn map_generic(self, s: &[u8], h: &Element) -> Result<Element, GroupError> {
        match (self, h) {
            (Self::Ec(_), Element::Ec(h)) => Ok(Element::Ec(map_generator_gm(s, h)?)),
            (Self::Dh(_), Element::Dh(h)) => Ok(Element::Dh(map_generator_gm_dh(s, h)?)),
            _ => Err(GroupError::Malformed {
                what: "element of another group",
            }),
        }
    }

    /// Integrated Mapping: Ĝ = f_G(R_p(s, t)) from the output of the
    /// pseudo-random function (§4.4.3.3.2).
    ///
    /// # Errors
    /// [`GroupError`] when the mapping yields no generator.
    pub fn map_integrated(self, r: &[u8]) -> Result<Element, GroupError> {
        Ok(match self {
            Self::Ec(c) => Element::Ec(icao_point_encoding(c, r)?),
            Self::Dh(g) => Element::Dh(dh_integrated_mapping(g, r)?),
        })
    }
}

impl Secret {
    /// The public key on generator `g` (the standard or a mapped one).
    ///
    /// # Errors
    /// [`GroupError`] when `g` belongs to another group.
    pub fn public_on(&self, g: &Element) -> Result<Element, GroupError> {
        match (self, g) {
            (Self::Ec(s), Element::Ec(g)) => Ok(Element::Ec(s.public_key_on(g)?)),
            (Self::Dh(s), Element::Dh(g)) => Ok(Element::Dh(s.public_key_on(g)?)),
            _ => Err(GroupError::Malformed {
                what: "generator of another group",
            }),
        }
    }

    /// The Diffie-Hellman shared element with `peer`.
    ///
    /// # Errors
    /// [`GroupError`] for a peer of another group or an identity result.
    pub fn agree(&self, peer: &Element) -> Result<Element, GroupError> {
        match (self, peer) {
            (Self::Ec(s), Element::Ec(p)) => Ok(Element::Ec(s.diffie_hellman(p)?)),
            (Self::Dh(s), Element::Dh(p)) => Ok(Element::Dh(s.agree(p)?)),
            _ => Err(GroupError::Malformed {
                what: "peer of another group",
            }),
        }
    }
}

impl Element {
    /// The encoding sent in GENERAL AUTHENTICATE: `04 ‖ x ‖ y` for a point,
    /// the big-endian value padded to |p| for a field element.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        match self {
            Self::Ec(p) => p.to_sec1_uncompressed(),
            Self::Dh(e) => e.to_bytes(),
        }
    }

    /// The shared secret K taken from a Diffie-Hellman result: the
    /// x-coordinate of a point, the whole value of a field element
    /// (BSI TR-03111 §4.3.1, TR-03110-3 §A.2.3).
    #[must_use]
    pub fn shared_secret(&self) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(match self {
            Self::Ec(p) => p.x().to_vec(),
            Self::Dh(e) => e.to_bytes(),
        })
    }

    /// The public key data object the authentication tokens are computed
    /// over (§4.4.3.4, §9.4): `7F49 { 06 OID, 86 point | 84 value }`.
    #[must_use]
    pub fn public_key_data_object(&self, oid: &ObjectIdentifier) -> Vec<u8> {
        let mut inner = tlv::tlv(Tag(0x06), oid.as_bytes());
        match self {
            Self::Ec(p) => inner.extend(tlv::tlv(Tag(0x86), &p.to_sec1_uncompressed())),
            Self::Dh(e) => inner.extend(tlv::tlv(Tag(0x84), &e.to_bytes())),
        }
        tlv::tlv(Tag(0x7F49), &inner)
    }
}
