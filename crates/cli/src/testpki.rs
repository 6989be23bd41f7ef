//! `mrtd testpki`: a test PKI (CSCA, Document Signer, master-list signer,
//! CRL, master list) with chosen algorithms, and EF.SOD signing over a
//! dump folder's data groups. **Test keys only**: the private keys are
//! written unencrypted next to the certificates.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use mrtd_pki::key::PssParams;
use mrtd_pki::set::{PkiSet, PkiSetOptions};
use mrtd_pki::signed_data::{SignOptions, SignerIdKind};
use mrtd_pki::{
    Certificate, DigestAlgorithm, DocumentSigner, KeyAlgorithm, SignatureScheme, SigningKey,
    lds_security_object, sign_sod_with,
};
use rand::SeedableRng;
use rand::rngs::ChaCha20Rng;

use crate::CmdResult;
use crate::exit::{Exit, Failure};

/// Arguments of `mrtd testpki`.
#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct TestPkiArgs {
    #[command(subcommand)]
    command: Option<TestPkiCommand>,

    #[command(flatten)]
    generate: GenerateArgs,
}

#[derive(Debug, Subcommand)]
enum TestPkiCommand {
    /// Generate a CSCA, DS, master-list signer, CRL and master list into a
    /// directory (the default action of `mrtd testpki`).
    Generate(GenerateArgs),
    /// Sign an EF.SOD over the data groups of a dump folder.
    SignSod(SignSodArgs),
}

/// `mrtd testpki [generate]`.
#[derive(Debug, Args)]
struct GenerateArgs {
    /// Key algorithm of the CSCA and the master-list signer (and of the DS
    /// unless --ds-algorithm): ecdsa-p224|p256|p384|p521|bp224|bp256|bp320|bp384|bp512,
    /// rsa<bits>-pkcs1|pss, optionally with a digest suffix (rsa4096-pss-sha512).
    #[arg(long, value_name = "ALG", default_value = "ecdsa-p256")]
    algorithm: KeyAlgorithm,

    /// Key algorithm of the Document Signer.
    #[arg(long, value_name = "ALG")]
    ds_algorithm: Option<KeyAlgorithm>,

    /// Encode EC public keys with explicit domain parameters (as
    /// Doc 9303-12 §4.1.6.3 asks) instead of the named-curve OID.
    #[arg(long)]
    explicit_params: bool,

    /// ISO 3166-1 alpha-2 country of every certificate.
    #[arg(long, value_name = "CC", default_value = "KR")]
    country: String,

    /// Seed: 64 hex digits, or any text (hashed with SHA-256). The same
    /// seed and options give the same files. Without it a random seed is
    /// drawn and printed.
    #[arg(long, value_name = "SEED")]
    seed: Option<String>,

    /// Start of every validity period (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", default_value = "2026-01-01")]
    not_before: String,

    /// Directory to write into (created if needed; existing files of the
    /// same names are replaced).
    #[arg(long, value_name = "DIR", required = true)]
    out: Option<PathBuf>,
}

/// `mrtd testpki sign-sod`.
#[derive(Debug, Args)]
struct SignSodArgs {
    /// Dump folder with EF.DG<n>.bin files (as `mrtd read --out` writes).
    #[arg(long, value_name = "DIR")]
    dump: PathBuf,

    /// Document Signer certificate (DER or PEM).
    #[arg(long, value_name = "DS.der")]
    ds: PathBuf,

    /// Document Signer private key (PKCS#8 DER).
    #[arg(long, value_name = "KEY.pk8")]
    key: PathBuf,

    /// Digest of the data group hashes and the signature (default: the
    /// key's: SHA-256 for RSA, the curve's for ECDSA).
    #[arg(long, value_name = "sha1|sha224|sha256|sha384|sha512")]
    digest: Option<DigestAlgorithm>,

    /// RSA signature scheme.
    #[arg(long, value_enum, default_value_t = RsaScheme::Pkcs1)]
    rsa_scheme: RsaScheme,

    /// Add a signingTime signed attribute (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    signing_time: Option<String>,

    /// Identify the signer by subjectKeyIdentifier instead of
    /// issuerAndSerialNumber.
    #[arg(long)]
    sid_ski: bool,

    /// Do not embed the DS certificate.
    #[arg(long)]
    no_certificate: bool,

    /// LDSSecurityObject v1 with this LDS version (e.g. 0108) and Unicode
    /// 040000; default v0.
    #[arg(long, value_name = "VERSION")]
    lds_version: Option<String>,

    /// Where to write EF.SOD (default: DIR/EF.SOD.bin).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// `--rsa-scheme`.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum RsaScheme {
    /// RSASSA-PKCS1-v1_5.
    Pkcs1,
    /// RSASSA-PSS, MGF1 with the same digest, salt of the digest's length.
    Pss,
}

