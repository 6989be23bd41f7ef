//! The eleven whitelisted elliptic curves and their domain parameters.
//!
//! These are the curves of the standardized domain parameters of BSI
//! TR-03110-3 Table 4 / Doc 9303-11 §9.5.1 (NIST P-192…P-521 from FIPS 186 /
//! SEC 2, Brainpool r1 curves from RFC 5639). The constants below were taken
//! from `openssl ecparam -name X -param_enc explicit` (OpenSSL 3.0.19) and
//! are checked by the tests (G on the curve, n·G = O, p and n odd, sizes).
//! They double as the whitelist against which explicit parameters in
//! certificates and DG14 are matched ([`crate::explicit`]): nothing outside
//! this table is ever used for arithmetic.

use const_oid::ObjectIdentifier;
use serde::{Deserialize, Serialize};

use crate::util::unhex;

/// One of the eleven prime-field elliptic curves eMRTDs may use.
///
/// All of them have cofactor 1 and (except P-224) `p ≡ 3 (mod 4)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum CurveId {
    /// NIST P-192 (secp192r1, prime192v1).
    P192,
    /// NIST P-224 (secp224r1).
    P224,
    /// NIST P-256 (secp256r1, prime256v1).
    P256,
    /// NIST P-384 (secp384r1).
    P384,
    /// NIST P-521 (secp521r1).
    P521,
    /// brainpoolP192r1 (RFC 5639).
    BrainpoolP192r1,
    /// brainpoolP224r1 (RFC 5639).
    BrainpoolP224r1,
    /// brainpoolP256r1 (RFC 5639).
    BrainpoolP256r1,
    /// brainpoolP320r1 (RFC 5639).
    BrainpoolP320r1,
    /// brainpoolP384r1 (RFC 5639).
    BrainpoolP384r1,
    /// brainpoolP512r1 (RFC 5639).
    BrainpoolP512r1,
}

/// The constant domain parameters `(p, a, b, G, n, h)` of a curve
/// `y² = x³ + a·x + b` over GF(p), as big-endian byte strings.
///
/// Field elements (`p`, `a`, `b`, `gx`, `gy`) are [`CurveId::field_len`]
/// bytes long, `n` is [`CurveId::order_len`] bytes long (leading zero bytes
/// included where the top bits are zero, as for P-521).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CurveParams {
    /// The field prime p.
    pub p: &'static [u8],
    /// Curve coefficient a.
    pub a: &'static [u8],
    /// Curve coefficient b.
    pub b: &'static [u8],
    /// Affine x-coordinate of the base point G.
    pub gx: &'static [u8],
    /// Affine y-coordinate of the base point G.
    pub gy: &'static [u8],
    /// The (prime) order n of G.
    pub n: &'static [u8],
    /// The cofactor h = #E / n (1 for every whitelisted curve).
    pub cofactor: u32,
    /// Bit length of p.
    pub field_bits: u32,
    /// Bit length of n.
    pub order_bits: u32,
}

const P192: CurveParams = CurveParams {
    p: &unhex::<24>("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFF"),
    a: &unhex::<24>("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFC"),
    b: &unhex::<24>("64210519E59C80E70FA7E9AB72243049FEB8DEECC146B9B1"),
    gx: &unhex::<24>("188DA80EB03090F67CBF20EB43A18800F4FF0AFD82FF1012"),
    gy: &unhex::<24>("07192B95FFC8DA78631011ED6B24CDD573F977A11E794811"),
    n: &unhex::<24>("FFFFFFFFFFFFFFFFFFFFFFFF99DEF836146BC9B1B4D22831"),
    cofactor: 1,
    field_bits: 192,
    order_bits: 192,
};

const P224: CurveParams = CurveParams {
    p: &unhex::<28>("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF000000000000000000000001"),
    a: &unhex::<28>("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFE"),
    b: &unhex::<28>("B4050A850C04B3ABF54132565044B0B7D7BFD8BA270B39432355FFB4"),
    gx: &unhex::<28>("B70E0CBD6BB4BF7F321390B94A03C1D356C21122343280D6115C1D21"),
    gy: &unhex::<28>("BD376388B5F723FB4C22DFE6CD4375A05A07476444D5819985007E34"),
    n: &unhex::<28>("FFFFFFFFFFFFFFFFFFFFFFFFFFFF16A2E0B8F03E13DD29455C5C2A3D"),
    cofactor: 1,
    field_bits: 224,
    order_bits: 224,
};

