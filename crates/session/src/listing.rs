//! Which data groups a document says it has: EF.COM's tag list and the
//! data-group hashes in EF.SOD (Doc 9303-10 §4.6). Either may be absent,
//! malformed or incomplete on real chips (EF.COM of the BSI reference data
//! set omits DG15), so the reader takes their union.

use std::collections::{BTreeMap, BTreeSet};

use mrtd_lds::{DgNumber, EfId};
use tracing::warn;

/// The union of the data groups listed in EF.COM and EF.SOD, or `None` when
/// neither file could be parsed.
#[must_use]
pub fn listed_data_groups(files: &BTreeMap<EfId, Vec<u8>>) -> Option<BTreeSet<DgNumber>> {
    let mut listed = None::<BTreeSet<DgNumber>>;
    if let Some(com) = files.get(&EfId::Com) {
        match mrtd_lds::com::EfCom::parse(com) {
            Ok(com) => listed
                .get_or_insert_default()
                .extend(com.data_groups.iter().copied()),
            Err(e) => warn!(error = %e, "EF.COM does not parse; relying on EF.SOD"),
        }
    }
    if let Some(sod) = files.get(&EfId::Sod) {
        match mrtd_lds::sod::Sod::parse_unchecked(sod) {
            Ok(sod) => listed
                .get_or_insert_default()
                .extend(sod.data_group_hashes().map(|(dg, _)| dg)),
            Err(e) => warn!(error = %e, "EF.SOD does not parse; relying on EF.COM"),
        }
    }
    listed
}