/// Runs `mrtd testpki`.
pub fn run(args: &TestPkiArgs) -> CmdResult {
    match &args.command {
        None => generate(&args.generate),
        Some(TestPkiCommand::Generate(g)) => generate(g),
        Some(TestPkiCommand::SignSod(s)) => sign_sod(s),
    }
}

fn generate(args: &GenerateArgs) -> CmdResult {
    let out = args
        .out
        .as_ref()
        .ok_or_else(|| Failure::usage("--out DIR is required"))?;
    let (seed, seed_text) = match &args.seed {
        Some(text) => (seed_from_text(text), text.clone()),
        None => {
            let mut seed = [0u8; 32];
            rand::Rng::fill_bytes(&mut rand::rng(), &mut seed);
            (seed, hex::encode(seed))
        }
    };
    let options = PkiSetOptions {
        csca_algorithm: args.algorithm,
        ds_algorithm: args.ds_algorithm.unwrap_or(args.algorithm),
        explicit_parameters: args.explicit_params,
        country: args.country.to_ascii_uppercase(),
        not_before: parse_date(&args.not_before)?,
    };
    let mut rng = ChaCha20Rng::from_seed(seed);
    let set = PkiSet::generate(&mut rng, &options).map_err(|e| Failure::usage(e.to_string()))?;
    std::fs::create_dir_all(out)
        .map_err(|e| Failure::usage(format!("cannot create {}: {e}", out.display())))?;
    let files = set.files().map_err(|e| Failure::usage(e.to_string()))?;
    for (name, bytes) in &files {
        write(&out.join(name), bytes)?;
    }
    println!(
        "test PKI {} (CSCA {}, DS {}{}) written to {}: {}",
        options.country,
        options.csca_algorithm,
        options.ds_algorithm,
        if options.explicit_parameters {
            ", explicit EC parameters"
        } else {
            ""
        },
        out.display(),
        files.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(" ")
    );
    println!("seed: {seed_text}");
    println!(
        "TEST KEYS ONLY: the private keys are unencrypted; never trust this CSCA outside tests."
    );
    Ok(Exit::Success)
}

fn sign_sod(args: &SignSodArgs) -> CmdResult {
    let ds_bytes = read(&args.ds)?;
    let ds = parse_certificate(&ds_bytes)
        .map_err(|e| Failure::usage(format!("{}: not a certificate: {e}", args.ds.display())))?;
    let key = SigningKey::from_pkcs8_der(&read(&args.key)?)
        .map_err(|e| Failure::usage(format!("{}: {e}", args.key.display())))?;
    let digest = args.digest.unwrap_or_else(|| key.digest_algorithm());
    let scheme = match key.scheme() {
        SignatureScheme::Ecdsa(_) => SignatureScheme::Ecdsa(digest),
        _ => match args.rsa_scheme {
            RsaScheme::Pkcs1 => SignatureScheme::RsaPkcs1v15(digest),
            RsaScheme::Pss => SignatureScheme::RsaPss(PssParams::new(digest)),
        },
    };
    let key = key
        .with_scheme(scheme)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let signer = DocumentSigner::new(ds, key).map_err(|e| {
        Failure::usage(format!(
            "{} does not belong to {}: {e}",
            args.key.display(),
            args.ds.display()
        ))
    })?;

    let mut dgs = Vec::new();
    for n in 1..=16u8 {
        let path = args.dump.join(format!("EF.DG{n}.bin"));
        if path.is_file() {
            dgs.push((n, read(&path)?));
        }
    }
    if dgs.is_empty() {
        return Err(Failure::usage(format!(
            "{} has no EF.DG<n>.bin files",
            args.dump.display()
        )));
    }
    let lds_version = args.lds_version.as_deref().map(|v| (v, "040000"));
    let listed: Vec<(u8, &[u8])> = dgs.iter().map(|(n, b)| (*n, b.as_slice())).collect();
    let econtent = lds_security_object(digest, &listed, lds_version)
        .map_err(|e| Failure::usage(e.to_string()))?;
    let options = SignOptions {
        digest: Some(digest),
        scheme: Some(scheme),
        sid: if args.sid_ski {
            SignerIdKind::SubjectKeyIdentifier
        } else {
            SignerIdKind::IssuerAndSerialNumber
        },
        include_signer_certificate: !args.no_certificate,
        signing_time: args.signing_time.as_deref().map(parse_date).transpose()?,
        ..SignOptions::default()
    };
    let sod =
        sign_sod_with(&econtent, &signer, &options).map_err(|e| Failure::usage(e.to_string()))?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| args.dump.join("EF.SOD.bin"));
    write(&out, &sod)?;
    println!(
        "EF.SOD over {} with {scheme} written to {} ({} bytes)",
        dgs.iter()
            .map(|(n, _)| format!("DG{n}"))
            .collect::<Vec<_>>()
            .join(", "),
        out.display(),
        sod.len()
    );
    Ok(Exit::Success)
}

