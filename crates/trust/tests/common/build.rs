//! A small PKI and EF.SOD builder for tests and the benchmark, on every
//! algorithm passports use (RSA PKCS#1 v1.5 and PSS, ECDSA on NIST and
//! Brainpool curves with named or explicit parameters). Certificates and
//! CMS are written with DER helpers, so nothing here depends on what the
//! verifier under test does.

use der::Encode;
use der::asn1::{BitString, ObjectIdentifier, OctetString, UtcTime};
use mrtd_groups::{CurveId, EcSecret, SpecifiedEcDomain, ecdsa};
use rand::rngs::ChaCha20Rng;
use rsa::traits::PublicKeyParts;
use sha2::Digest;
use x509_cert::ext::pkix::{BasicConstraints, KeyUsage, KeyUsages};

/// A key algorithm with its signature scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Algo {
    /// RSA PKCS#1 v1.5 with SHA-256.
    RsaPkcs1(usize),
    /// RSASSA-PSS with SHA-256, MGF1-SHA-256, salt 32.
    RsaPss(usize),
    /// ECDSA with SHA-256 (SHA-384/512 for the larger curves); explicit
    /// parameters when the flag is set.
    Ecdsa(CurveId, bool),
}

impl Algo {
    pub fn name(&self) -> String {
        match self {
            Algo::RsaPkcs1(b) => format!("RSA-{b} PKCS#1 v1.5"),
            Algo::RsaPss(b) => format!("RSA-{b} PSS"),
            Algo::Ecdsa(c, e) => format!("ECDSA {c}{}", if *e { " (explicit)" } else { "" }),
        }
    }

    fn hash_oid(&self) -> ObjectIdentifier {
        ObjectIdentifier::new_unwrap(match self.hash_len() {
            32 => "2.16.840.1.101.3.4.2.1",
            48 => "2.16.840.1.101.3.4.2.2",
            _ => "2.16.840.1.101.3.4.2.3",
        })
    }

    fn hash_len(&self) -> usize {
        match self {
            Algo::Ecdsa(c, _) if c.order_bits() > 384 => 64,
            Algo::Ecdsa(c, _) if c.order_bits() > 256 => 48,
            _ => 32,
        }
    }

    fn hash(&self, m: &[u8]) -> Vec<u8> {
        match self.hash_len() {
            32 => sha2::Sha256::digest(m).to_vec(),
            48 => sha2::Sha384::digest(m).to_vec(),
            _ => sha2::Sha512::digest(m).to_vec(),
        }
    }
}

/// A private key.
#[allow(clippy::large_enum_variant)]
pub enum Key {
    Rsa(rsa::PrivateKey, bool),
    Ec(EcSecret, bool),
}

pub fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let b = n.to_be_bytes();
        let skip = b.iter().take_while(|x| **x == 0).count();
        out.push(0x80 | (b.len() - skip) as u8);
        out.extend_from_slice(&b[skip..]);
    }
    out.extend_from_slice(content);
    out
}

pub fn seq(parts: &[&[u8]]) -> Vec<u8> {
    tlv(0x30, &parts.concat())
}

fn oid(s: &str) -> Vec<u8> {
    ObjectIdentifier::new_unwrap(s).to_der().unwrap()
}

impl Key {
    pub fn generate(algo: Algo, rng: &mut ChaCha20Rng) -> Self {
        match algo {
            Algo::RsaPkcs1(bits) => Key::Rsa(rsa::PrivateKey::new(rng, bits).unwrap(), false),
            Algo::RsaPss(bits) => Key::Rsa(rsa::PrivateKey::new(rng, bits).unwrap(), true),
            Algo::Ecdsa(c, explicit) => Key::Ec(EcSecret::random(c, rng), explicit),
        }
    }

    /// SubjectPublicKeyInfo DER.
    pub fn spki(&self) -> Vec<u8> {
        match self {
            Key::Rsa(k, _) => {
                let n = der::asn1::Uint::new(&k.n().to_be_bytes())
                    .unwrap()
                    .to_der()
                    .unwrap();
                let e = der::asn1::Uint::new(&k.e().to_be_bytes())
                    .unwrap()
                    .to_der()
                    .unwrap();
                let pk = seq(&[&n, &e]);
                seq(&[
                    &seq(&[&oid("1.2.840.113549.1.1.1"), &[0x05, 0x00]]),
                    &BitString::from_bytes(&pk).unwrap().to_der().unwrap(),
                ])
            }
            Key::Ec(k, explicit) => {
                let params = if *explicit {
                    SpecifiedEcDomain::for_curve(k.curve()).to_der().unwrap()
                } else {
                    k.curve().oid().to_der().unwrap()
                };
                seq(&[
                    &seq(&[&oid("1.2.840.10045.2.1"), &params]),
                    &BitString::from_bytes(&k.public_key().to_sec1_uncompressed())
                        .unwrap()
                        .to_der()
                        .unwrap(),
                ])
            }
        }
    }