const P256: CurveParams = CurveParams {
    p: &unhex::<32>("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF"),
    a: &unhex::<32>("FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFC"),
    b: &unhex::<32>("5AC635D8AA3A93E7B3EBBD55769886BC651D06B0CC53B0F63BCE3C3E27D2604B"),
    gx: &unhex::<32>("6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296"),
    gy: &unhex::<32>("4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5"),
    n: &unhex::<32>("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551"),
    cofactor: 1,
    field_bits: 256,
    order_bits: 256,
};

const P384: CurveParams = CurveParams {
    p: &unhex::<48>(concat!(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFE",
        "FFFFFFFF0000000000000000FFFFFFFF"
    )),
    a: &unhex::<48>(concat!(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFE",
        "FFFFFFFF0000000000000000FFFFFFFC"
    )),
    b: &unhex::<48>(concat!(
        "B3312FA7E23EE7E4988E056BE3F82D19181D9C6EFE8141120314088F5013875A",
        "C656398D8A2ED19D2A85C8EDD3EC2AEF"
    )),
    gx: &unhex::<48>(concat!(
        "AA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A38",
        "5502F25DBF55296C3A545E3872760AB7"
    )),
    gy: &unhex::<48>(concat!(
        "3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C0",
        "0A60B1CE1D7E819D7A431D7C90EA0E5F"
    )),
    n: &unhex::<48>(concat!(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF",
        "581A0DB248B0A77AECEC196ACCC52973"
    )),
    cofactor: 1,
    field_bits: 384,
    order_bits: 384,
};

const P521: CurveParams = CurveParams {
    p: &unhex::<66>(concat!(
        "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "FFFF"
    )),
    a: &unhex::<66>(concat!(
        "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "FFFC"
    )),
    b: &unhex::<66>(concat!(
        "0051953EB9618E1C9A1F929A21A0B68540EEA2DA725B99B315F3B8B489918EF1",
        "09E156193951EC7E937B1652C0BD3BB1BF073573DF883D2C34F1EF451FD46B50",
        "3F00"
    )),
    gx: &unhex::<66>(concat!(
        "00C6858E06B70404E9CD9E3ECB662395B4429C648139053FB521F828AF606B4D",
        "3DBAA14B5E77EFE75928FE1DC127A2FFA8DE3348B3C1856A429BF97E7E31C2E5",
        "BD66"
    )),
    gy: &unhex::<66>(concat!(
        "011839296A789A3BC0045C8A5FB42C7D1BD998F54449579B446817AFBD17273E",
        "662C97EE72995EF42640C550B9013FAD0761353C7086A272C24088BE94769FD1",
        "6650"
    )),
    n: &unhex::<66>(concat!(
        "01FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF",
        "FFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E9138",
        "6409"
    )),
    cofactor: 1,
    field_bits: 521,
    order_bits: 521,
};

const BP192: CurveParams = CurveParams {
    p: &unhex::<24>("C302F41D932A36CDA7A3463093D18DB78FCE476DE1A86297"),
    a: &unhex::<24>("6A91174076B1E0E19C39C031FE8685C1CAE040E5C69A28EF"),
    b: &unhex::<24>("469A28EF7C28CCA3DC721D044F4496BCCA7EF4146FBF25C9"),
    gx: &unhex::<24>("C0A0647EAAB6A48753B033C56CB0F0900A2F5C4853375FD6"),
    gy: &unhex::<24>("14B690866ABD5BB88B5F4828C1490002E6773FA2FA299B8F"),
    n: &unhex::<24>("C302F41D932A36CDA7A3462F9E9E916B5BE8F1029AC4ACC1"),
    cofactor: 1,
    field_bits: 192,
    order_bits: 192,
};

