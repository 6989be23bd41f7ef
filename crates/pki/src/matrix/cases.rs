//! The cases of the passive-authentication matrix.
//!
//! Timeline (every case is verified at [`super::VERIFICATION_TIME`],
//! 2026-06-01): CSCA valid 2025-01-01 – 2040-01-01, DS 2025-06-01 –
//! 2035-06-01, CRL issued 2026-05-01 with nextUpdate 2026-08-01, signingTime
//! (where present) 2026-03-01. Default document: issuing state KOR, DG1 and
//! DG2, EF.SOD with the DS algorithm's digest, DS certificate embedded,
//! issuerAndSerialNumber, no signingTime; default store: the CSCA.

use std::collections::BTreeMap;

use chacha20::ChaCha20Rng;
use der::asn1::{Any, OctetString, Uint};
use der::{DateTime, Decode, Encode};
use mrtd_groups::{
    CurveCoefficients, CurveId, EcPoint, FieldId, ID_PRIME_FIELD, SpecifiedEcDomain,
};
use mrtd_lds::dg2::iso19794_5::{ColourSpace, FaceImageType, SourceType};
use mrtd_lds::sod::{DataGroupHash, LdsSecurityObject, LdsVersionInfo};
use mrtd_lds::{Dg1, Dg2, DgNumber, EfCom, FaceImage, ImageDataType, LdsVersion, UnicodeVersion};
use mrtd_mrz::{Mrz, MrzDate, MrzFields, MrzFormat, Sex};
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::KeyUsages;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;

use super::{Expected, KeyPool, MatrixCase, VERIFICATION_TIME, Verdict, date, derived_rng};
use crate::PkiError;
use crate::cert::{self, CertificateTemplate};
use crate::crl::{CrlParams, CrlReason, RevokedEntry, issue_crl};
use crate::encoding;
use crate::key::{
    DigestAlgorithm, KeyAlgorithm, KeyType, PssParams, SignatureScheme, SigningKey,
    ec_public_key_info_with_domain, pss_algorithm_identifier,
};
use crate::master_list::sign_master_list;
use crate::oid::ID_DATA;
use crate::profile::{
    CscaParams, DsParams, LinkParams, MasterListSignerParams, csca_template, ds_template,
    link_template, master_list_signer_template,
};
use crate::signed_data::{AttributeDeviation, SignOptions, SignerIdKind};
use crate::sod::{DocumentSigner, lds_security_object, sign_sod_with};
use crate::testpki::add_years;

/// The synthetic face (48×64 JPEG, downscaled from `test-vectors/sim/face.jpg`).
const FACE_JPEG: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../test-vectors/pki/face-48x64.jpg"
));

const ORG: &str = "O=mrtd test PKI (not a real authority)";

type Tweak = fn(&mut CertificateTemplate) -> Result<(), PkiError>;

/// A calendar date `(year, month, day)`.
type Ymd = (u16, u8, u8);

/// A signed-attribute case: name, description, how to break the options.
type AttributeCase = (&'static str, &'static str, fn(&mut SignOptions));

struct Ctx<'a> {
    pool: &'a mut KeyPool,
    seed: [u8; 32],
    cases: Vec<MatrixCase>,
}

/// A CSCA, its key and a Document Signer it issued.
struct Pki {
    csca: Certificate,
    csca_key: SigningKey,
    ds: DocumentSigner,
}

struct PkiSpec {
    csca_alg: KeyAlgorithm,
    ds_alg: KeyAlgorithm,
    explicit: bool,
    country: &'static str,
    csca_validity: (DateTime, DateTime),
    ds_validity: (DateTime, DateTime),
    csca_tweak: Option<Tweak>,
    ds_tweak: Option<Tweak>,
    /// Sign the DS certificate with this key label (EC P-256) instead of
    /// the CSCA's key.
    ds_signed_by: Option<&'static str>,
}

impl PkiSpec {
    fn standard() -> Result<Self, PkiError> {
        Ok(Self {
            csca_alg: KeyAlgorithm::EcdsaP256,
            ds_alg: KeyAlgorithm::EcdsaP256,
            explicit: false,
            country: "KR",
            csca_validity: (date(2025, 1, 1)?, date(2040, 1, 1)?),
            ds_validity: (date(2025, 6, 1)?, date(2035, 6, 1)?),
            csca_tweak: None,
            ds_tweak: None,
            ds_signed_by: None,
        })
    }

    fn algorithm(alg: KeyAlgorithm, explicit: bool) -> Result<Self, PkiError> {
        Ok(Self {
            csca_alg: alg,
            ds_alg: alg,
            explicit,
            ..Self::standard()?
        })
    }
}

/// Everything a case is assembled from; cases change parts of it.
struct Parts {
    pki: Pki,
    /// Data group files by number: every DG the document has.
    dgs: BTreeMap<u8, Vec<u8>>,
    /// DGs in the dump (and EF.COM).
    dump_dgs: Vec<u8>,
    sod: Vec<u8>,
    store: Vec<(String, Vec<u8>)>,
    algorithm: String,
    rng: ChaCha20Rng,
}

struct SodSpec {
    sod_dgs: Vec<u8>,
    lso_digest: Option<DigestAlgorithm>,
    lds_version: Option<(&'static str, &'static str)>,
    options: SignOptions,
}

impl Default for SodSpec {
    fn default() -> Self {
        Self {
            sod_dgs: vec![1, 2],
            lso_digest: None,
            lds_version: None,
            options: SignOptions::default(),
        }
    }
}

/// Expected result under construction.
struct Expect {
    verdict: Verdict,
    failing: Option<&'static str>,
    description: String,
    status: BTreeMap<String, String>,
    import_may_reject: bool,
}

fn valid(description: impl Into<String>) -> Expect {
    Expect {
        verdict: Verdict::Valid,
        failing: None,
        description: description.into(),
        status: BTreeMap::new(),
        import_may_reject: false,
    }
    .status("sod.signature", "pass")
    .status("ds.signature", "pass")
}

fn invalid(check: &'static str, description: impl Into<String>) -> Expect {
    Expect {
        verdict: Verdict::Invalid,
        failing: Some(check),
        description: description.into(),
        status: BTreeMap::new(),
        import_may_reject: false,
    }
}

fn unknown(description: impl Into<String>) -> Expect {
    Expect {
        verdict: Verdict::Unknown,
        failing: None,
        description: description.into(),
        status: BTreeMap::new(),
        import_may_reject: false,
    }
    .status("csca.trust", "not-checked")
}

impl Expect {
    fn status(mut self, check: &str, status: &str) -> Self {
        self.status.insert(check.to_owned(), status.to_owned());
        self
    }

    fn may_reject_import(mut self) -> Self {
        self.import_may_reject = true;
        self
    }
}

