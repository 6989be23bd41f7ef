//! The three RFC 5114 MODP groups with prime-order subgroups that PACE-DH
//! and Chip Authentication DH may use (standardized parameter IDs 0–2 of
//! BSI TR-03110-3 Table 4 / Doc 9303-11 §9.5.1).
//!
//! The constants were taken from OpenSSL 3.0.19's built-in RFC 5114 groups
//! (`openssl genpkey -genparam -algorithm DHX -pkeyopt dh_rfc5114:N`); the
//! 1024-bit group also matches Doc 9303-11 Appendix G.2 verbatim. Tests check
//! `q | p−1` and `g^q = 1 ≠ g`.

use serde::{Deserialize, Serialize};

use crate::util::unhex;

/// An RFC 5114 finite-field Diffie-Hellman group: prime `p`, generator `g`
/// of the subgroup of prime order `q`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ModpGroup {
    /// RFC 5114 §2.1: 1024-bit MODP group with 160-bit prime-order subgroup.
    Rfc5114_1024_160,
    /// RFC 5114 §2.2: 2048-bit MODP group with 224-bit prime-order subgroup.
    Rfc5114_2048_224,
    /// RFC 5114 §2.3: 2048-bit MODP group with 256-bit prime-order subgroup.
    Rfc5114_2048_256,
}

/// The constant parameters of a [`ModpGroup`] as big-endian byte strings
/// (`p` and `g` are [`ModpGroup::p_len`] bytes, `q` is
/// [`ModpGroup::q_len`] bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModpParams {
    /// The prime modulus p.
    pub p: &'static [u8],
    /// The generator g of the order-q subgroup.
    pub g: &'static [u8],
    /// The prime order q of g.
    pub q: &'static [u8],
}

const RFC5114_1024_160: ModpParams = ModpParams {
    p: &unhex::<128>(concat!(
        "B10B8F96A080E01DDE92DE5EAE5D54EC52C99FBCFB06A3C69A6A9DCA52D23B61",
        "6073E28675A23D189838EF1E2EE652C013ECB4AEA906112324975C3CD49B83BF",
        "ACCBDD7D90C4BD7098488E9C219A73724EFFD6FAE5644738FAA31A4FF55BCCC0",
        "A151AF5F0DC8B4BD45BF37DF365C1A65E68CFDA76D4DA708DF1FB2BC2E4A4371"
    )),
    g: &unhex::<128>(concat!(
        "A4D1CBD5C3FD34126765A442EFB99905F8104DD258AC507FD6406CFF14266D31",
        "266FEA1E5C41564B777E690F5504F213160217B4B01B886A5E91547F9E2749F4",
        "D7FBD7D3B9A92EE1909D0D2263F80A76A6A24C087A091F531DBF0A0169B6A28A",
        "D662A4D18E73AFA32D779D5918D08BC8858F4DCEF97C2A24855E6EEB22B3B2E5"
    )),
    q: &unhex::<20>("F518AA8781A8DF278ABA4E7D64B7CB9D49462353"),
};

const RFC5114_2048_224: ModpParams = ModpParams {
    p: &unhex::<256>(concat!(
        "AD107E1E9123A9D0D660FAA79559C51FA20D64E5683B9FD1B54B1597B61D0A75",
        "E6FA141DF95A56DBAF9A3C407BA1DF15EB3D688A309C180E1DE6B85A1274A0A6",
        "6D3F8152AD6AC2129037C9EDEFDA4DF8D91E8FEF55B7394B7AD5B7D0B6C12207",
        "C9F98D11ED34DBF6C6BA0B2C8BBC27BE6A00E0A0B9C49708B3BF8A3170918836",
        "81286130BC8985DB1602E714415D9330278273C7DE31EFDC7310F7121FD5A074",
        "15987D9ADC0A486DCDF93ACC44328387315D75E198C641A480CD86A1B9E587E8",
        "BE60E69CC928B2B9C52172E413042E9B23F10B0E16E79763C9B53DCF4BA80A29",
        "E3FB73C16B8E75B97EF363E2FFA31F71CF9DE5384E71B81C0AC4DFFE0C10E64F"
    )),
    g: &unhex::<256>(concat!(
        "AC4032EF4F2D9AE39DF30B5C8FFDAC506CDEBE7B89998CAF74866A08CFE4FFE3",
        "A6824A4E10B9A6F0DD921F01A70C4AFAAB739D7700C29F52C57DB17C620A8652",
        "BE5E9001A8D66AD7C17669101999024AF4D027275AC1348BB8A762D0521BC98A",
        "E247150422EA1ED409939D54DA7460CDB5F6C6B250717CBEF180EB34118E98D1",
        "19529A45D6F834566E3025E316A330EFBB77A86F0C1AB15B051AE3D428C8F8AC",
        "B70A8137150B8EEB10E183EDD19963DDD9E263E4770589EF6AA21E7F5F2FF381",
        "B539CCE3409D13CD566AFBB48D6C019181E1BCFE94B30269EDFE72FE9B6AA4BD",
        "7B5A0F1C71CFFF4C19C418E1F6EC017981BC087F2A7065B384B890D3191F2BFA"
    )),
    q: &unhex::<28>("801C0D34C58D93FE997177101F80535A4738CEBCBF389A99B36371EB"),
};