const BP224: CurveParams = CurveParams {
    p: &unhex::<28>("D7C134AA264366862A18302575D1D787B09F075797DA89F57EC8C0FF"),
    a: &unhex::<28>("68A5E62CA9CE6C1C299803A6C1530B514E182AD8B0042A59CAD29F43"),
    b: &unhex::<28>("2580F63CCFE44138870713B1A92369E33E2135D266DBB372386C400B"),
    gx: &unhex::<28>("0D9029AD2C7E5CF4340823B2A87DC68C9E4CE3174C1E6EFDEE12C07D"),
    gy: &unhex::<28>("58AA56F772C0726F24C6B89E4ECDAC24354B9E99CAA3F6D3761402CD"),
    n: &unhex::<28>("D7C134AA264366862A18302575D0FB98D116BC4B6DDEBCA3A5A7939F"),
    cofactor: 1,
    field_bits: 224,
    order_bits: 224,
};

const BP256: CurveParams = CurveParams {
    p: &unhex::<32>("A9FB57DBA1EEA9BC3E660A909D838D726E3BF623D52620282013481D1F6E5377"),
    a: &unhex::<32>("7D5A0975FC2C3057EEF67530417AFFE7FB8055C126DC5C6CE94A4B44F330B5D9"),
    b: &unhex::<32>("26DC5C6CE94A4B44F330B5D9BBD77CBF958416295CF7E1CE6BCCDC18FF8C07B6"),
    gx: &unhex::<32>("8BD2AEB9CB7E57CB2C4B482FFC81B7AFB9DE27E1E3BD23C23A4453BD9ACE3262"),
    gy: &unhex::<32>("547EF835C3DAC4FD97F8461A14611DC9C27745132DED8E545C1D54C72F046997"),
    n: &unhex::<32>("A9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7"),
    cofactor: 1,
    field_bits: 256,
    order_bits: 256,
};

const BP320: CurveParams = CurveParams {
    p: &unhex::<40>(concat!(
        "D35E472036BC4FB7E13C785ED201E065F98FCFA6F6F40DEF4F92B9EC7893EC28",
        "FCD412B1F1B32E27"
    )),
    a: &unhex::<40>(concat!(
        "3EE30B568FBAB0F883CCEBD46D3F3BB8A2A73513F5EB79DA66190EB085FFA9F4",
        "92F375A97D860EB4"
    )),
    b: &unhex::<40>(concat!(
        "520883949DFDBC42D3AD198640688A6FE13F41349554B49ACC31DCCD88453981",
        "6F5EB4AC8FB1F1A6"
    )),
    gx: &unhex::<40>(concat!(
        "43BD7E9AFB53D8B85289BCC48EE5BFE6F20137D10A087EB6E7871E2A10A599C7",
        "10AF8D0D39E20611"
    )),
    gy: &unhex::<40>(concat!(
        "14FDD05545EC1CC8AB4093247F77275E0743FFED117182EAA9C77877AAAC6AC7",
        "D35245D1692E8EE1"
    )),
    n: &unhex::<40>(concat!(
        "D35E472036BC4FB7E13C785ED201E065F98FCFA5B68F12A32D482EC7EE8658E9",
        "8691555B44C59311"
    )),
    cofactor: 1,
    field_bits: 320,
    order_bits: 320,
};

const BP384: CurveParams = CurveParams {
    p: &unhex::<48>(concat!(
        "8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B412B1DA197FB71123",
        "ACD3A729901D1A71874700133107EC53"
    )),
    a: &unhex::<48>(concat!(
        "7BC382C63D8C150C3C72080ACE05AFA0C2BEA28E4FB22787139165EFBA91F90F",
        "8AA5814A503AD4EB04A8C7DD22CE2826"
    )),
    b: &unhex::<48>(concat!(
        "04A8C7DD22CE28268B39B55416F0447C2FB77DE107DCD2A62E880EA53EEB62D5",
        "7CB4390295DBC9943AB78696FA504C11"
    )),
    gx: &unhex::<48>(concat!(
        "1D1C64F068CF45FFA2A63A81B7C13F6B8847A3E77EF14FE3DB7FCAFE0CBD10E8",
        "E826E03436D646AAEF87B2E247D4AF1E"
    )),
    gy: &unhex::<48>(concat!(
        "8ABE1D7520F9C2A45CB1EB8E95CFD55262B70B29FEEC5864E19C054FF9912928",
        "0E4646217791811142820341263C5315"
    )),
    n: &unhex::<48>(concat!(
        "8CB91E82A3386D280F5D6F7E50E641DF152F7109ED5456B31F166E6CAC0425A7",
        "CF3AB6AF6B7FC3103B883202E9046565"
    )),
    cofactor: 1,
    field_bits: 384,
    order_bits: 384,
};

