//! Choosing the access-control protocol from EF.CardAccess
//! (Doc 9303-11 §4.2 and §9.2): the PACE protocols a chip offers, ranked,
//! with their domain parameters resolved.

use der::Decode;
use mrtd_groups::DomainParameters;
use mrtd_lds::security_infos::{PaceInfo, SecurityInfo, SecurityInfos};
use mrtd_protocol::pace::PaceProtocol;
use mrtd_protocol::pace::protocol::is_usable;
use serde::Serialize;

/// One PACE protocol the chip offers on one parameter set, ready to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PaceCandidate {
    /// The protocol.
    pub protocol: PaceProtocol,
    /// The domain parameters.
    pub domain: DomainParameters,
    /// The parameter identifier of the PACEInfo, sent in `84` of MSE:Set AT.
    pub parameter_id: Option<u8>,
}

/// A PACEInfo the reader cannot use, and why (reported, not fatal).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct UnusableOffer {
    /// The protocol OID, dotted.
    pub protocol: String,
    /// The parameter identifier, if any.
    pub parameter_id: Option<u8>,
    /// Why it cannot be used.
    pub reason: String,
}

/// The PACE protocols of `infos` this reader can run, strongest first
/// (CAM over IM over GM, ECDH over DH, longer keys first), and those it
/// cannot with the reason.
#[must_use]
pub fn pace_candidates(infos: &SecurityInfos) -> (Vec<PaceCandidate>, Vec<UnusableOffer>) {
    let mut usable = Vec::new();
    let mut unusable = Vec::new();
    for info in infos.pace_infos() {
        match resolve(info, infos) {
            Ok(candidate) => usable.push(candidate),
            Err(reason) => unusable.push(UnusableOffer {
                protocol: info.protocol.oid().to_string(),
                parameter_id: info.parameter_id,
                reason,
            }),
        }
    }
    usable.sort_by_key(|c| std::cmp::Reverse((c.protocol.strength(), domain_strength(c.domain))));
    (usable, unusable)
}

fn resolve(info: &PaceInfo, infos: &SecurityInfos) -> Result<PaceCandidate, String> {
    let oid = info.protocol.oid();
    let protocol =
        PaceProtocol::from_oid(&oid).ok_or_else(|| format!("unknown PACE protocol {oid}"))?;
    // Doc 9303 PACE is version 2; version 1 (early German test cards)
    // computes the tokens differently.
    if info.version != 2 {
        return Err(format!(
            "PACE version {} (only version 2 is defined by Doc 9303-11 §9.2.1)",
            info.version
        ));
    }
    let domain = match info
        .parameter_id
        .and_then(DomainParameters::from_standardized_id)
    {
        Some(domain) => domain,
        // Not a standardized ID: a PACEDomainParameterInfo with this ID (or
        // the only one, when the PACEInfo has no ID) must describe the
        // parameters (§9.2.2), and they must be a known group.
        None => explicit_domain(info, infos)?,
    };
    if !is_usable(protocol, domain) {
        return Err(format!("{protocol} cannot run on these domain parameters"));
    }
    Ok(PaceCandidate {
        protocol,
        domain,
        parameter_id: info.parameter_id,
    })
}

fn explicit_domain(info: &PaceInfo, infos: &SecurityInfos) -> Result<DomainParameters, String> {
    let parameter_infos: Vec<_> = infos
        .infos
        .iter()
        .filter_map(|i| match i {
            SecurityInfo::PaceDomainParameter(p) => Some(p),
            _ => None,
        })
        .collect();
    let chosen = match info.parameter_id {
        Some(id) => parameter_infos.iter().find(|p| p.parameter_id == Some(id)),
        None if parameter_infos.len() == 1 => parameter_infos.first(),
        None => None,
    }
    .ok_or_else(|| match info.parameter_id {
        Some(id) => format!(
            "parameter id {id} is neither standardized nor described by a PACEDomainParameterInfo"
        ),
        None => "no parameter id and no single PACEDomainParameterInfo".to_string(),
    })?;
    let alg = spki::AlgorithmIdentifierRef::from_der(chosen.domain_parameter.as_der())
        .map_err(|e| format!("PACEDomainParameterInfo: {e}"))?;
    DomainParameters::from_algorithm_identifier(&alg)
        .map_err(|e| format!("PACEDomainParameterInfo parameters are not a known group: {e}"))
}

/// Larger groups first among otherwise equal protocols.
fn domain_strength(domain: DomainParameters) -> usize {
    match domain {
        DomainParameters::Ec(c) => c.order_len() * 8,
        // A 2048-bit MODP group is roughly as strong as a 224-bit curve.
        DomainParameters::Dh(g) => g.q_len() * 8,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn card_access(path: &str) -> SecurityInfos {
        let full = format!(
            "{}/../../../shared/test-vectors/lds/cardsecurity/{path}",
            env!("CARGO_MANIFEST_DIR")
        );
        let bytes = std::fs::read(&full)
            .unwrap_or_else(|e| panic!("shared test vector {full} missing: {e}"));
        SecurityInfos::parse_file(
            mrtd_lds::EfId::CardAccess,
            &bytes,
            mrtd_lds::ParseOptions::LENIENT,
        )
        .expect("EF.CardAccess parses")
        .value
    }

    #[test]
    fn real_card_access_files_give_usable_pace_protocols() {
        for file in [
            "ausweisapp_efCardAccess.bin",
            "openpace_EF_CardAccess_ca3.bin",
            "openpace_EF_CardAccess_new_testcard.bin",
        ] {
            let (usable, unusable) = pace_candidates(&card_access(file));
            assert!(!usable.is_empty(), "{file}: {unusable:?}");
            for pair in usable.windows(2) {
                assert!(pair[0].protocol.strength() >= pair[1].protocol.strength());
            }
        }
    }

    #[test]
    fn a_card_access_without_pace_infos_offers_nothing() {
        // The Slovenian sample carries Chip Authentication infos only (and
        // a status word appended by the tool that dumped it).
        let (usable, unusable) =
            pace_candidates(&card_access("openpace_EF_CardAccess_slowenia.bin"));
        assert!(usable.is_empty() && unusable.is_empty());
    }

    #[test]
    fn pace_version_1_is_reported_not_used() {
        let (usable, unusable) =
            pace_candidates(&card_access("openpace_EF_CardAccess_old_testcard.bin"));
        assert!(usable.is_empty());
        assert!(
            unusable.iter().any(|u| u.reason.contains("version 1")),
            "{unusable:?}"
        );
    }
}