    /// The signature AlgorithmIdentifier DER.
    pub fn sig_alg(&self, algo: Algo) -> Vec<u8> {
        match (self, algo) {
            (Key::Rsa(_, false), _) => seq(&[&oid("1.2.840.113549.1.1.11"), &[0x05, 0x00]]),
            (Key::Rsa(_, true), _) => {
                let sha256 = seq(&[&oid("2.16.840.1.101.3.4.2.1"), &[0x05, 0x00]]);
                let mgf = seq(&[&oid("1.2.840.113549.1.1.8"), &sha256]);
                let params = seq(&[
                    &tlv(0xA0, &sha256),
                    &tlv(0xA1, &mgf),
                    &tlv(0xA2, &[0x02, 0x01, 32]),
                ]);
                seq(&[&oid("1.2.840.113549.1.1.10"), &params])
            }
            (Key::Ec(..), a) => seq(&[&oid(match a.hash_len() {
                32 => "1.2.840.10045.4.3.2",
                48 => "1.2.840.10045.4.3.3",
                _ => "1.2.840.10045.4.3.4",
            })]),
        }
    }

    pub fn sign(&self, algo: Algo, message: &[u8], rng: &mut ChaCha20Rng) -> Vec<u8> {
        let h = algo.hash(message);
        match self {
            Key::Rsa(k, false) => k
                .sign(rsa::Pkcs1v15Sign::new::<sha2::Sha256>(), &h)
                .unwrap(),
            Key::Rsa(k, true) => k
                .sign_with_rng(rng, rsa::Pss::<sha2::Sha256>::new_with_salt(32), &h)
                .unwrap(),
            Key::Ec(k, _) => ecdsa::sign_prehash(k, &h, rng, ecdsa::SignatureFormat::Der).unwrap(),
        }
    }

    pub fn ski(&self) -> Vec<u8> {
        sha1::Sha1::digest(self.spki()).to_vec()
    }
}

fn ext(id: &str, critical: bool, value: &[u8]) -> Vec<u8> {
    let crit: Vec<u8> = if critical {
        vec![0x01, 0x01, 0xFF]
    } else {
        vec![]
    };
    seq(&[
        &oid(id),
        &crit,
        &OctetString::new(value).unwrap().to_der().unwrap(),
    ])
}

fn time(year: u16) -> Vec<u8> {
    UtcTime::from_date_time(der::DateTime::new(year, 1, 1, 0, 0, 0).unwrap())
        .unwrap()
        .to_der()
        .unwrap()
}

pub struct CertSpec<'a> {
    pub subject: &'a str,
    pub serial: u8,
    pub from: u16,
    pub to: u16,
    pub ca: bool,
}

/// A certificate for `subject_key`, signed by `issuer_key` as `issuer`.
pub fn certificate(
    spec: &CertSpec<'_>,
    subject_key: &Key,
    issuer: &str,
    issuer_key: &Key,
    algo: Algo,
    rng: &mut ChaCha20Rng,
) -> Vec<u8> {
    let name = |s: &str| {
        s.parse::<x509_cert::name::Name>()
            .unwrap()
            .to_der()
            .unwrap()
    };
    let mut exts = Vec::new();
    if spec.ca {
        exts.push(ext(
            "2.5.29.19",
            true,
            &BasicConstraints {
                ca: true,
                path_len_constraint: Some(0),
            }
            .to_der()
            .unwrap(),
        ));
        exts.push(ext(
            "2.5.29.15",
            true,
            &KeyUsage(KeyUsages::KeyCertSign | KeyUsages::CRLSign)
                .to_der()
                .unwrap(),
        ));
    } else {
        exts.push(ext(
            "2.5.29.15",
            true,
            &KeyUsage(KeyUsages::DigitalSignature.into())
                .to_der()
                .unwrap(),
        ));
    }
    exts.push(ext(
        "2.5.29.14",
        false,
        &OctetString::new(subject_key.ski())
            .unwrap()
            .to_der()
            .unwrap(),
    ));
    exts.push(ext(
        "2.5.29.35",
        false,
        &seq(&[&tlv(0x80, &issuer_key.ski())]),
    ));
    let sig_alg = issuer_key.sig_alg(algo);
    let tbs = seq(&[
        &tlv(0xA0, &[0x02, 0x01, 0x02]),
        &[0x02, 0x01, spec.serial],
        &sig_alg,
        &name(issuer),
        &seq(&[&time(spec.from), &time(spec.to)]),
        &name(spec.subject),
        &subject_key.spki(),
        &tlv(
            0xA3,
            &seq(&exts.iter().map(Vec::as_slice).collect::<Vec<_>>()),
        ),
    ]);
    let sig = issuer_key.sign(algo, &tbs, rng);
    seq(&[
        &tbs,
        &sig_alg,
        &BitString::from_bytes(&sig).unwrap().to_der().unwrap(),
    ])
}