const BP512: CurveParams = CurveParams {
    p: &unhex::<64>(concat!(
        "AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA70330871",
        "7D4D9B009BC66842AECDA12AE6A380E62881FF2F2D82C68528AA6056583A48F3"
    )),
    a: &unhex::<64>(concat!(
        "7830A3318B603B89E2327145AC234CC594CBDD8D3DF91610A83441CAEA9863BC",
        "2DED5D5AA8253AA10A2EF1C98B9AC8B57F1117A72BF2C7B9E7C1AC4D77FC94CA"
    )),
    b: &unhex::<64>(concat!(
        "3DF91610A83441CAEA9863BC2DED5D5AA8253AA10A2EF1C98B9AC8B57F1117A7",
        "2BF2C7B9E7C1AC4D77FC94CADC083E67984050B75EBAE5DD2809BD638016F723"
    )),
    gx: &unhex::<64>(concat!(
        "81AEE4BDD82ED9645A21322E9C4C6A9385ED9F70B5D916C1B43B62EEF4D0098E",
        "FF3B1F78E2D0D48D50D1687B93B97D5F7C6D5047406A5E688B352209BCB9F822"
    )),
    gy: &unhex::<64>(concat!(
        "7DDE385D566332ECC0EABFA9CF7822FDF209F70024A57B1AA000C55B881F8111",
        "B2DCDE494A5F485E5BCA4BD88A2763AED1CA2B2FA8F0540678CD1E0F3AD80892"
    )),
    n: &unhex::<64>(concat!(
        "AADD9DB8DBE9C48B3FD4E6AE33C9FC07CB308DB3B3C9D20ED6639CCA70330870",
        "553E5C414CA92619418661197FAC10471DB1D381085DDADDB58796829CA90069"
    )),
    cofactor: 1,
    field_bits: 512,
    order_bits: 512,
};

impl CurveId {
    /// All eleven curves, in the order of their standardized parameter IDs.
    pub const ALL: [CurveId; 11] = [
        CurveId::P192,
        CurveId::BrainpoolP192r1,
        CurveId::P224,
        CurveId::BrainpoolP224r1,
        CurveId::P256,
        CurveId::BrainpoolP256r1,
        CurveId::BrainpoolP320r1,
        CurveId::P384,
        CurveId::BrainpoolP384r1,
        CurveId::BrainpoolP512r1,
        CurveId::P521,
    ];