impl Ctx<'_> {
    fn key(
        &mut self,
        role: &str,
        alg: KeyAlgorithm,
        explicit: bool,
    ) -> Result<SigningKey, PkiError> {
        let label = match alg.key_type() {
            KeyType::Ec(curve) => format!("{role}-ec-{}", curve.name().to_ascii_lowercase()),
            KeyType::Rsa { bits } => format!("{role}-rsa{bits}"),
        };
        Ok(self
            .pool
            .get(&label, alg.key_type())?
            .with_scheme(alg.scheme())?
            .with_explicit_parameters(explicit))
    }

    /// An extra P-256 key (the "attacker" or a second CSCA).
    fn other_key(&mut self, label: &str) -> Result<SigningKey, PkiError> {
        self.pool.get(label, KeyType::Ec(CurveId::P256))
    }

    fn pki(&mut self, rng: &mut ChaCha20Rng, spec: &PkiSpec) -> Result<Pki, PkiError> {
        let csca_key = self.key("csca", spec.csca_alg, spec.explicit)?;
        let csca = self.csca(
            rng,
            &csca_key,
            spec.country,
            "",
            spec.csca_validity,
            spec.csca_tweak,
        )?;
        let ds_key = self.key("ds", spec.ds_alg, spec.explicit)?;
        let mut template = ds_template(
            &csca,
            &ds_key.public_key_info()?,
            &DsParams {
                subject: name(&format!("CN=mrtd Test DS {} 1", spec.country), spec.country)?,
                not_before: spec.ds_validity.0,
                not_after: spec.ds_validity.1,
                document_types: vec!["P".to_owned()],
            },
        )?;
        if let Some(tweak) = spec.ds_tweak {
            tweak(&mut template)?;
        }
        let issuer_key = match spec.ds_signed_by {
            Some(label) => self.other_key(label)?,
            None => csca_key.clone(),
        };
        let ds = cert::issue(rng, &template, &issuer_key)?;
        // Unchecked: a tweak may have replaced the certified key's encoding
        // (explicit parameters of an unknown curve).
        Ok(Pki {
            csca,
            csca_key,
            ds: DocumentSigner::new_unchecked(ds, ds_key),
        })
    }

    fn csca(
        &mut self,
        rng: &mut ChaCha20Rng,
        key: &SigningKey,
        country: &str,
        suffix: &str,
        validity: (DateTime, DateTime),
        tweak: Option<Tweak>,
    ) -> Result<Certificate, PkiError> {
        let usage_end = add_years(validity.0, 5)?;
        let mut template = csca_template(
            &key.public_key_info()?,
            &CscaParams {
                subject: name(&format!("CN=mrtd Test CSCA {country}{suffix}"), country)?,
                not_before: validity.0,
                not_after: validity.1,
                private_key_usage_end: (usage_end <= validity.1).then_some(usage_end),
            },
        )?;
        if let Some(tweak) = tweak {
            tweak(&mut template)?;
        }
        cert::issue(rng, &template, key)
    }

    /// The standard pipeline: PKI, DG1 (issuing state) + DG2 (+ DG3, DG11,
    /// DG12 available), EF.SOD, store with the CSCA.
    fn parts(
        &mut self,
        name: &str,
        pki: &PkiSpec,
        issuing_state: &str,
        sod: &SodSpec,
    ) -> Result<Parts, PkiError> {
        let mut rng = derived_rng(&self.seed, "case", name);
        let built = self.pki(&mut rng, pki)?;
        let dgs = document(issuing_state)?;
        let sod_bytes = make_sod(&built.ds, &dgs, sod)?;
        let store = vec![("01-csca.der".to_owned(), der(&built.csca)?)];
        let algorithm = if pki.csca_alg == pki.ds_alg {
            format!(
                "{}{}",
                pki.ds_alg,
                if pki.explicit { " explicit" } else { "" }
            )
        } else {
            format!("CSCA {} / DS {}", pki.csca_alg, pki.ds_alg)
        };
        Ok(Parts {
            pki: built,
            dgs,
            dump_dgs: vec![1, 2],
            sod: sod_bytes,
            store,
            algorithm,
            rng,
        })
    }

    fn standard(&mut self, name: &str) -> Result<Parts, PkiError> {
        self.parts(name, &PkiSpec::standard()?, "KOR", &SodSpec::default())
    }

    fn with_sod(&mut self, name: &str, sod: &SodSpec) -> Result<Parts, PkiError> {
        self.parts(name, &PkiSpec::standard()?, "KOR", sod)
    }

    fn with_pki(&mut self, name: &str, pki: &PkiSpec) -> Result<Parts, PkiError> {
        self.parts(name, pki, "KOR", &SodSpec::default())
    }

    fn finish(&mut self, name: &str, parts: Parts, expect: Expect) -> Result<(), PkiError> {
        let mut dump = Vec::new();
        let com = EfCom {
            lds_version: LdsVersion::V1_7,
            unicode_version: UnicodeVersion::V4_0_0,
            data_groups: parts
                .dump_dgs
                .iter()
                .map(|&n| dg(n))
                .collect::<Result<_, _>>()?,
            unknown_tags: Vec::new(),
        };
        dump.push(("EF.COM.bin".to_owned(), com.to_bytes()));
        for n in &parts.dump_dgs {
            let bytes = parts
                .dgs
                .get(n)
                .ok_or_else(|| PkiError::InvalidInput(format!("DG{n} is not in the document")))?;
            dump.push((format!("EF.DG{n}.bin"), bytes.clone()));
        }
        dump.push(("EF.SOD.bin".to_owned(), parts.sod));
        if self.cases.iter().any(|c| c.name == name) {
            return Err(PkiError::InvalidInput(format!("duplicate case {name}")));
        }
        self.cases.push(MatrixCase {
            name: name.to_owned(),
            expected: Expected {
                description: expect.description,
                verdict: expect.verdict,
                failing_check: expect.failing.map(str::to_owned),
                other_failing_checks: Vec::new(),
                status: expect.status,
                at: VERIFICATION_TIME.to_owned(),
                issuing_state: None,
                import_may_reject: expect.import_may_reject,
            },
            dump,
            store: parts.store,
            algorithm: parts.algorithm,
        });
        Ok(())
    }
}

fn name(cn: &str, country: &str) -> Result<Name, PkiError> {
    format!("{cn},{ORG},C={country}")
        .parse()
        .map_err(PkiError::der("name"))
}

fn der<T: Encode>(value: &T) -> Result<Vec<u8>, PkiError> {
    value.to_der().map_err(PkiError::der("matrix object"))
}

fn dg(n: u8) -> Result<DgNumber, PkiError> {
    DgNumber::new(n).ok_or_else(|| PkiError::InvalidInput(format!("DG{n}")))
}

/// A BER-TLV with a one-byte-or-two-byte tag and a short/`81`/`82` length.
fn tlv(tag: &[u8], value: &[u8]) -> Vec<u8> {
    let mut out = tag.to_vec();
    let len = value.len();
    if len < 0x80 {
        out.push(len as u8);
    } else if len < 0x100 {
        out.extend_from_slice(&[0x81, len as u8]);
    } else {
        out.extend_from_slice(&[0x82, (len >> 8) as u8, len as u8]);
    }
    out.extend_from_slice(value);
    out
}

fn mrz(issuing_state: &str, surname: &str) -> Result<Mrz, PkiError> {
    let mrz_err = |e: mrtd_mrz::MrzError| PkiError::InvalidInput(format!("MRZ: {e}"));
    let fields = MrzFields {
        document_code: "P".into(),
        issuing_state: issuing_state.into(),
        primary_identifier: surname.into(),
        secondary_identifier: "GILDONG".into(),
        document_number: "M70000012".into(),
        nationality: issuing_state.into(),
        date_of_birth: MrzDate::new("850315").map_err(mrz_err)?,
        sex: Sex::Male,
        date_of_expiry: MrzDate::new("330914").map_err(mrz_err)?,
        optional_data: String::new(),
        optional_data_2: String::new(),
    };
    Mrz::encode(MrzFormat::Td3, &fields).map_err(mrz_err)
}

/// DG1 (MRZ of `issuing_state`), DG2 (the small face), and DG3, DG11,
/// DG12 for cases that need more data groups.
fn document(issuing_state: &str) -> Result<BTreeMap<u8, Vec<u8>>, PkiError> {
    let mut dgs = BTreeMap::new();
    dgs.insert(
        1,
        Dg1 {
            mrz: mrz(issuing_state, "HONG")?,
        }
        .to_bytes(),
    );
    let face = FaceImage {
        face_image_type: FaceImageType::FullFrontal,
        data_type: ImageDataType::Jpeg,
        width: 48,
        height: 64,
        colour_space: ColourSpace::Rgb24,
        source_type: SourceType::StaticPhotoDigitalCamera,
        device_type: 0,
        quality: 0,
        bytes: FACE_JPEG.to_vec(),
    };
    dgs.insert(
        2,
        Dg2::from_face(face)
            .to_bytes()
            .map_err(|e| PkiError::InvalidInput(format!("DG2: {e}")))?,
    );
    // DG3 (fingerprints): only its hash is ever used (EAC-protected, not
    // read); the content is an empty biometric group template.
    dgs.insert(3, tlv(&[0x63], &tlv(&[0x7F, 0x61], &tlv(&[0x02], &[0]))));
    // DG11: tag list + full name (Doc 9303-10 §4.7.11).
    let mut dg11 = tlv(&[0x5C], &[0x5F, 0x0E]);
    dg11.extend(tlv(&[0x5F, 0x0E], b"HONG<<GILDONG"));
    dgs.insert(11, tlv(&[0x6B], &dg11));
    // DG12: tag list + issuing authority (Doc 9303-10 §4.7.12).
    let mut dg12 = tlv(&[0x5C], &[0x5F, 0x19]);
    dg12.extend(tlv(&[0x5F, 0x19], b"MINISTRY OF FOREIGN AFFAIRS"));
    dgs.insert(12, tlv(&[0x6C], &dg12));
    Ok(dgs)
}