/// A CSCA, a DS and the DS key, all on `algo`.
pub struct Pki {
    pub algo: Algo,
    pub csca: Vec<u8>,
    pub ds: Vec<u8>,
    pub ds_key: Key,
}

pub const CSCA_NAME: &str = "CN=Bench CSCA,O=mrtd tests,C=UT";
pub const DS_NAME: &str = "CN=Bench DS,O=mrtd tests,C=UT";

impl Pki {
    pub fn generate(algo: Algo, rng: &mut ChaCha20Rng) -> Self {
        let csca_key = Key::generate(algo, rng);
        let ds_key = Key::generate(algo, rng);
        let csca = certificate(
            &CertSpec {
                subject: CSCA_NAME,
                serial: 1,
                from: 2024,
                to: 2040,
                ca: true,
            },
            &csca_key,
            CSCA_NAME,
            &csca_key,
            algo,
            rng,
        );
        let ds = certificate(
            &CertSpec {
                subject: DS_NAME,
                serial: 2,
                from: 2024,
                to: 2035,
                ca: false,
            },
            &ds_key,
            CSCA_NAME,
            &csca_key,
            algo,
            rng,
        );
        Self {
            algo,
            csca,
            ds,
            ds_key,
        }
    }

    /// EF.SOD over the data groups, signed by the DS.
    pub fn sign_sod(&self, dgs: &[(u8, &[u8])], rng: &mut ChaCha20Rng) -> Vec<u8> {
        let algo = self.algo;
        let digest_alg = seq(&[&algo.hash_oid().to_der().unwrap()]);
        let hashes: Vec<Vec<u8>> = dgs
            .iter()
            .map(|(n, b)| {
                seq(&[
                    &[0x02, 0x01, *n],
                    &OctetString::new(algo.hash(b)).unwrap().to_der().unwrap(),
                ])
            })
            .collect();
        let lso = seq(&[
            &[0x02, 0x01, 0x00],
            &digest_alg,
            &seq(&hashes.iter().map(Vec::as_slice).collect::<Vec<_>>()),
        ]);
        let lso_oid = oid("2.23.136.1.1.1");
        let ct_attr = seq(&[&oid("1.2.840.113549.1.9.3"), &tlv(0x31, &lso_oid)]);
        let md_attr = seq(&[
            &oid("1.2.840.113549.1.9.4"),
            &tlv(
                0x31,
                &OctetString::new(algo.hash(&lso)).unwrap().to_der().unwrap(),
            ),
        ]);
        let mut attrs = [ct_attr, md_attr];
        attrs.sort();
        let signed_attrs = tlv(0x31, &attrs.concat());
        let signature = self.ds_key.sign(algo, &signed_attrs, rng);
        let mut implicit_attrs = signed_attrs.clone();
        implicit_attrs[0] = 0xA0;
        // sid: issuerAndSerialNumber of the DS (issuer = CSCA name, serial 2).
        let issuer = CSCA_NAME
            .parse::<x509_cert::name::Name>()
            .unwrap()
            .to_der()
            .unwrap();
        let signer_info = seq(&[
            &[0x02, 0x01, 0x01],
            &seq(&[&issuer, &[0x02, 0x01, 0x02]]),
            &digest_alg,
            &implicit_attrs,
            &self.ds_key.sig_alg(algo),
            &OctetString::new(signature).unwrap().to_der().unwrap(),
        ]);
        let signed_data = seq(&[
            &[0x02, 0x01, 0x03],
            &tlv(0x31, &digest_alg),
            &seq(&[
                &lso_oid,
                &tlv(0xA0, &OctetString::new(lso).unwrap().to_der().unwrap()),
            ]),
            &tlv(0xA0, &self.ds),
            &tlv(0x31, &signer_info),
        ]);
        let content_info = seq(&[&oid("1.2.840.113549.1.7.2"), &tlv(0xA0, &signed_data)]);
        tlv(0x77, &content_info)
    }
}