    /// The curve's constant domain parameters.
    pub const fn params(self) -> &'static CurveParams {
        match self {
            CurveId::P192 => &P192,
            CurveId::P224 => &P224,
            CurveId::P256 => &P256,
            CurveId::P384 => &P384,
            CurveId::P521 => &P521,
            CurveId::BrainpoolP192r1 => &BP192,
            CurveId::BrainpoolP224r1 => &BP224,
            CurveId::BrainpoolP256r1 => &BP256,
            CurveId::BrainpoolP320r1 => &BP320,
            CurveId::BrainpoolP384r1 => &BP384,
            CurveId::BrainpoolP512r1 => &BP512,
        }
    }

    /// The named-curve OID (SEC 2 / RFC 5480 for NIST, RFC 5639 for
    /// Brainpool).
    pub const fn oid(self) -> ObjectIdentifier {
        match self {
            CurveId::P192 => ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.1"),
            CurveId::P224 => ObjectIdentifier::new_unwrap("1.3.132.0.33"),
            CurveId::P256 => ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7"),
            CurveId::P384 => ObjectIdentifier::new_unwrap("1.3.132.0.34"),
            CurveId::P521 => ObjectIdentifier::new_unwrap("1.3.132.0.35"),
            CurveId::BrainpoolP192r1 => ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.3"),
            CurveId::BrainpoolP224r1 => ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.5"),
            CurveId::BrainpoolP256r1 => ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.7"),
            CurveId::BrainpoolP320r1 => ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.9"),
            CurveId::BrainpoolP384r1 => ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.11"),
            CurveId::BrainpoolP512r1 => ObjectIdentifier::new_unwrap("1.3.36.3.3.2.8.1.1.13"),
        }
    }

    /// The curve named by `oid`, if it is one of the eleven.
    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.oid() == *oid)
    }

    /// The curve's conventional name (`secp256r1`, `brainpoolP256r1`, …).
    pub const fn name(self) -> &'static str {
        match self {
            CurveId::P192 => "secp192r1",
            CurveId::P224 => "secp224r1",
            CurveId::P256 => "secp256r1",
            CurveId::P384 => "secp384r1",
            CurveId::P521 => "secp521r1",
            CurveId::BrainpoolP192r1 => "brainpoolP192r1",
            CurveId::BrainpoolP224r1 => "brainpoolP224r1",
            CurveId::BrainpoolP256r1 => "brainpoolP256r1",
            CurveId::BrainpoolP320r1 => "brainpoolP320r1",
            CurveId::BrainpoolP384r1 => "brainpoolP384r1",
            CurveId::BrainpoolP512r1 => "brainpoolP512r1",
        }
    }

    /// Length in bytes of a field element (and of each coordinate of an
    /// uncompressed point): ⌈log₂ p / 8⌉.
    pub const fn field_len(self) -> usize {
        self.params().p.len()
    }

    /// Length in bytes of a scalar (private key, ECDSA r and s):
    /// ⌈log₂ n / 8⌉.
    pub const fn order_len(self) -> usize {
        self.params().n.len()
    }

    /// Bit length of the group order n (used for ECDSA digest truncation).
    pub const fn order_bits(self) -> u32 {
        self.params().order_bits
    }

    /// Bit length of the field prime p.
    pub const fn field_bits(self) -> u32 {
        self.params().field_bits
    }

    /// Whether `p ≡ 3 (mod 4)`, the precondition of the Doc 9303-11
    /// Integrated Mapping point encoding (false only for P-224).
    pub const fn p_is_3_mod_4(self) -> bool {
        let p = self.params().p;
        p[p.len() - 1] & 3 == 3
    }
}

impl core::fmt::Display for CurveId {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn oid_round_trip_and_names_are_unique() {
        for c in CurveId::ALL {
            assert_eq!(CurveId::from_oid(&c.oid()), Some(c));
        }
        let mut names: Vec<_> = CurveId::ALL.iter().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 11);
        assert_eq!(
            CurveId::from_oid(&ObjectIdentifier::new_unwrap("1.3.132.0.10")),
            None
        );
    }

    #[test]
    fn parameter_sizes_are_consistent() {
        for c in CurveId::ALL {
            let p = c.params();
            for (name, v) in [
                ("p", p.p),
                ("a", p.a),
                ("b", p.b),
                ("gx", p.gx),
                ("gy", p.gy),
            ] {
                assert_eq!(v.len(), c.field_len(), "{c} {name}");
            }
            assert_eq!(p.n.len(), c.order_len());
            assert_eq!(c.field_len(), (p.field_bits as usize).div_ceil(8));
            assert_eq!(c.order_len(), (p.order_bits as usize).div_ceil(8));
            // The top byte is not zero beyond what the bit length says.
            let lead = p.p[0].leading_zeros() as usize;
            assert_eq!(c.field_len() * 8 - lead, p.field_bits as usize, "{c}");
            let lead = p.n[0].leading_zeros() as usize;
            assert_eq!(c.order_len() * 8 - lead, p.order_bits as usize, "{c}");
            assert_eq!(p.p[c.field_len() - 1] & 1, 1, "{c}: p odd");
            assert_eq!(p.n[c.order_len() - 1] & 1, 1, "{c}: n odd");
            assert_eq!(p.cofactor, 1);
            assert_eq!(c.p_is_3_mod_4(), c != CurveId::P224);
        }
    }
}