fn make_sod(
    ds: &DocumentSigner,
    dgs: &BTreeMap<u8, Vec<u8>>,
    spec: &SodSpec,
) -> Result<Vec<u8>, PkiError> {
    let lso = lso(ds, dgs, spec)?;
    sign_sod_with(&lso, ds, &spec.options)
}

fn lso(
    ds: &DocumentSigner,
    dgs: &BTreeMap<u8, Vec<u8>>,
    spec: &SodSpec,
) -> Result<Vec<u8>, PkiError> {
    let digest = spec
        .lso_digest
        .or(spec.options.digest)
        .unwrap_or_else(|| spec.options.scheme.unwrap_or(ds.key().scheme()).digest());
    let listed = spec
        .sod_dgs
        .iter()
        .map(|n| {
            dgs.get(n)
                .map(|b| (*n, b.as_slice()))
                .ok_or_else(|| PkiError::InvalidInput(format!("DG{n} missing")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    lds_security_object(digest, &listed, spec.lds_version)
}

/// A certificate whose last signature byte is flipped (the DER structure
/// stays valid: the BIT STRING content is opaque).
fn corrupt_certificate_signature(cert: &Certificate) -> Result<Certificate, PkiError> {
    let mut bytes = der(cert)?;
    if let Some(last) = bytes.last_mut() {
        *last ^= 0x01;
    }
    Certificate::from_der(&bytes).map_err(PkiError::der("certificate"))
}

fn crl(
    pki: &Pki,
    key: &SigningKey,
    revoked: Vec<RevokedEntry>,
    next_update: DateTime,
) -> Result<CertificateList, PkiError> {
    issue_crl(
        &pki.csca,
        key,
        &CrlParams {
            this_update: date(2026, 5, 1)?,
            next_update: Some(next_update),
            crl_number: 7,
            revoked,
        },
    )
}

// --- certificate tweaks ------------------------------------------------

fn ku_digital_signature_and_cert_sign(t: &mut CertificateTemplate) -> Result<(), PkiError> {
    t.set_extension(cert::key_usage(
        KeyUsages::DigitalSignature | KeyUsages::KeyCertSign,
    )?);
    Ok(())
}

fn ku_non_repudiation_only(t: &mut CertificateTemplate) -> Result<(), PkiError> {
    t.set_extension(cert::key_usage(KeyUsages::NonRepudiation)?);
    Ok(())
}

fn add_ca_flag(t: &mut CertificateTemplate) -> Result<(), PkiError> {
    t.set_extension(cert::basic_constraints(true, Some(0))?);
    Ok(())
}

fn wrong_aki(t: &mut CertificateTemplate) -> Result<(), PkiError> {
    t.set_extension(cert::authority_key_identifier(&[0x5A; 20])?);
    Ok(())
}

fn wrong_issuer_name(t: &mut CertificateTemplate) -> Result<(), PkiError> {
    t.issuer = name("CN=mrtd Test CSCA KR Other", "KR")?;
    Ok(())
}

fn ds_country_jp(t: &mut CertificateTemplate) -> Result<(), PkiError> {
    t.subject = name("CN=mrtd Test DS JP 1", "JP")?;
    Ok(())
}

fn document_types_id_only(t: &mut CertificateTemplate) -> Result<(), PkiError> {
    t.set_extension(cert::document_type_list(&["ID"])?);
    Ok(())
}

fn csca_not_ca(t: &mut CertificateTemplate) -> Result<(), PkiError> {
    t.set_extension(cert::basic_constraints(false, None)?);
    Ok(())
}

fn csca_without_basic_constraints(t: &mut CertificateTemplate) -> Result<(), PkiError> {
    t.remove_extension(const_oid::db::rfc5912::ID_CE_BASIC_CONSTRAINTS);
    Ok(())
}

fn csca_crl_sign_only(t: &mut CertificateTemplate) -> Result<(), PkiError> {
    t.set_extension(cert::key_usage(KeyUsages::CRLSign)?);
    Ok(())
}

/// P-256's parameters with the base point 2·G: a curve "matching" P-256 in
/// p, a, b and n but with an attacker's generator (CVE-2020-0601).
fn p256_with_other_generator(t: &mut CertificateTemplate) -> Result<(), PkiError> {
    let mut domain = SpecifiedEcDomain::for_curve(CurveId::P256);
    let g2 = EcPoint::generator(CurveId::P256).mul_public(&[2])?;
    domain.base = OctetString::new(g2.to_sec1_uncompressed()).map_err(PkiError::der("base"))?;
    let point = t
        .subject_public_key_info
        .subject_public_key
        .as_bytes()
        .ok_or(PkiError::InvalidKey("public key bits"))?
        .to_vec();
    t.subject_public_key_info = ec_public_key_info_with_domain(&domain, &point)?;
    Ok(())
}

/// secp256k1 explicit parameters (a real curve, but not one Doc 9303 or
/// the whitelist allows), with its generator as the public key.
fn secp256k1_key(t: &mut CertificateTemplate) -> Result<(), PkiError> {
    let hex = |s: &str| -> Result<Vec<u8>, PkiError> {
        (0..s.len())
            .step_by(2)
            .map(|i| {
                u8::from_str_radix(&s[i..i + 2], 16)
                    .map_err(|_| PkiError::InvalidInput("hex".into()))
            })
            .collect()
    };
    let p = hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFC2F")?;
    let gx = hex("79BE667EF9DCBBAC55A06295CE870B07029BFCDB2DCE28D959F2815B16F81798")?;
    let gy = hex("483ADA7726A3C4655DA4FBFC0E1108A8FD17B448A68554199C47D08FFB10D4B8")?;
    let n = hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141")?;
    let mut g = vec![0x04];
    g.extend_from_slice(&gx);
    g.extend_from_slice(&gy);
    let mut b = vec![0u8; 32];
    b[31] = 7;
    let uint = |v: &[u8]| Uint::new(v).map_err(PkiError::der("INTEGER"));
    let domain = SpecifiedEcDomain {
        version: 1,
        field_id: FieldId {
            field_type: ID_PRIME_FIELD,
            parameters: Any::encode_from(&uint(&p)?).map_err(PkiError::der("prime"))?,
        },
        curve: CurveCoefficients {
            a: OctetString::new(vec![0u8; 32]).map_err(PkiError::der("a"))?,
            b: OctetString::new(b).map_err(PkiError::der("b"))?,
            seed: None,
        },
        base: OctetString::new(g.clone()).map_err(PkiError::der("base"))?,
        order: uint(&n)?,
        cofactor: Some(uint(&[1])?),
        hash: None,
    };
    t.subject_public_key_info = ec_public_key_info_with_domain(&domain, &g)?;
    Ok(())
}

// --- the cases -----------------------------------------------------------

pub(super) fn all(pool: &mut KeyPool) -> Result<Vec<MatrixCase>, PkiError> {
    let seed = super::MATRIX_SEED;
    let mut ctx = Ctx {
        pool,
        seed,
        cases: Vec::new(),
    };
    positive_algorithms(&mut ctx)?;
    positive_variants(&mut ctx)?;
    data_groups(&mut ctx)?;
    sod_signature_and_attributes(&mut ctx)?;
    sod_structure(&mut ctx)?;
    rsa_pss(&mut ctx)?;
    document_signer(&mut ctx)?;
    revocation(&mut ctx)?;
    csca(&mut ctx)?;
    links(&mut ctx)?;
    master_lists(&mut ctx)?;
    country(&mut ctx)?;
    algorithm_policy(&mut ctx)?;
    trust_anchor(&mut ctx)?;
    Ok(ctx.cases)
}

/// Every curve, named and explicit; RSA PKCS#1 v1.5 and PSS at every size.
fn positive_algorithms(ctx: &mut Ctx<'_>) -> Result<(), PkiError> {
    for curve in super::curves() {
        for explicit in [false, true] {
            let alg = KeyAlgorithm::ecdsa(curve);
            let form = if explicit { "explicit" } else { "named" };
            let name = format!("valid-{alg}-{form}");
            let parts = ctx.parts(
                &name,
                &PkiSpec::algorithm(alg, explicit)?,
                "KOR",
                &SodSpec::default(),
            )?;
            let expect = valid(format!(
                "CSCA and DS ECDSA on {curve} with {} ({form} domain parameters), all valid",
                alg.digest_algorithm()
            ))
            .status("algorithm.policy", "pass");
            ctx.finish(&name, parts, expect)?;
        }
    }
    let rsa: [(&str, KeyAlgorithm); 6] = [
        (
            "rsa2048-pkcs1",
            "rsa2048-pkcs1".parse().map_err(PkiError::InvalidInput)?,
        ),
        (
            "rsa3072-pkcs1-sha384",
            "rsa3072-pkcs1-sha384"
                .parse()
                .map_err(PkiError::InvalidInput)?,
        ),
        (
            "rsa4096-pkcs1-sha512",
            "rsa4096-pkcs1-sha512"
                .parse()
                .map_err(PkiError::InvalidInput)?,
        ),
        (
            "rsa2048-pss",
            "rsa2048-pss".parse().map_err(PkiError::InvalidInput)?,
        ),
        (
            "rsa3072-pss-sha384",
            "rsa3072-pss-sha384"
                .parse()
                .map_err(PkiError::InvalidInput)?,
        ),
        (
            "rsa4096-pss-sha512",
            "rsa4096-pss-sha512"
                .parse()
                .map_err(PkiError::InvalidInput)?,
        ),
    ];
    for (label, alg) in rsa {
        let name = format!("valid-{label}");
        let parts = ctx.with_pki(&name, &PkiSpec::algorithm(alg, false)?)?;
        let scheme = alg.scheme();
        ctx.finish(
            &name,
            parts,
            valid(format!(
                "CSCA and DS {} ({scheme}), all valid",
                alg.key_type()
            ))
            .status("algorithm.policy", "pass"),
        )?;
    }
    // PSS with a salt shorter than the hash: the verifier must take the
    // salt length from the parameters, not assume hLen.
    let name = "valid-rsa3072-pss-sha512-salt32";
    let mut spec = PkiSpec::algorithm(
        "rsa3072-pss-sha512"
            .parse()
            .map_err(PkiError::InvalidInput)?,
        false,
    )?;
    spec.csca_alg = "rsa3072-pss".parse().map_err(PkiError::InvalidInput)?;
    let scheme = SignatureScheme::RsaPss(PssParams {
        digest: DigestAlgorithm::Sha512,
        salt_len: 32,
    });
    let sod = SodSpec {
        options: SignOptions {
            scheme: Some(scheme),
            ..SignOptions::default()
        },
        ..SodSpec::default()
    };
    let parts = ctx.parts(name, &spec, "KOR", &sod)?;
    ctx.finish(
        name,
        parts,
        valid("EF.SOD signed with RSASSA-PSS SHA-512, MGF1-SHA-512, salt length 32 (not the hash length)")
            .status("algorithm.policy", "pass"),
    )?;
    Ok(())
}

/// Valid documents in the other shapes Doc 9303 allows.
fn positive_variants(ctx: &mut Ctx<'_>) -> Result<(), PkiError> {
    for digest in [
        DigestAlgorithm::Sha224,
        DigestAlgorithm::Sha384,
        DigestAlgorithm::Sha512,
    ] {
        let name = format!("valid-lso-{}", digest.name());
        let parts = ctx.with_sod(
            &name,
            &SodSpec {
                lso_digest: Some(digest),
                ..SodSpec::default()
            },
        )?;
        ctx.finish(
            &name,
            parts,
            valid(format!(
                "data group hashes with {digest}, EF.SOD signature with ECDSA-SHA-256"
            )),
        )?;
    }
    let name = "valid-sid-subject-key-identifier";
    let parts = ctx.with_sod(
        name,
        &SodSpec {
            options: SignOptions {
                sid: SignerIdKind::SubjectKeyIdentifier,
                ..SignOptions::default()
            },
            ..SodSpec::default()
        },
    )?;
    ctx.finish(
        name,
        parts,
        valid("SignerInfo v3 identifies the DS by subjectKeyIdentifier")
            .status("sod.signer", "pass"),
    )?;

    let name = "valid-signing-time";
    let parts = ctx.with_sod(
        name,
        &SodSpec {
            options: SignOptions {
                signing_time: Some(date(2026, 3, 1)?),
                ..SignOptions::default()
            },
            ..SodSpec::default()
        },
    )?;
    ctx.finish(
        name,
        parts,
        valid("signingTime attribute 2026-03-01, inside the DS validity")
            .status("ds.validity-at-signing", "pass"),
    )?;

    let name = "valid-lds-v1-version-info";
    let parts = ctx.with_sod(
        name,
        &SodSpec {
            lds_version: Some(("0108", "040000")),
            ..SodSpec::default()
        },
    )?;
    ctx.finish(
        name,
        parts,
        valid("LDSSecurityObject v1 with LDSVersionInfo 0108 / 040000"),
    )?;

    let name = "valid-ds-in-store-not-in-sod";
    let mut parts = ctx.with_sod(
        name,
        &SodSpec {
            options: SignOptions {
                include_signer_certificate: false,
                ..SignOptions::default()
            },
            ..SodSpec::default()
        },
    )?;
    parts
        .store
        .push(("02-ds.der".to_owned(), der(parts.pki.ds.certificate())?));
    ctx.finish(
        name,
        parts,
        valid("EF.SOD without certificates; the DS certificate comes from the store")
            .status("sod.signer", "pass"),
    )?;

    let name = "valid-many-data-groups";
    let mut parts = ctx.with_sod(
        name,
        &SodSpec {
            sod_dgs: vec![1, 2, 11, 12],
            ..SodSpec::default()
        },
    )?;
    parts.dump_dgs = vec![1, 2, 11, 12];
    ctx.finish(
        name,
        parts,
        valid("DG1, DG2, DG11 and DG12 read, all listed in EF.SOD"),
    )?;

    let name = "valid-dg3-listed-not-read";
    let mut parts = ctx.with_sod(
        name,
        &SodSpec {
            sod_dgs: vec![1, 2, 3],
            ..SodSpec::default()
        },
    )?;
    parts.dump_dgs = vec![1, 2];
    ctx.finish(
        name,
        parts,
        valid("DG3 (EAC-protected fingerprints) is in EF.SOD but was not read: not a failure"),
    )?;
    Ok(())
}

fn data_groups(ctx: &mut Ctx<'_>) -> Result<(), PkiError> {
    let name = "dg1-modified";
    let mut parts = ctx.standard(name)?;
    parts.dgs.insert(
        1,
        Dg1 {
            mrz: mrz("KOR", "KIM")?,
        }
        .to_bytes(),
    );
    ctx.finish(
        name,
        parts,
        invalid(
            "dg.hash.DG1",
            "DG1 (surname changed in the MRZ) modified after signing",
        ),
    )?;

    let name = "dg2-modified";
    let mut parts = ctx.standard(name)?;
    if let Some(dg2) = parts.dgs.get_mut(&2) {
        let at = dg2.len() - 10;
        dg2[at] ^= 0x01;
    }
    ctx.finish(
        name,
        parts,
        invalid(
            "dg.hash.DG2",
            "one bit of the face image in DG2 flipped after signing",
        ),
    )?;

    let name = "dg11-not-in-sod";
    let mut parts = ctx.standard(name)?;
    parts.dump_dgs = vec![1, 2, 11];
    ctx.finish(
        name,
        parts,
        invalid(
            "dg.unlisted.DG11",
            "DG11 was read (and is in EF.COM) but EF.SOD has no hash for it",
        ),
    )?;
    Ok(())
}

fn sod_signature_and_attributes(ctx: &mut Ctx<'_>) -> Result<(), PkiError> {
    let deviated = |f: &dyn Fn(&mut SignOptions)| {
        let mut options = SignOptions::default();
        f(&mut options);
        SodSpec {
            options,
            ..SodSpec::default()
        }
    };

    let name = "sod-signature-corrupted";
    let parts = ctx.with_sod(name, &deviated(&|o| o.deviations.corrupt_signature = true))?;
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.signature",
            "last byte of the ECDSA SignerInfo signature flipped",
        ),
    )?;

    let name = "sod-signature-corrupted-rsa-pkcs1";
    let spec = PkiSpec::algorithm(
        "rsa2048-pkcs1".parse().map_err(PkiError::InvalidInput)?,
        false,
    )?;
    let parts = ctx.parts(
        name,
        &spec,
        "KOR",
        &deviated(&|o| o.deviations.corrupt_signature = true),
    )?;
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.signature",
            "last byte of the RSA PKCS#1 v1.5 SignerInfo signature flipped",
        ),
    )?;

    let name = "sod-signed-by-other-key";
    let other = ctx.other_key("attacker-p256")?;
    let parts = ctx.with_sod(
        name,
        &deviated(&|o| o.deviations.signing_key = Some(other.clone())),
    )?;
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.signature",
            "EF.SOD signed by a key other than the embedded DS certificate's",
        ),
    )?;

    let name = "sod-signature-algorithm-rsa-with-ec-key";
    let parts = ctx.with_sod(
        name,
        &deviated(&|o| {
            o.deviations.signature_algorithm =
                Some(SignatureScheme::RsaPkcs1v15(DigestAlgorithm::Sha256).algorithm_identifier());
        }),
    )?;
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.signature",
            "signatureAlgorithm says sha256WithRSAEncryption but the DS key is ECDSA P-256",
        ),
    )?;

    let name = "sod-signed-attributes-absent";
    let parts = ctx.with_sod(
        name,
        &deviated(&|o| o.deviations.omit_signed_attributes = true),
    )?;
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.signed-attributes",
            "no signed attributes: the signature is over the eContent directly (RFC 5652 allows it, Doc 9303 does not)",
        ),
    )?;

    let cases: [AttributeCase; 4] = [
        (
            "sod-content-type-attribute-id-data",
            "content-type signed attribute is id-data, not the eContentType id-icao-ldsSecurityObject",
            |o| o.deviations.content_type_attribute = AttributeDeviation::Value(ID_DATA),
        ),
        (
            "sod-content-type-attribute-missing",
            "signed attributes without content-type",
            |o| o.deviations.content_type_attribute = AttributeDeviation::Omit,
        ),
        (
            "sod-content-type-attribute-twice",
            "the content-type signed attribute appears twice",
            |o| o.deviations.content_type_attribute = AttributeDeviation::Duplicate,
        ),
        (
            "sod-message-digest-attribute-missing",
            "signed attributes without message-digest",
            |o| o.deviations.message_digest_attribute = AttributeDeviation::Omit,
        ),
    ];
    for (name, description, f) in cases {
        let parts = ctx.with_sod(name, &deviated(&f))?;
        ctx.finish(name, parts, invalid("sod.signed-attributes", description))?;
    }
    let name = "sod-message-digest-attribute-twice";
    let parts = ctx.with_sod(
        name,
        &deviated(&|o| o.deviations.message_digest_attribute = AttributeDeviation::Duplicate),
    )?;
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.signed-attributes",
            "two message-digest signed attributes (both with the right value)",
        ),
    )?;

    let name = "sod-message-digest-wrong";
    let parts = ctx.with_sod(
        name,
        &deviated(&|o| {
            o.deviations.message_digest_attribute = AttributeDeviation::Value(
                DigestAlgorithm::Sha256.digest(b"another LDS security object"),
            );
        }),
    )?;
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.message-digest",
            "message-digest attribute (signed) is not the hash of the eContent",
        ),
    )?;

    // The realistic attack: change DG1, put its new hash into the
    // LDSSecurityObject, keep the old signature.
    let name = "sod-econtent-replaced";
    let mut parts = ctx.standard(name)?;
    let forged_dg1 = Dg1 {
        mrz: mrz("KOR", "KIM")?,
    }
    .to_bytes();
    let mut forged = parts.dgs.clone();
    forged.insert(1, forged_dg1.clone());
    let forged_lso = lso(&parts.pki.ds, &forged, &SodSpec::default())?;
    let mut options = SignOptions::default();
    options.deviations.econtent_after_signing = Some(forged_lso);
    parts.sod = make_sod(
        &parts.pki.ds,
        &parts.dgs,
        &SodSpec {
            options,
            ..SodSpec::default()
        },
    )?;
    parts.dgs.insert(1, forged_dg1);
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.message-digest",
            "DG1 changed and its new hash written into the LDSSecurityObject after signing (DG hashes match, the signature does not cover them)",
        )
        .status("dg.hash.DG1", "pass"),
    )?;

    let name = "sod-two-signer-infos";
    let parts = ctx.with_sod(
        name,
        &deviated(&|o| o.deviations.duplicate_signer_info = true),
    )?;
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.signer",
            "two SignerInfos (Doc 9303 requires exactly one)",
        ),
    )?;

    let name = "sod-sid-matches-no-certificate";
    let parts = ctx.with_sod(
        name,
        &deviated(&|o| {
            o.deviations.sid_serial_number = SerialNumber::new(&[0x12, 0x34, 0x56]).ok();
        }),
    )?;
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.signer",
            "issuerAndSerialNumber names serial 0x123456, which no certificate (SOD or store) has",
        ),
    )?;

    let name = "sod-ds-certificate-nowhere";
    let parts = ctx.with_sod(name, &deviated(&|o| o.include_signer_certificate = false))?;
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.signer",
            "EF.SOD without certificates and the DS certificate is not in the store",
        ),
    )?;
    Ok(())
}

