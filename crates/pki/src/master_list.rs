//! CSCA master lists (Doc 9303-12 §9): a CMS SignedData of eContentType
//! `id-icao-cscaMasterList` over
//!
//! ```text
//! CscaMasterList ::= SEQUENCE {
//!     version  CscaMasterListVersion,   -- v0(0)
//!     certList SET OF Certificate }
//! ```
//!
//! signed by a master-list signer whose certificate a CSCA issued
//! ([`crate::profile::issue_master_list_signer`]).

use der::Encode;
use der::asn1::SetOfVec;
use x509_cert::Certificate;

use crate::PkiError;
use crate::oid::ID_ICAO_CSCA_MASTER_LIST;
use crate::signed_data::{SignOptions, sign_signed_data};
use crate::sod::DocumentSigner;

/// `CscaMasterList` (Doc 9303-12 §9).
#[derive(Clone, Debug, PartialEq, Eq, der::Sequence)]
pub struct CscaMasterList {
    /// Version; 0 is the only one defined.
    pub version: u8,
    /// The CSCA certificates (self-signed roots and link certificates).
    pub cert_list: SetOfVec<Certificate>,
}

/// Signs a master list of `certificates` (DER-sorted into the SET OF),
/// returning the DER ContentInfo (a `.ml` file). With the default options
/// the signer certificate is embedded; a list usually also carries the
/// CSCA that issued the signer, which is then in `certificates` anyway.
///
/// # Errors
/// Encoding and signing errors.
pub fn sign_master_list(
    certificates: &[Certificate],
    signer: &DocumentSigner,
    options: &SignOptions,
) -> Result<Vec<u8>, PkiError> {
    let list = CscaMasterList {
        version: 0,
        cert_list: SetOfVec::try_from(certificates.to_vec())
            .map_err(PkiError::der("CscaMasterList certList"))?,
    };
    let econtent = list.to_der().map_err(PkiError::der("CscaMasterList"))?;
    sign_signed_data(ID_ICAO_CSCA_MASTER_LIST, &econtent, signer, options)
}
