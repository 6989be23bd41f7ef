//! CSCA certificate revocation lists (Doc 9303-12 §7.1.4, RFC 5280 §5):
//! CRL v2 with authorityKeyIdentifier and cRLNumber, `nextUpdate`, and
//! revoked entries with a reasonCode.

use der::asn1::Uint;
use der::{DateTime, Encode};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::certificate::Version;
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::CrlNumber;
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Time;

pub use x509_cert::ext::pkix::CrlReason;

use crate::PkiError;
use crate::cert;
use crate::key::{EncodedSignature, SignatureScheme, SigningKey};
use crate::profile::subject_key_id;

/// One revoked certificate.
#[derive(Clone, Debug)]
pub struct RevokedEntry {
    /// Serial number of the revoked certificate (issued by the CRL issuer).
    pub serial_number: SerialNumber,
    /// When it was revoked.
    pub revocation_date: DateTime,
    /// Why; `None` omits the reasonCode entry extension (RFC 5280 §5.3.1
    /// says to omit it rather than write `unspecified`).
    pub reason: Option<CrlReason>,
}

impl RevokedEntry {
    /// Revokes `cert` at `date` for `reason`.
    #[must_use]
    pub fn for_certificate(cert: &Certificate, date: DateTime, reason: Option<CrlReason>) -> Self {
        Self {
            serial_number: cert.tbs_certificate().serial_number().clone(),
            revocation_date: date,
            reason,
        }
    }
}

/// What to put in a CRL.
#[derive(Clone, Debug)]
pub struct CrlParams {
    /// `thisUpdate`.
    pub this_update: DateTime,
    /// `nextUpdate`: Doc 9303-12 §7.1.4 makes it mandatory; a CRL whose
    /// nextUpdate has passed is stale.
    pub next_update: Option<DateTime>,
    /// The monotonically increasing cRLNumber.
    pub crl_number: u64,
    /// Revoked certificates, in this order.
    pub revoked: Vec<RevokedEntry>,
}

/// Issues a CRL in the name of `csca` (issuer = its subject,
/// authorityKeyIdentifier = its subjectKeyIdentifier), signed by `key` with
/// its default scheme. `key` is normally the CSCA's key; any other key
/// makes a forged CRL for negative tests.
///
/// # Errors
/// [`PkiError::MissingExtension`] if `csca` has no subjectKeyIdentifier,
/// encoding or signing errors.
pub fn issue_crl(
    csca: &Certificate,
    key: &SigningKey,
    params: &CrlParams,
) -> Result<CertificateList, PkiError> {
    issue_crl_with(
        csca.tbs_certificate().subject(),
        Some(&subject_key_id(csca)?),
        key,
        key.scheme(),
        params,
    )
}

/// Issues a CRL with an explicit issuer name and authority key identifier
/// (`None` omits the extension), signed by `key` with `scheme`.
///
/// # Errors
/// Encoding or signing errors.
pub fn issue_crl_with(
    issuer: &Name,
    authority_key_id: Option<&[u8]>,
    key: &SigningKey,
    scheme: SignatureScheme,
    params: &CrlParams,
) -> Result<CertificateList, PkiError> {
    let signature: AlgorithmIdentifierOwned = scheme.algorithm_identifier();
    let mut crl_extensions = Vec::new();
    if let Some(aki) = authority_key_id {
        crl_extensions.push(cert::authority_key_identifier(aki)?);
    }
    let number = Uint::new(&params.crl_number.to_be_bytes()).map_err(PkiError::der("cRLNumber"))?;
    crl_extensions.push(cert::extension(&CrlNumber(number), false)?);
    let revoked = params
        .revoked
        .iter()
        .map(|entry| {
            let crl_entry_extensions = entry
                .reason
                .map(|reason| cert::extension(&reason, false).map(|e| vec![e]))
                .transpose()?;
            Ok(RevokedCert {
                serial_number: entry.serial_number.clone(),
                revocation_date: Time::from(entry.revocation_date),
                crl_entry_extensions,
            })
        })
        .collect::<Result<Vec<_>, PkiError>>()?;
    let tbs = TbsCertList {
        version: Version::V2,
        signature: signature.clone(),
        issuer: issuer.clone(),
        this_update: Time::from(params.this_update),
        next_update: params.next_update.map(Time::from),
        // RFC 5280 §5.1.2.6: absent, not empty, when nothing is revoked.
        revoked_certificates: (!revoked.is_empty()).then_some(revoked),
        crl_extensions: Some(crl_extensions),
    };
    let tbs_der = tbs.to_der().map_err(PkiError::der("TBSCertList"))?;
    let sig = EncodedSignature(key.sign_with(scheme, &tbs_der)?);
    use spki::SignatureBitStringEncoding as _;
    Ok(CertificateList {
        tbs_cert_list: tbs,
        signature_algorithm: signature,
        signature: sig.to_bitstring().map_err(PkiError::der("CRL signature"))?,
    })
}