fn sod_structure(ctx: &mut Ctx<'_>) -> Result<(), PkiError> {
    let name = "sod-trailing-bytes";
    let mut parts = ctx.standard(name)?;
    parts.sod.extend_from_slice(&[0x42, 0x42, 0x42, 0x42]);
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.structure",
            "four bytes after the EF.SOD [APPLICATION 23] object",
        ),
    )?;

    let name = "sod-ber-indefinite-length";
    let mut parts = ctx.standard(name)?;
    parts.sod = encoding::map_sod_content(&parts.sod, encoding::to_indefinite_length)?;
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.structure",
            "ContentInfo SEQUENCE with BER indefinite length (DER required); signature otherwise valid",
        ),
    )?;

    let name = "sod-ber-non-minimal-length";
    let mut parts = ctx.standard(name)?;
    parts.sod =
        encoding::map_sod_content(&parts.sod, |ci| encoding::with_non_minimal_length(ci, 1))?;
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.structure",
            "ContentInfo SEQUENCE length in a longer form than needed (BER, not DER)",
        ),
    )?;

    for version in [1u8, 4] {
        let name = format!("sod-signed-data-version-{version}");
        let mut options = SignOptions::default();
        options.deviations.signed_data_version = Some(version);
        let parts = ctx.with_sod(
            &name,
            &SodSpec {
                options,
                ..SodSpec::default()
            },
        )?;
        ctx.finish(
            &name,
            parts,
            invalid(
                "sod.structure",
                format!("SignedData version {version} instead of 3 (not covered by the signature)"),
            ),
        )?;
    }

    let name = "sod-econtent-type-id-data";
    let mut options = SignOptions::default();
    options.deviations.econtent_type = Some(ID_DATA);
    let parts = ctx.with_sod(
        name,
        &SodSpec {
            options,
            ..SodSpec::default()
        },
    )?;
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.structure",
            "eContentType id-data (content-type attribute consistent with it) instead of id-icao-ldsSecurityObject",
        ),
    )?;

    let name = "sod-content-info-not-signed-data";
    let mut options = SignOptions::default();
    options.deviations.content_type = Some(ID_DATA);
    let parts = ctx.with_sod(
        name,
        &SodSpec {
            options,
            ..SodSpec::default()
        },
    )?;
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.structure",
            "ContentInfo contentType id-data around a SignedData",
        ),
    )?;

    // LDSSecurityObject versions: built by hand so the version and the
    // presence of LDSVersionInfo disagree; signed correctly.
    let lso_cases: [(&str, i64, bool, &str); 3] = [
        (
            "sod-lds-object-version-2",
            2,
            false,
            "LDSSecurityObject version 2 (only v0 and v1 exist)",
        ),
        (
            "sod-lds-object-v1-without-version-info",
            1,
            false,
            "LDSSecurityObject v1 without the LDSVersionInfo v1 requires",
        ),
        (
            "sod-lds-object-v0-with-version-info",
            0,
            true,
            "LDSSecurityObject v0 carrying an LDSVersionInfo (only v1 may)",
        ),
    ];
    for (name, version, with_info, description) in lso_cases {
        let mut parts = ctx.standard(name)?;
        let digest = DigestAlgorithm::Sha256;
        let object = LdsSecurityObject {
            version,
            hash_algorithm: digest.algorithm_identifier(),
            data_group_hash_values: [1u8, 2]
                .iter()
                .map(|n| {
                    Ok(DataGroupHash {
                        data_group_number: i64::from(*n),
                        data_group_hash_value: OctetString::new(digest.digest(&parts.dgs[n]))
                            .map_err(PkiError::der("hash"))?,
                    })
                })
                .collect::<Result<_, PkiError>>()?,
            lds_version_info: if with_info {
                Some(LdsVersionInfo::new("0108", "040000").map_err(PkiError::der("version info"))?)
            } else {
                None
            },
        };
        parts.sod = sign_sod_with(&der(&object)?, &parts.pki.ds, &SignOptions::default())?;
        ctx.finish(name, parts, invalid("sod.structure", description))?;
    }
    Ok(())
}