const RFC5114_2048_256: ModpParams = ModpParams {
    p: &unhex::<256>(concat!(
        "87A8E61DB4B6663CFFBBD19C651959998CEEF608660DD0F25D2CEED4435E3B00",
        "E00DF8F1D61957D4FAF7DF4561B2AA3016C3D91134096FAA3BF4296D830E9A7C",
        "209E0C6497517ABD5A8A9D306BCF67ED91F9E6725B4758C022E0B1EF4275BF7B",
        "6C5BFC11D45F9088B941F54EB1E59BB8BC39A0BF12307F5C4FDB70C581B23F76",
        "B63ACAE1CAA6B7902D52526735488A0EF13C6D9A51BFA4AB3AD8347796524D8E",
        "F6A167B5A41825D967E144E5140564251CCACB83E6B486F6B3CA3F7971506026",
        "C0B857F689962856DED4010ABD0BE621C3A3960A54E710C375F26375D7014103",
        "A4B54330C198AF126116D2276E11715F693877FAD7EF09CADB094AE91E1A1597"
    )),
    g: &unhex::<256>(concat!(
        "3FB32C9B73134D0B2E77506660EDBD484CA7B18F21EF205407F4793A1A0BA125",
        "10DBC15077BE463FFF4FED4AAC0BB555BE3A6C1B0C6B47B1BC3773BF7E8C6F62",
        "901228F8C28CBB18A55AE31341000A650196F931C77A57F2DDF463E5E9EC144B",
        "777DE62AAAB8A8628AC376D282D6ED3864E67982428EBC831D14348F6F2F9193",
        "B5045AF2767164E1DFC967C1FB3F2E55A4BD1BFFE83B9C80D052B985D182EA0A",
        "DB2A3B7313D3FE14C8484B1E052588B9B7D2BBD2DF016199ECD06E1557CD0915",
        "B3353BBB64E0EC377FD028370DF92B52C7891428CDC67EB6184B523D1DB246C3",
        "2F63078490F00EF8D647D148D47954515E2327CFEF98C582664B4C0F6CC41659"
    )),
    q: &unhex::<32>("8CF83642A709A097B447997640129DA299B1A47D1EB3750BA308B0FE64F5FBD3"),
};

impl ModpGroup {
    /// All three groups, in the order of their standardized parameter IDs.
    pub const ALL: [ModpGroup; 3] = [
        ModpGroup::Rfc5114_1024_160,
        ModpGroup::Rfc5114_2048_224,
        ModpGroup::Rfc5114_2048_256,
    ];

    /// The group's constant parameters.
    pub const fn params(self) -> &'static ModpParams {
        match self {
            ModpGroup::Rfc5114_1024_160 => &RFC5114_1024_160,
            ModpGroup::Rfc5114_2048_224 => &RFC5114_2048_224,
            ModpGroup::Rfc5114_2048_256 => &RFC5114_2048_256,
        }
    }

    /// A descriptive name.
    pub const fn name(self) -> &'static str {
        match self {
            ModpGroup::Rfc5114_1024_160 => "RFC 5114 1024-bit MODP group with 160-bit subgroup",
            ModpGroup::Rfc5114_2048_224 => "RFC 5114 2048-bit MODP group with 224-bit subgroup",
            ModpGroup::Rfc5114_2048_256 => "RFC 5114 2048-bit MODP group with 256-bit subgroup",
        }
    }

    /// Length in bytes of p, and of every encoded group element
    /// ([`crate::DhElement::to_bytes`]).
    pub const fn p_len(self) -> usize {
        self.params().p.len()
    }

    /// Length in bytes of the subgroup order q (and of a reduced exponent).
    pub const fn q_len(self) -> usize {
        self.params().q.len()
    }
}

impl core::fmt::Display for ModpGroup {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.name())
    }
}
