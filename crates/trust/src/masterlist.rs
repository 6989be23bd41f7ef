//! The ICAO lists distributed as CMS SignedData: the CSCA master list
//! (Doc 9303-12 §8, eContentType `id-icao-cscaMasterList`) and the
//! deviation list (Doc 9303-12 §9, `id-icao-DeviationList`).
//!
//! ```text
//! CscaMasterList ::= SEQUENCE {
//!     version  CscaMasterListVersion,   -- v0(0)
//!     certList SET OF Certificate }
//! DeviationList ::= SEQUENCE {
//!     version    DeviationListVersion,  -- v0(0)
//!     digestAlg  AlgorithmIdentifier OPTIONAL,
//!     deviations SET OF SignerDeviation }
//! ```

use der::Decode;

use crate::der_walk;
use crate::error::ParseError;

/// The content of a CSCA master list: the certificates as encoded.
#[derive(Clone, Debug)]
pub struct CscaMasterList<'a> {
    /// version (0).
    pub version: i64,
    /// The certificates, each exactly as in the list.
    pub certificates: Vec<&'a [u8]>,
}

impl<'a> CscaMasterList<'a> {
    /// Reads the eContent of a master list.
    ///
    /// # Errors
    /// [`ParseError`] if it is not `SEQUENCE { INTEGER, SET OF … }`.
    pub fn parse(econtent: &'a [u8]) -> Result<Self, ParseError> {
        let walk = |e: der_walk::TlvError| ParseError::new("CscaMasterList", e);
        let seq = der_walk::read_single(econtent, 0).map_err(walk)?;
        if seq.tag != [0x30] {
            return Err(ParseError::new("CscaMasterList", "not a SEQUENCE"));
        }
        let kids = seq.children().map_err(walk)?;
        let version = der_walk::expect(kids.first(), 0x02, "version", 0).map_err(walk)?;
        let version =
            i64::from_der(version.raw).map_err(|e| ParseError::new("CscaMasterList version", e))?;
        let set = der_walk::expect(kids.get(1), 0x31, "certList", 0).map_err(walk)?;
        if kids.len() != 2 {
            return Err(ParseError::new("CscaMasterList", "elements after certList"));
        }
        let certificates = set
            .children()
            .map_err(walk)?
            .iter()
            .map(|c| c.raw)
            .collect();
        Ok(Self {
            version,
            certificates,
        })
    }
}

/// What is read of a deviation list: its version and its entries as
/// encoded (their interpretation is left to a later version).
#[derive(Clone, Debug)]
pub struct DeviationList<'a> {
    /// version (0).
    pub version: i64,
    /// The `SignerDeviation` entries, as encoded.
    pub deviations: Vec<&'a [u8]>,
}

impl<'a> DeviationList<'a> {
    /// Reads the eContent of a deviation list.
    ///
    /// # Errors
    /// [`ParseError`] if it is not `SEQUENCE { INTEGER, [AlgorithmIdentifier,] SET OF … }`.
    pub fn parse(econtent: &'a [u8]) -> Result<Self, ParseError> {
        let walk = |e: der_walk::TlvError| ParseError::new("DeviationList", e);
        let seq = der_walk::read_single(econtent, 0).map_err(walk)?;
        let kids = seq.children().map_err(walk)?;
        let version = der_walk::expect(kids.first(), 0x02, "version", 0).map_err(walk)?;
        let version =
            i64::from_der(version.raw).map_err(|e| ParseError::new("DeviationList version", e))?;
        let set = kids
            .iter()
            .skip(1)
            .find(|k| k.tag == [0x31])
            .ok_or_else(|| ParseError::new("DeviationList", "deviations SET missing"))?;
        let deviations = set
            .children()
            .map_err(walk)?
            .iter()
            .map(|c| c.raw)
            .collect();
        Ok(Self {
            version,
            deviations,
        })
    }
}