fn rsa_pss(ctx: &mut Ctx<'_>) -> Result<(), PkiError> {
    let pss: KeyAlgorithm = "rsa2048-pss".parse().map_err(PkiError::InvalidInput)?;
    let spec = || PkiSpec::algorithm(pss, false);
    let with = |digest: Option<DigestAlgorithm>, scheme: Option<SignatureScheme>, declared| {
        let mut options = SignOptions {
            digest,
            scheme,
            ..SignOptions::default()
        };
        options.deviations.signature_algorithm = declared;
        SodSpec {
            options,
            ..SodSpec::default()
        }
    };
    let sha256 = DigestAlgorithm::Sha256;

    let name = "sod-pss-hash-differs-from-digest-algorithm";
    let sod = with(
        Some(sha256),
        Some(SignatureScheme::RsaPss(PssParams::new(
            DigestAlgorithm::Sha512,
        ))),
        None,
    );
    let parts = ctx.parts(name, &spec()?, "KOR", &sod)?;
    ctx.finish(
        name,
        parts,
        invalid(
            "sod.signature",
            "digestAlgorithm SHA-256 but RSASSA-PSS-params hashAlgorithm SHA-512 (RFC 4056 §3 requires the same)",
        ),
    )?;

    let declared = |salt: u8, trailer: u8| pss_algorithm_identifier(sha256, sha256, salt, trailer);
    let pss_cases: [(&str, spki::AlgorithmIdentifierOwned, &str); 4] = [
        (
            "sod-pss-salt-length-mismatch",
            declared(64, 1),
            "RSASSA-PSS-params say salt length 64, the signature was made with 32",
        ),
        (
            "sod-pss-salt-length-impossible",
            declared(240, 1),
            "RSASSA-PSS-params salt length 240 does not fit a 2048-bit modulus with SHA-256",
        ),
        (
            "sod-pss-trailer-field-2",
            declared(32, 2),
            "RSASSA-PSS-params trailerField 2 (only 1, 0xBC, is defined)",
        ),
        (
            "sod-pss-parameters-absent",
            spki::AlgorithmIdentifierOwned {
                oid: const_oid::db::rfc5912::ID_RSASSA_PSS,
                parameters: None,
            },
            "signatureAlgorithm id-RSASSA-PSS without parameters (RFC 4055 §3.1: MUST be present with a signature)",
        ),
    ];
    for (name, declared, description) in pss_cases {
        let sod = with(None, None, Some(declared));
        let parts = ctx.parts(name, &spec()?, "KOR", &sod)?;
        ctx.finish(name, parts, invalid("sod.signature", description))?;
    }
    Ok(())
}

