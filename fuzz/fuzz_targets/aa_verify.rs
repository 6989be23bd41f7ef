//! Active Authentication verification (Doc 9303-11 §6.1) with hostile
//! signatures: `aa::verify` against fixed keys (the Bouncy Castle RSA-1024
//! key, a seeded RSA-2048 key, P-256, brainpoolP384r1), and the ISO/IEC
//! 9796-2 representative parser `iso9796::parse_representative` on
//! arbitrary and on well-formed-then-corrupted representatives.
//!
//! Invariants: no panic; no signature verifies but the Bouncy Castle
//! vector's (a seed; its complement n − s would be the same signature); a parsed
//! representative has the layout it claims (header, M1, hash of the named
//! length, trailer); a well-formed representative parses back to its own
//! M1 and hash, and a corrupted one never yields M1 and a hash that match.
//!
//! Input: mode (u8), then
//! - mode 0: key index (u8), hash for EC keys (u8), challenge (u8-length
//!   bytes), signature (rest);
//! - mode 1: representative (rest);
//! - mode 2: hash (u8), explicit trailer (u8), corruption position (u16)
//!   and xor (u8), challenge (u8-length bytes), M1 (rest).

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mrtd_fuzz::input::Input;
use mrtd_groups::CurveId;
use mrtd_protocol::aa::iso9796::{
    HEADER_PARTIAL_RECOVERY, TRAILER_EXPLICIT, TRAILER_IMPLICIT, message_representative,
    parse_representative,
};
use mrtd_protocol::aa::{self, AaDigest, AaPrivateKey, AaPublicKey};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;

/// The public key of the Bouncy Castle ISO/IEC 9796-2 vector (RSA-1024).
const BC_SPKI: &str = "30819F300D06092A864886F70D010101050003818D0030818902818100CDCBDABBF93BE8E8294E32B055256BBD0397735189BF75816341BB0D488D05D627991221DF7D59835C76A4BB4808ADEEB779E7794504E956ADC2A661B46904CDC71337DD29DDDD454124EF79CFDD7BC2C21952573CEFBA485CC38C6BD2428809B5A31A898A6B5648CAA4ED678D9743B589134B7187478996300EDBA16271A8610203010001";

/// The Bouncy Castle vector's signature over M2 = 00…00.
const BC_SIGNATURE: &str = "482E20D1EDDED34359C38F5E7C01203F9D6B2641CDCA5C404D49ADAEDE034C7481D781D043722587761C90468DE69C6585A1E8B9C322F90E1B580EEDAB3F6007D0C366CF92B4DB8B41C8314929DCE2BE889C0129123484D2FD3D12763D2EBFD12AC8E51D7061AFCA1A53DEDEC7B9A617472A78C952CCC72467AE008E5F132994";

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

fn bc_signature() -> Vec<u8> {
    unhex(BC_SIGNATURE)
}

fn keys() -> &'static [AaPublicKey] {
    static KEYS: OnceLock<Vec<AaPublicKey>> = OnceLock::new();
    KEYS.get_or_init(|| {
        let mut rng = ChaCha20Rng::seed_from_u64(0xAA);
        let bc = unhex(BC_SPKI);
        vec![
            AaPublicKey::from_spki_der(&bc).expect("BC key"),
            AaPrivateKey::generate_rsa(2048, &mut rng)
                .expect("RSA-2048")
                .public_key(),
            AaPrivateKey::generate_ec(CurveId::P256, &mut rng).public_key(),
            AaPrivateKey::generate_ec(CurveId::BrainpoolP384r1, &mut rng).public_key(),
        ]
    })
}

fn digest(b: u8) -> AaDigest {
    AaDigest::ALL[usize::from(b) % AaDigest::ALL.len()]
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    match input.u8() % 3 {
        0 => {
            let keys = keys();
            let index = usize::from(input.u8()) % keys.len();
            let ecdsa = digest(input.u8());
            let challenge = input.bytes_u8();
            let signature = input.rest();
            let result = aa::verify(&keys[index], challenge, signature, Some(ecdsa));
            // The only signature known for these keys is the Bouncy Castle
            // vector's (a seed): anything else verifying is a forgery.
            if result.is_ok() {
                assert_eq!((index, challenge), (0, &[0u8; 8][..]), "forged: {result:?}");
                assert_eq!(signature, &bc_signature()[..], "another signature verified");
            }
            let _ = result.map_err(|e| e.to_string());
        }
        1 => {
            let f = input.rest();
            if let Ok(r) = parse_representative(f) {
                let trailer = if r.explicit_trailer { 2 } else { 1 };
                assert_eq!(f.len(), 1 + r.m1.len() + r.hash.len() + trailer);
                assert_eq!(r.hash.len(), r.digest.output_len());
                assert_eq!(f[0], HEADER_PARTIAL_RECOVERY);
                assert_eq!(&f[1..1 + r.m1.len()], &r.m1[..]);
                match f.last() {
                    Some(&TRAILER_IMPLICIT) => assert_eq!(r.digest, AaDigest::Sha1),
                    Some(&TRAILER_EXPLICIT) => assert!(r.explicit_trailer),
                    other => panic!("accepted trailer {other:?}"),
                }
            }
        }
        _ => {
            let digest = digest(input.u8());
            let explicit = input.u8() & 1 == 1 || digest != AaDigest::Sha1;
            let position = usize::from(input.u16());
            let xor = input.u8();
            let challenge = input.bytes_u8();
            let m1 = input.rest();
            let mut f = message_representative(m1, challenge, digest, explicit);
            let len = f.len();
            f[position % len] ^= xor;
            let parsed = parse_representative(&f);
            let genuine = parsed.as_ref().is_ok_and(|r| {
                r.digest == digest && r.m1 == m1 && r.hash == r.digest.hash(&[&r.m1, challenge])
            });
            let consistent = parsed
                .as_ref()
                .is_ok_and(|r| r.hash == r.digest.hash(&[&r.m1, challenge]));
            if xor == 0 {
                assert!(
                    genuine,
                    "a well-formed representative was refused: {parsed:?}"
                );
            } else {
                assert!(!consistent, "a corrupted representative still matches");
            }
        }
    }
});
