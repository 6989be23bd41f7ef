//! Signature verification written independently of the generator: the
//! algorithm comes from the AlgorithmIdentifier as found in the file, the
//! key from the SubjectPublicKeyInfo, EC through `mrtd-groups`
//! (`verify_prehash`, any curve, named or explicit parameters matched
//! against the whitelist) and RSA through `rsa` (PKCS#1 v1.5 and PSS with
//! the salt length of the parameters).

#![allow(dead_code)]

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912;
use der::asn1::{ObjectIdentifier as Oid, UintRef};
use der::referenced::OwnedToRef;
use der::{Decode, Encode};
use mrtd_groups::ecdsa::{SignatureFormat, verify_prehash};
use mrtd_pki::DigestAlgorithm;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};

/// ecdsa-with-SHA1.
const ECDSA_WITH_SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");

/// Verifies `signature` over `message` with `key`, under `algorithm`.
pub fn verify(
    key: &SubjectPublicKeyInfoOwned,
    algorithm: &AlgorithmIdentifierOwned,
    message: &[u8],
    signature: &[u8],
) -> Result<(), String> {
    let oid = algorithm.oid;
    let ecdsa = [
        (ECDSA_WITH_SHA1, DigestAlgorithm::Sha1),
        (rfc5912::ECDSA_WITH_SHA_224, DigestAlgorithm::Sha224),
        (rfc5912::ECDSA_WITH_SHA_256, DigestAlgorithm::Sha256),
        (rfc5912::ECDSA_WITH_SHA_384, DigestAlgorithm::Sha384),
        (rfc5912::ECDSA_WITH_SHA_512, DigestAlgorithm::Sha512),
    ];
    let pkcs1 = [
        (rfc5912::SHA_1_WITH_RSA_ENCRYPTION, DigestAlgorithm::Sha1),
        (
            rfc5912::SHA_224_WITH_RSA_ENCRYPTION,
            DigestAlgorithm::Sha224,
        ),
        (
            rfc5912::SHA_256_WITH_RSA_ENCRYPTION,
            DigestAlgorithm::Sha256,
        ),
        (
            rfc5912::SHA_384_WITH_RSA_ENCRYPTION,
            DigestAlgorithm::Sha384,
        ),
        (
            rfc5912::SHA_512_WITH_RSA_ENCRYPTION,
            DigestAlgorithm::Sha512,
        ),
    ];
    if let Some((_, digest)) = ecdsa.iter().find(|(o, _)| *o == oid) {
        if algorithm.parameters.is_some() {
            return Err("ecdsa-with-SHA* must have absent parameters".into());
        }
        let point = mrtd_groups::ec_public_key_from_spki(&key.owned_to_ref())
            .map_err(|e| format!("EC key: {e}"))?;
        return verify_prehash(
            &point,
            &digest.digest(message),
            signature,
            SignatureFormat::Der,
        )
        .map_err(|e| format!("ECDSA: {e}"));
    }
    let rsa_key = rsa_public_key(key)?;
    if let Some((_, digest)) = pkcs1.iter().find(|(o, _)| *o == oid) {
        let hash = digest.digest(message);
        let scheme = match digest {
            DigestAlgorithm::Sha1 => rsa::Pkcs1v15Sign::new::<sha1::Sha1>(),
            DigestAlgorithm::Sha224 => rsa::Pkcs1v15Sign::new::<sha2::Sha224>(),
            DigestAlgorithm::Sha256 => rsa::Pkcs1v15Sign::new::<sha2::Sha256>(),
            DigestAlgorithm::Sha384 => rsa::Pkcs1v15Sign::new::<sha2::Sha384>(),
            _ => rsa::Pkcs1v15Sign::new::<sha2::Sha512>(),
        };
        return rsa_key
            .verify(scheme, &hash, signature)
            .map_err(|e| format!("PKCS#1 v1.5: {e}"));
    }
    if oid == rfc5912::ID_RSASSA_PSS {
        let params_der = algorithm
            .parameters
            .as_ref()
            .ok_or("RSASSA-PSS without parameters")?
            .to_der()
            .map_err(|e| e.to_string())?;
        let params = pkcs1::RsaPssParams::<der::Any>::from_der(&params_der)
            .map_err(|e| format!("RSASSA-PSS-params: {e}"))?;
        let digest = DigestAlgorithm::from_oid(&params.hash.oid).ok_or("PSS hash")?;
        let mgf_hash: Oid = params
            .mask_gen
            .parameters
            .as_ref()
            .ok_or("MGF1 parameters")?
            .oid;
        if params.mask_gen.oid != rfc5912::ID_MGF_1 || mgf_hash != params.hash.oid {
            return Err("MGF1 hash differs from the message hash".into());
        }
        if params.trailer_field != pkcs1::TrailerField::BC {
            return Err("trailer field".into());
        }
        let salt = usize::from(params.salt_len);
        let hash = digest.digest(message);
        let result = match digest {
            DigestAlgorithm::Sha1 => rsa_key.verify(
                rsa::pss::Pss::<sha1::Sha1>::new_with_salt(salt),
                &hash,
                signature,
            ),
            DigestAlgorithm::Sha224 => rsa_key.verify(
                rsa::pss::Pss::<sha2::Sha224>::new_with_salt(salt),
                &hash,
                signature,
            ),
            DigestAlgorithm::Sha256 => rsa_key.verify(
                rsa::pss::Pss::<sha2::Sha256>::new_with_salt(salt),
                &hash,
                signature,
            ),
            DigestAlgorithm::Sha384 => rsa_key.verify(
                rsa::pss::Pss::<sha2::Sha384>::new_with_salt(salt),
                &hash,
                signature,
            ),
            _ => rsa_key.verify(
                rsa::pss::Pss::<sha2::Sha512>::new_with_salt(salt),
                &hash,
                signature,
            ),
        };
        return result.map_err(|e| format!("PSS: {e}"));
    }
    Err(format!("unknown signature algorithm {oid}"))
}

/// The RSA key of an `rsaEncryption` SPKI, any size from 512 bits.
pub fn rsa_public_key(key: &SubjectPublicKeyInfoOwned) -> Result<rsa::PublicKey, String> {
    if key.algorithm.oid != rfc5912::RSA_ENCRYPTION {
        return Err(format!("not an RSA key: {}", key.algorithm.oid));
    }
    let bits = key.subject_public_key.as_bytes().ok_or("unused bits")?;
    let pk = pkcs1::RsaPublicKey::<UintRef<'_>>::from_der(bits).map_err(|e| e.to_string())?;
    let n_bytes = pk.modulus.as_bytes();
    let n_bits = u32::try_from(n_bytes.len() * 8).map_err(|e| e.to_string())?;
    let n = rsa::BoxedUint::from_be_slice(n_bytes, n_bits).map_err(|e| format!("{e:?}"))?;
    let e_bytes = pk.public_exponent.as_bytes();
    let e = rsa::BoxedUint::from_be_slice(e_bytes, u32::try_from(e_bytes.len() * 8).unwrap())
        .map_err(|e| format!("{e:?}"))?;
    rsa::PublicKey::new_with_size_limits(n, e, 512..=8192).map_err(|e| e.to_string())
}

/// RSA modulus length in bits of an `rsaEncryption` SPKI.
pub fn rsa_bits(key: &SubjectPublicKeyInfoOwned) -> usize {
    use rsa::traits::PublicKeyParts;
    rsa_public_key(key).unwrap().n().bit_width_vartime() as usize
}