fn document_signer(ctx: &mut Ctx<'_>) -> Result<(), PkiError> {
    let name = "ds-signed-by-other-key";
    let mut spec = PkiSpec::standard()?;
    spec.ds_signed_by = Some("attacker-p256");
    let parts = ctx.with_pki(name, &spec)?;
    ctx.finish(
        name,
        parts,
        invalid(
            "ds.signature",
            "DS certificate names the CSCA (issuer and AKI) but was signed by another key",
        ),
    )?;

    let name = "ds-signature-corrupted";
    let mut parts = ctx.standard(name)?;
    let bad = corrupt_certificate_signature(parts.pki.ds.certificate())?;
    parts.pki.ds = DocumentSigner::new(bad, parts.pki.ds.key().clone())?;
    let dgs = parts.dgs.clone();
    parts.sod = make_sod(&parts.pki.ds, &dgs, &SodSpec::default())?;
    ctx.finish(
        name,
        parts,
        invalid(
            "ds.signature",
            "last byte of the DS certificate's signature flipped",
        ),
    )?;

    let tweaks: [(&str, Tweak, &str, &str); 6] = [
        (
            "ds-issuer-name-mismatch",
            wrong_issuer_name,
            "ds.chain",
            "DS issuer name is not the CSCA's subject (AKI and signature are the CSCA's)",
        ),
        (
            "ds-authority-key-identifier-mismatch",
            wrong_aki,
            "ds.chain",
            "DS authorityKeyIdentifier matches no CSCA subjectKeyIdentifier (issuer name and signature are right)",
        ),
        (
            "ds-key-usage-adds-key-cert-sign",
            ku_digital_signature_and_cert_sign,
            "ds.key-usage",
            "DS keyUsage digitalSignature + keyCertSign",
        ),
        (
            "ds-key-usage-non-repudiation-only",
            ku_non_repudiation_only,
            "ds.key-usage",
            "DS keyUsage nonRepudiation without digitalSignature",
        ),
        (
            "ds-basic-constraints-ca",
            add_ca_flag,
            "ds.key-usage",
            "DS certificate with basicConstraints cA TRUE",
        ),
        (
            "ds-document-type-list-excludes-passport",
            document_types_id_only,
            "ds.key-usage",
            "DS Document Type List allows only ID cards, the MRZ says P (passport)",
        ),
    ];
    for (name, tweak, check, description) in tweaks {
        let mut spec = PkiSpec::standard()?;
        spec.ds_tweak = Some(tweak);
        let parts = ctx.with_pki(name, &spec)?;
        ctx.finish(name, parts, invalid(check, description))?;
    }

    let validity_cases: [(&str, Ymd, Ymd, &str); 2] = [
        (
            "ds-expired",
            (2025, 1, 1),
            (2026, 1, 1),
            "DS certificate expired on 2026-01-01",
        ),
        (
            "ds-not-yet-valid",
            (2026, 9, 1),
            (2036, 9, 1),
            "DS certificate valid only from 2026-09-01",
        ),
    ];
    for (name, from, to, description) in validity_cases {
        let mut spec = PkiSpec::standard()?;
        spec.ds_validity = (date(from.0, from.1, from.2)?, date(to.0, to.1, to.2)?);
        let parts = ctx.with_pki(name, &spec)?;
        ctx.finish(name, parts, invalid("ds.validity", description))?;
    }

    let name = "ds-not-valid-at-signing-time";
    let parts = ctx.with_sod(
        name,
        &SodSpec {
            options: SignOptions {
                signing_time: Some(date(2025, 3, 1)?),
                ..SignOptions::default()
            },
            ..SodSpec::default()
        },
    )?;
    ctx.finish(
        name,
        parts,
        invalid(
            "ds.validity-at-signing",
            "signingTime 2025-03-01 is before the DS certificate's notBefore 2025-06-01 (valid now)",
        )
        .status("ds.validity", "pass"),
    )?;
    Ok(())
}