/// 64 hex digits are the seed itself; anything else is hashed.
fn seed_from_text(text: &str) -> [u8; 32] {
    if let Ok(bytes) = hex::decode(text.trim())
        && let Ok(seed) = <[u8; 32]>::try_from(bytes.as_slice())
    {
        return seed;
    }
    let digest = DigestAlgorithm::Sha256.digest(text.as_bytes());
    let mut seed = [0u8; 32];
    seed.copy_from_slice(&digest);
    seed
}

fn parse_date(text: &str) -> Result<der::DateTime, Failure> {
    let bad = || Failure::usage(format!("{text:?} is not a date YYYY-MM-DD"));
    let parts: Vec<&str> = text.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    let y: u16 = y.parse().map_err(|_| bad())?;
    let m: u8 = m.parse().map_err(|_| bad())?;
    let d: u8 = d.parse().map_err(|_| bad())?;
    der::DateTime::new(y, m, d, 0, 0, 0).map_err(|_| bad())
}

fn parse_certificate(bytes: &[u8]) -> Result<Certificate, String> {
    use der::{Decode, DecodePem};
    if bytes.starts_with(b"-----BEGIN") {
        Certificate::from_pem(bytes).map_err(|e| e.to_string())
    } else {
        Certificate::from_der(bytes).map_err(|e| e.to_string())
    }
}

fn read(path: &Path) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes)
        .map_err(|e| Failure::usage(format!("cannot write {}: {e}", path.display())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_and_dates() {
        let hex64 = "00".repeat(31) + "01";
        assert_eq!(seed_from_text(&hex64)[31], 1);
        assert_eq!(seed_from_text("abc"), seed_from_text("abc"));
        assert_ne!(seed_from_text("abc"), seed_from_text("abd"));
        assert_eq!(
            parse_date("2026-03-01").unwrap(),
            der::DateTime::new(2026, 3, 1, 0, 0, 0).unwrap()
        );
        for bad in ["2026-13-01", "2026-03", "x", "2026-03-01-02"] {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
    }

    /// `generate` writes a set that `sign-sod` then signs with, and the
    /// output is reproducible from the seed.
    #[test]
    fn generate_then_sign_sod() {
        let dir = tempfile::tempdir().unwrap();
        let pki = dir.path().join("pki");
        let args = |out: &Path| GenerateArgs {
            algorithm: "ecdsa-bp256".parse().unwrap(),
            ds_algorithm: Some("ecdsa-p384".parse().unwrap()),
            explicit_params: true,
            country: "de".into(),
            seed: Some("test seed".into()),
            not_before: "2026-01-01".into(),
            out: Some(out.to_path_buf()),
        };
        generate(&args(&pki)).unwrap();
        let again = dir.path().join("again");
        generate(&args(&again)).unwrap();
        for name in [
            "csca.der",
            "ds.der",
            "ds-key.pk8",
            "csca.crl",
            "masterlist.ml",
        ] {
            assert_eq!(
                std::fs::read(pki.join(name)).unwrap(),
                std::fs::read(again.join(name)).unwrap(),
                "{name}"
            );
        }
        let ds = std::fs::read(pki.join("ds.der")).unwrap();
        let ds = parse_certificate(&ds).unwrap();
        assert_eq!(
            ds.tbs_certificate()
                .subject()
                .country()
                .unwrap()
                .unwrap()
                .as_str(),
            "DE"
        );

        let dump = dir.path().join("dump");
        std::fs::create_dir_all(&dump).unwrap();
        std::fs::write(dump.join("EF.DG1.bin"), b"\x61\x03\x5f\x1f\x00").unwrap();
        std::fs::write(dump.join("EF.DG2.bin"), b"\x75\x00").unwrap();
        sign_sod(&SignSodArgs {
            dump: dump.clone(),
            ds: pki.join("ds.der"),
            key: pki.join("ds-key.pk8"),
            digest: Some(DigestAlgorithm::Sha256),
            rsa_scheme: RsaScheme::Pkcs1,
            signing_time: Some("2026-02-01".into()),
            sid_ski: true,
            no_certificate: false,
            lds_version: Some("0108".into()),
            out: None,
        })
        .unwrap();
        let sod = std::fs::read(dump.join("EF.SOD.bin")).unwrap();
        let parsed = mrtd_lds::sod::Sod::parse(&sod).unwrap();
        assert_eq!(parsed.data_group_hashes().count(), 2);
        assert_eq!(parsed.lds_version(), Some(("0108", "040000")));

        // A key that is not the certificate's is refused.
        let err = sign_sod(&SignSodArgs {
            dump,
            ds: pki.join("ds.der"),
            key: pki.join("csca-key.pk8"),
            digest: None,
            rsa_scheme: RsaScheme::Pkcs1,
            signing_time: None,
            sid_ski: false,
            no_certificate: false,
            lds_version: None,
            out: None,
        })
        .unwrap_err();
        assert!(err.message.contains("does not belong"), "{}", err.message);
    }
}