fn revocation(ctx: &mut Ctx<'_>) -> Result<(), PkiError> {
    let next = date(2026, 8, 1)?;
    let revoked_at = date(2026, 4, 15)?;

    let name = "ds-revoked";
    let mut parts = ctx.standard(name)?;
    let entry = RevokedEntry::for_certificate(
        parts.pki.ds.certificate(),
        revoked_at,
        Some(CrlReason::KeyCompromise),
    );
    let list = crl(&parts.pki, &parts.pki.csca_key, vec![entry], next)?;
    parts.store.push(("02-crl.crl".to_owned(), der(&list)?));
    ctx.finish(
        name,
        parts,
        invalid(
            "ds.revocation",
            "the CSCA's CRL lists the DS serial (keyCompromise)",
        ),
    )?;

    let name = "ds-revoked-without-reason";
    let mut parts = ctx.standard(name)?;
    let entry = RevokedEntry::for_certificate(parts.pki.ds.certificate(), revoked_at, None);
    let list = crl(&parts.pki, &parts.pki.csca_key, vec![entry], next)?;
    parts.store.push(("02-crl.crl".to_owned(), der(&list)?));
    ctx.finish(
        name,
        parts,
        invalid(
            "ds.revocation",
            "the CSCA's CRL lists the DS serial, no reasonCode",
        ),
    )?;

    let other_serial =
        || SerialNumber::new(&[0x01, 0x02, 0x03, 0x04]).map_err(PkiError::der("serial"));
    let name = "valid-crl-does-not-list-ds";
    let mut parts = ctx.standard(name)?;
    let entry = RevokedEntry {
        serial_number: other_serial()?,
        revocation_date: revoked_at,
        reason: Some(CrlReason::Superseded),
    };
    let list = crl(&parts.pki, &parts.pki.csca_key, vec![entry], next)?;
    parts.store.push(("02-crl.crl".to_owned(), der(&list)?));
    ctx.finish(
        name,
        parts,
        valid("a current CRL of the CSCA revokes another certificate, not the DS")
            .status("ds.revocation", "pass"),
    )?;

    let name = "warn-crl-stale";
    let mut parts = ctx.standard(name)?;
    let list = crl(
        &parts.pki,
        &parts.pki.csca_key,
        Vec::new(),
        date(2026, 5, 15)?,
    )?;
    parts.store.push(("02-crl.crl".to_owned(), der(&list)?));
    ctx.finish(
        name,
        parts,
        valid(
            "the CSCA's only CRL (empty) has nextUpdate 2026-05-15, before the verification time",
        )
        .status("ds.revocation", "warn"),
    )?;

    // A forged CRL that revokes nothing: a verifier that does not check the
    // CRL signature would wrongly pass ds.revocation.
    let name = "crl-forged";
    let mut parts = ctx.standard(name)?;
    let attacker = ctx.other_key("attacker-p256")?;
    let list = crl(&parts.pki, &attacker, Vec::new(), next)?;
    parts.store.push(("02-crl.crl".to_owned(), der(&list)?));
    ctx.finish(
        name,
        parts,
        invalid(
            "ds.revocation",
            "a CRL in the CSCA's name (issuer, AKI) signed by another key",
        )
        .may_reject_import(),
    )?;
    Ok(())
}

fn csca(ctx: &mut Ctx<'_>) -> Result<(), PkiError> {
    let validity_cases: [(&str, Ymd, Ymd, &str); 2] = [
        (
            "csca-expired",
            (2011, 1, 1),
            (2026, 1, 1),
            "CSCA certificate expired on 2026-01-01 (the DS is still valid)",
        ),
        (
            "csca-not-yet-valid",
            (2026, 9, 1),
            (2041, 9, 1),
            "CSCA certificate valid only from 2026-09-01",
        ),
    ];
    for (name, from, to, description) in validity_cases {
        let mut spec = PkiSpec::standard()?;
        spec.csca_validity = (date(from.0, from.1, from.2)?, date(to.0, to.1, to.2)?);
        let parts = ctx.with_pki(name, &spec)?;
        ctx.finish(
            name,
            parts,
            invalid("csca.validity", description).status("ds.validity", "pass"),
        )?;
    }
    let tweaks: [(&str, Tweak, &str); 3] = [
        ("csca-not-ca", csca_not_ca, "CSCA basicConstraints cA FALSE"),
        (
            "csca-basic-constraints-absent",
            csca_without_basic_constraints,
            "CSCA certificate without basicConstraints",
        ),
        (
            "csca-key-usage-without-key-cert-sign",
            csca_crl_sign_only,
            "CSCA keyUsage cRLSign only, no keyCertSign",
        ),
    ];
    for (name, tweak, description) in tweaks {
        let mut spec = PkiSpec::standard()?;
        spec.csca_tweak = Some(tweak);
        let parts = ctx.with_pki(name, &spec)?;
        ctx.finish(name, parts, invalid("csca.constraints", description))?;
    }
    Ok(())
}

/// Old CSCA (2020) → link → new CSCA (2025) → DS; the store has the old
/// CSCA and the link certificate only. All generations keep the same
/// distinguished name, as most states do: the link certificates are
/// self-issued (so the CSCA's pathLenConstraint 0 allows them, RFC 5280
/// §4.2.1.9) and only the key identifiers tell the keys apart.
fn links(ctx: &mut Ctx<'_>) -> Result<(), PkiError> {
    struct LinkCase {
        name: &'static str,
        link_validity: (Ymd, Ymd),
        link_signed_by_attacker: bool,
        two_links: bool,
        expect: fn() -> Expect,
    }
    let cases = [
        LinkCase {
            name: "valid-link-certificate",
            link_validity: ((2025, 1, 1), (2035, 1, 1)),
            link_signed_by_attacker: false,
            two_links: false,
            expect: || {
                valid("store: the 2020 CSCA and a link certificate (same DN, new key) to the 2025 CSCA, which issued the DS")
                    .status("csca.link", "pass")
            },
        },
        LinkCase {
            name: "valid-link-chain-two-links",
            link_validity: ((2025, 1, 1), (2035, 1, 1)),
            link_signed_by_attacker: false,
            two_links: true,
            expect: || {
                valid("store: the 2020 CSCA and link certificates 2020→2023 and 2023→2025; the 2025 CSCA issued the DS")
                    .status("csca.link", "pass")
            },
        },
        LinkCase {
            name: "link-signed-by-other-key",
            link_validity: ((2025, 1, 1), (2035, 1, 1)),
            link_signed_by_attacker: true,
            two_links: false,
            expect: || {
                invalid(
                    "csca.link",
                    "link certificate naming the 2020 CSCA (issuer DN, AKI) but signed by another key",
                )
            },
        },
        LinkCase {
            name: "link-expired",
            link_validity: ((2020, 6, 1), (2026, 1, 1)),
            link_signed_by_attacker: false,
            two_links: false,
            expect: || {
                invalid(
                    "csca.link",
                    "link certificate to the 2025 CSCA expired on 2026-01-01",
                )
            },
        },
    ];
    for case in cases {
        let mut rng = derived_rng(&ctx.seed, "case", case.name);
        let alg = KeyAlgorithm::EcdsaP256;
        let old_key = ctx.key("csca", alg, false)?;
        let old = ctx.csca(
            &mut rng,
            &old_key,
            "KR",
            "",
            (date(2020, 1, 1)?, date(2035, 1, 1)?),
            None,
        )?;
        let mid_key = ctx.other_key("csca-2023-p256")?;
        let new_key = ctx.other_key("csca-2025-p256")?;
        let new = ctx.csca(
            &mut rng,
            &new_key,
            "KR",
            "",
            (date(2025, 1, 1)?, date(2040, 1, 1)?),
            None,
        )?;
        let link_params = LinkParams {
            not_before: date(
                case.link_validity.0.0,
                case.link_validity.0.1,
                case.link_validity.0.2,
            )?,
            not_after: date(
                case.link_validity.1.0,
                case.link_validity.1.1,
                case.link_validity.1.2,
            )?,
        };
        let mut links = Vec::new();
        if case.two_links {
            let mid = ctx.csca(
                &mut rng,
                &mid_key,
                "KR",
                "",
                (date(2023, 1, 1)?, date(2038, 1, 1)?),
                None,
            )?;
            let first = link_template(
                &old,
                &mid,
                &LinkParams {
                    not_before: date(2023, 1, 1)?,
                    not_after: date(2035, 1, 1)?,
                },
            )?;
            links.push(cert::issue(&mut rng, &first, &old_key)?);
            let second = link_template(&mid, &new, &link_params)?;
            links.push(cert::issue(&mut rng, &second, &mid_key)?);
        } else {
            let template = link_template(&old, &new, &link_params)?;
            let signer = if case.link_signed_by_attacker {
                ctx.other_key("attacker-p256")?
            } else {
                old_key.clone()
            };
            links.push(cert::issue(&mut rng, &template, &signer)?);
        }
        let ds_key = ctx.key("ds", alg, false)?;
        let ds_template = ds_template(
            &new,
            &ds_key.public_key_info()?,
            &DsParams {
                subject: name("CN=mrtd Test DS KR 1", "KR")?,
                not_before: date(2025, 6, 1)?,
                not_after: date(2035, 6, 1)?,
                document_types: vec!["P".to_owned()],
            },
        )?;
        let ds = DocumentSigner::new(cert::issue(&mut rng, &ds_template, &new_key)?, ds_key)?;
        let dgs = document("KOR")?;
        let sod = make_sod(&ds, &dgs, &SodSpec::default())?;
        let mut store = vec![("01-csca-2020.der".to_owned(), der(&old)?)];
        for (i, link) in links.iter().enumerate() {
            store.push((format!("0{}-link-{}.der", i + 2, i + 1), der(link)?));
        }
        let parts = Parts {
            pki: Pki {
                csca: new,
                csca_key: new_key,
                ds,
            },
            dgs,
            dump_dgs: vec![1, 2],
            sod,
            store,
            algorithm: alg.to_string(),
            rng,
        };
        ctx.finish(case.name, parts, (case.expect)())?;
    }
    Ok(())
}

fn master_lists(ctx: &mut Ctx<'_>) -> Result<(), PkiError> {
    for (name, corrupt) in [
        ("valid-master-list", false),
        ("unknown-master-list-signature-corrupted", true),
    ] {
        let mut parts = ctx.standard(name)?;
        let signer_key = ctx.other_key("ml-signer-p256")?;
        let template = master_list_signer_template(
            &parts.pki.csca,
            &signer_key.public_key_info()?,
            &MasterListSignerParams {
                subject: self::name("CN=mrtd Test Master List Signer KR", "KR")?,
                not_before: date(2025, 1, 1)?,
                not_after: date(2030, 1, 1)?,
            },
        )?;
        let signer_cert = cert::issue(&mut parts.rng, &template, &parts.pki.csca_key)?;
        let signer = DocumentSigner::new(signer_cert, signer_key)?;
        let mut options = SignOptions::default();
        options.deviations.corrupt_signature = corrupt;
        let ml = sign_master_list(std::slice::from_ref(&parts.pki.csca), &signer, &options)?;
        parts.store = vec![("01-masterlist.ml".to_owned(), ml)];
        let expect = if corrupt {
            unknown(
                "the only trust material is a master list whose signature does not verify: it must not be imported as trusted",
            )
            .may_reject_import()
        } else {
            valid(
                "store: only a CSCA master list (signed by a master-list signer of that CSCA) holding the CSCA",
            )
        };
        ctx.finish(name, parts, expect)?;
    }
    Ok(())
}

fn country(ctx: &mut Ctx<'_>) -> Result<(), PkiError> {
    let name = "issuer-country-mrz-d-csca-kr";
    let parts = ctx.parts(name, &PkiSpec::standard()?, "D", &SodSpec::default())?;
    ctx.finish(
        name,
        parts,
        invalid(
            "issuer.country",
            "MRZ issuing state D (Germany) but CSCA and DS of KR",
        ),
    )?;

    let name = "valid-issuer-country-d-de";
    let mut spec = PkiSpec::standard()?;
    spec.country = "DE";
    let parts = ctx.parts(name, &spec, "D", &SodSpec::default())?;
    ctx.finish(
        name,
        parts,
        valid("MRZ issuing state D, CSCA and DS C=DE (ICAO code D ↔ ISO 3166 DE)")
            .status("issuer.country", "pass"),
    )?;

    let name = "issuer-country-ds-jp-csca-kr";
    let mut spec = PkiSpec::standard()?;
    spec.ds_tweak = Some(ds_country_jp);
    let parts = ctx.with_pki(name, &spec)?;
    ctx.finish(
        name,
        parts,
        invalid(
            "issuer.country",
            "DS certificate C=JP issued by the KR CSCA for a KOR passport",
        ),
    )?;
    Ok(())
}

fn algorithm_policy(ctx: &mut Ctx<'_>) -> Result<(), PkiError> {
    let name = "algorithm-explicit-curve-other-generator";
    let mut spec = PkiSpec::standard()?;
    spec.ds_tweak = Some(p256_with_other_generator);
    let parts = ctx.with_pki(name, &spec)?;
    ctx.finish(
        name,
        parts,
        invalid(
            "algorithm.policy",
            "DS key with explicit P-256 parameters but base point 2·G (CVE-2020-0601 pattern); verifies only if G is ignored",
        ),
    )?;

    let name = "algorithm-explicit-curve-secp256k1";
    let mut spec = PkiSpec::standard()?;
    spec.ds_tweak = Some(secp256k1_key);
    let parts = ctx.with_pki(name, &spec)?;
    ctx.finish(
        name,
        parts,
        invalid(
            "algorithm.policy",
            "DS key with explicit secp256k1 parameters, a curve outside the ICAO whitelist",
        ),
    )?;

    let name = "algorithm-rsa-768-ds";
    let mut spec = PkiSpec::algorithm(
        "rsa2048-pkcs1".parse().map_err(PkiError::InvalidInput)?,
        false,
    )?;
    spec.ds_alg = "rsa768-pkcs1".parse().map_err(PkiError::InvalidInput)?;
    let parts = ctx.with_pki(name, &spec)?;
    ctx.finish(
        name,
        parts,
        invalid(
            "algorithm.policy",
            "DS RSA key of 768 bits (policy: below 1024 fails)",
        ),
    )?;

    let name = "warn-rsa-1024-ds";
    let mut spec = PkiSpec::algorithm(
        "rsa2048-pkcs1".parse().map_err(PkiError::InvalidInput)?,
        false,
    )?;
    spec.ds_alg = "rsa1024-pkcs1".parse().map_err(PkiError::InvalidInput)?;
    let parts = ctx.with_pki(name, &spec)?;
    ctx.finish(
        name,
        parts,
        valid("DS RSA key of 1024 bits: warned, not failed (policy: 1024–2047 warn)")
            .status("algorithm.policy", "warn"),
    )?;

    let name = "warn-sha1";
    let mut spec = PkiSpec::standard()?;
    spec.ds_alg = KeyAlgorithm::EcdsaP256.with_digest(DigestAlgorithm::Sha1);
    let parts = ctx.with_pki(name, &spec)?;
    ctx.finish(
        name,
        parts,
        valid("data group hashes and EF.SOD signature with SHA-1 (ecdsa-with-SHA1): warned, not failed")
            .status("algorithm.policy", "warn"),
    )?;
    Ok(())
}

fn trust_anchor(ctx: &mut Ctx<'_>) -> Result<(), PkiError> {
    let name = "unknown-empty-store";
    let mut parts = ctx.standard(name)?;
    parts.store.clear();
    ctx.finish(name, parts, unknown("empty trust store: no CSCA for KR"))?;

    let name = "unknown-other-country-csca";
    let mut parts = ctx.standard(name)?;
    let jp_key = ctx.other_key("csca-jp-p256")?;
    let jp = ctx.csca(
        &mut parts.rng,
        &jp_key,
        "JP",
        "",
        (date(2025, 1, 1)?, date(2040, 1, 1)?),
        None,
    )?;
    parts.store = vec![("01-csca-jp.der".to_owned(), der(&jp)?)];
    ctx.finish(name, parts, unknown("the store holds a CSCA of JP only"))?;
    Ok(())
}
