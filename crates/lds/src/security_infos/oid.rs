//! Object identifiers of the SecurityInfos (BSI TR-03110-3 §A.1.1 and
//! Appendix A.8, Doc 9303-11 §9.2), named as those documents name them.
//!
//! The protocol OIDs encode the algorithm choice in their last arcs:
//! `id-PACE-ECDH-GM-AES-CBC-CMAC-128` is `id-PACE . 2 (ECDH-GM) . 2
//! (AES-128)`. [`PaceProtocol`](super::PaceProtocol) and
//! [`CaProtocol`](super::CaProtocol) decode them.

use der::asn1::ObjectIdentifier as Oid;

macro_rules! oids {
    ($($(#[$m:meta])* $name:ident = $value:literal, $asn1:literal;)*) => {
        $(
            $(#[$m])*
            #[doc = concat!("`", $asn1, "` ", $value, ".")]
            pub const $name: Oid = Oid::new_unwrap($value);
        )*

        /// The TR-03110 / Doc 9303 name of a SecurityInfo or algorithm OID
        /// this crate knows, e.g. `id-PACE-ECDH-GM-AES-CBC-CMAC-128`.
        #[must_use]
        pub fn name(oid: &Oid) -> Option<&'static str> {
            $(if *oid == $name { return Some($asn1); })*
            None
        }
    };
}

oids! {
    /// The BSI arc all TR-03110 identifiers hang from.
    BSI_DE = "0.4.0.127.0.7", "bsi-de";
    /// Standardized domain parameters (TR-03110-3 §A.2.1.1): the
    /// AlgorithmIdentifier parameter is the parameter ID.
    STANDARDIZED_DOMAIN_PARAMETERS = "0.4.0.127.0.7.1.2", "standardizedDomainParameters";
    /// Chip Authentication public keys.
    ID_PK = "0.4.0.127.0.7.2.2.1", "id-PK";
    /// Chip Authentication public key, DH.
    ID_PK_DH = "0.4.0.127.0.7.2.2.1.1", "id-PK-DH";
    /// Chip Authentication public key, ECDH.
    ID_PK_ECDH = "0.4.0.127.0.7.2.2.1.2", "id-PK-ECDH";
    /// Pseudonymous Signature public key (TR-03110-2).
    ID_PS_PK_ECDH_ECSCHNORR = "0.4.0.127.0.7.2.2.1.3", "id-PS-PK-ECDH-ECSchnorr";
    /// Terminal Authentication.
    ID_TA = "0.4.0.127.0.7.2.2.2", "id-TA";
    /// Terminal Authentication with RSA.
    ID_TA_RSA = "0.4.0.127.0.7.2.2.2.1", "id-TA-RSA";
    /// Terminal Authentication with ECDSA.
    ID_TA_ECDSA = "0.4.0.127.0.7.2.2.2.2", "id-TA-ECDSA";
    /// Chip Authentication.
    ID_CA = "0.4.0.127.0.7.2.2.3", "id-CA";
    /// Chip Authentication, DH.
    ID_CA_DH = "0.4.0.127.0.7.2.2.3.1", "id-CA-DH";
    /// CA DH with 3DES.
    ID_CA_DH_3DES_CBC_CBC = "0.4.0.127.0.7.2.2.3.1.1", "id-CA-DH-3DES-CBC-CBC";
    /// CA DH with AES-128.
    ID_CA_DH_AES_CBC_CMAC_128 = "0.4.0.127.0.7.2.2.3.1.2", "id-CA-DH-AES-CBC-CMAC-128";
    /// CA DH with AES-192.
    ID_CA_DH_AES_CBC_CMAC_192 = "0.4.0.127.0.7.2.2.3.1.3", "id-CA-DH-AES-CBC-CMAC-192";
    /// CA DH with AES-256.
    ID_CA_DH_AES_CBC_CMAC_256 = "0.4.0.127.0.7.2.2.3.1.4", "id-CA-DH-AES-CBC-CMAC-256";
    /// Chip Authentication, ECDH.
    ID_CA_ECDH = "0.4.0.127.0.7.2.2.3.2", "id-CA-ECDH";
    /// CA ECDH with 3DES.
    ID_CA_ECDH_3DES_CBC_CBC = "0.4.0.127.0.7.2.2.3.2.1", "id-CA-ECDH-3DES-CBC-CBC";
    /// CA ECDH with AES-128.
    ID_CA_ECDH_AES_CBC_CMAC_128 = "0.4.0.127.0.7.2.2.3.2.2", "id-CA-ECDH-AES-CBC-CMAC-128";
    /// CA ECDH with AES-192.
    ID_CA_ECDH_AES_CBC_CMAC_192 = "0.4.0.127.0.7.2.2.3.2.3", "id-CA-ECDH-AES-CBC-CMAC-192";
    /// CA ECDH with AES-256.
    ID_CA_ECDH_AES_CBC_CMAC_256 = "0.4.0.127.0.7.2.2.3.2.4", "id-CA-ECDH-AES-CBC-CMAC-256";
    /// PACE.
    ID_PACE = "0.4.0.127.0.7.2.2.4", "id-PACE";
    /// PACE DH, Generic Mapping.
    ID_PACE_DH_GM = "0.4.0.127.0.7.2.2.4.1", "id-PACE-DH-GM";
    /// PACE DH-GM with 3DES.
    ID_PACE_DH_GM_3DES_CBC_CBC = "0.4.0.127.0.7.2.2.4.1.1", "id-PACE-DH-GM-3DES-CBC-CBC";
    /// PACE DH-GM with AES-128.
    ID_PACE_DH_GM_AES_CBC_CMAC_128 = "0.4.0.127.0.7.2.2.4.1.2", "id-PACE-DH-GM-AES-CBC-CMAC-128";
    /// PACE DH-GM with AES-192.
    ID_PACE_DH_GM_AES_CBC_CMAC_192 = "0.4.0.127.0.7.2.2.4.1.3", "id-PACE-DH-GM-AES-CBC-CMAC-192";
    /// PACE DH-GM with AES-256.
    ID_PACE_DH_GM_AES_CBC_CMAC_256 = "0.4.0.127.0.7.2.2.4.1.4", "id-PACE-DH-GM-AES-CBC-CMAC-256";
    /// PACE ECDH, Generic Mapping.
    ID_PACE_ECDH_GM = "0.4.0.127.0.7.2.2.4.2", "id-PACE-ECDH-GM";
    /// PACE ECDH-GM with 3DES.
    ID_PACE_ECDH_GM_3DES_CBC_CBC = "0.4.0.127.0.7.2.2.4.2.1", "id-PACE-ECDH-GM-3DES-CBC-CBC";
    /// PACE ECDH-GM with AES-128.
    ID_PACE_ECDH_GM_AES_CBC_CMAC_128 = "0.4.0.127.0.7.2.2.4.2.2", "id-PACE-ECDH-GM-AES-CBC-CMAC-128";
    /// PACE ECDH-GM with AES-192.
    ID_PACE_ECDH_GM_AES_CBC_CMAC_192 = "0.4.0.127.0.7.2.2.4.2.3", "id-PACE-ECDH-GM-AES-CBC-CMAC-192";
    /// PACE ECDH-GM with AES-256.
    ID_PACE_ECDH_GM_AES_CBC_CMAC_256 = "0.4.0.127.0.7.2.2.4.2.4", "id-PACE-ECDH-GM-AES-CBC-CMAC-256";
    /// PACE DH, Integrated Mapping.
    ID_PACE_DH_IM = "0.4.0.127.0.7.2.2.4.3", "id-PACE-DH-IM";
    /// PACE DH-IM with 3DES.
    ID_PACE_DH_IM_3DES_CBC_CBC = "0.4.0.127.0.7.2.2.4.3.1", "id-PACE-DH-IM-3DES-CBC-CBC";
    /// PACE DH-IM with AES-128.
    ID_PACE_DH_IM_AES_CBC_CMAC_128 = "0.4.0.127.0.7.2.2.4.3.2", "id-PACE-DH-IM-AES-CBC-CMAC-128";
    /// PACE DH-IM with AES-192.
    ID_PACE_DH_IM_AES_CBC_CMAC_192 = "0.4.0.127.0.7.2.2.4.3.3", "id-PACE-DH-IM-AES-CBC-CMAC-192";
    /// PACE DH-IM with AES-256.
    ID_PACE_DH_IM_AES_CBC_CMAC_256 = "0.4.0.127.0.7.2.2.4.3.4", "id-PACE-DH-IM-AES-CBC-CMAC-256";
    /// PACE ECDH, Integrated Mapping.
    ID_PACE_ECDH_IM = "0.4.0.127.0.7.2.2.4.4", "id-PACE-ECDH-IM";
    /// PACE ECDH-IM with 3DES.
    ID_PACE_ECDH_IM_3DES_CBC_CBC = "0.4.0.127.0.7.2.2.4.4.1", "id-PACE-ECDH-IM-3DES-CBC-CBC";
    /// PACE ECDH-IM with AES-128.
    ID_PACE_ECDH_IM_AES_CBC_CMAC_128 = "0.4.0.127.0.7.2.2.4.4.2", "id-PACE-ECDH-IM-AES-CBC-CMAC-128";
    /// PACE ECDH-IM with AES-192.
    ID_PACE_ECDH_IM_AES_CBC_CMAC_192 = "0.4.0.127.0.7.2.2.4.4.3", "id-PACE-ECDH-IM-AES-CBC-CMAC-192";
    /// PACE ECDH-IM with AES-256.
    ID_PACE_ECDH_IM_AES_CBC_CMAC_256 = "0.4.0.127.0.7.2.2.4.4.4", "id-PACE-ECDH-IM-AES-CBC-CMAC-256";
    /// PACE ECDH, Chip Authentication Mapping (Doc 9303-11 §4.4.3.5).
    ID_PACE_ECDH_CAM = "0.4.0.127.0.7.2.2.4.6", "id-PACE-ECDH-CAM";
    /// PACE ECDH-CAM with AES-128.
    ID_PACE_ECDH_CAM_AES_CBC_CMAC_128 = "0.4.0.127.0.7.2.2.4.6.2", "id-PACE-ECDH-CAM-AES-CBC-CMAC-128";
    /// PACE ECDH-CAM with AES-192.
    ID_PACE_ECDH_CAM_AES_CBC_CMAC_192 = "0.4.0.127.0.7.2.2.4.6.3", "id-PACE-ECDH-CAM-AES-CBC-CMAC-192";
    /// PACE ECDH-CAM with AES-256.
    ID_PACE_ECDH_CAM_AES_CBC_CMAC_256 = "0.4.0.127.0.7.2.2.4.6.4", "id-PACE-ECDH-CAM-AES-CBC-CMAC-256";
    /// Restricted Identification (TR-03110-2).
    ID_RI = "0.4.0.127.0.7.2.2.5", "id-RI";
    /// Restricted Identification, DH.
    ID_RI_DH = "0.4.0.127.0.7.2.2.5.1", "id-RI-DH";
    /// Restricted Identification, ECDH.
    ID_RI_ECDH = "0.4.0.127.0.7.2.2.5.2", "id-RI-ECDH";
    /// CardInfoLocator.
    ID_CI = "0.4.0.127.0.7.2.2.6", "id-CI";
    /// eIDSecurityInfo (TR-03110-2).
    ID_EID_SECURITY = "0.4.0.127.0.7.2.2.7", "id-eIDSecurity";
    /// PrivilegedTerminalInfo.
    ID_PT = "0.4.0.127.0.7.2.2.8", "id-PT";
    /// Pseudonymous Signature (TR-03110-2).
    ID_PS = "0.4.0.127.0.7.2.2.11", "id-PS";
    /// The eContentType of EF.CardSecurity (TR-03110-3 §A.1.2.5).
    ID_SECURITY_OBJECT = "0.4.0.127.0.7.3.2.1", "id-SecurityObject";
    /// ICAO MRTD security arc.
    ID_ICAO_MRTD_SECURITY = "2.23.136.1.1", "id-icao-mrtd-security";
    /// Active Authentication (Doc 9303-11 §9.2.5).
    ID_ICAO_MRTD_SECURITY_AA_PROTOCOL_OBJECT = "2.23.136.1.1.5", "id-icao-mrtd-security-aaProtocolObject";
    /// EF.DIR copy (Doc 9303-11 §9.2.11).
    ID_EFDIR = "2.23.136.1.1.13", "id-EFDIR";
    /// EC public key (RFC 5480).
    ID_EC_PUBLIC_KEY = "1.2.840.10045.2.1", "id-ecPublicKey";
    /// DH public key (ANSI X9.42, RFC 3279 §2.3.3).
    DH_PUBLIC_NUMBER = "1.2.840.10046.2.1", "dhpublicnumber";
    /// RSA public key (RFC 8017).
    RSA_ENCRYPTION = "1.2.840.113549.1.1.1", "rsaEncryption";
    /// Prime field of explicit EC parameters (X9.62).
    PRIME_FIELD = "1.2.840.10045.1.1", "prime-field";
    /// ECDSA with SHA-1 (Active Authentication signature algorithm).
    ECDSA_WITH_SHA1 = "1.2.840.10045.4.1", "ecdsa-with-SHA1";
    /// ECDSA with SHA-224.
    ECDSA_WITH_SHA224 = "1.2.840.10045.4.3.1", "ecdsa-with-SHA224";
    /// ECDSA with SHA-256.
    ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2", "ecdsa-with-SHA256";
    /// ECDSA with SHA-384.
    ECDSA_WITH_SHA384 = "1.2.840.10045.4.3.3", "ecdsa-with-SHA384";
    /// ECDSA with SHA-512.
    ECDSA_WITH_SHA512 = "1.2.840.10045.4.3.4", "ecdsa-with-SHA512";
    /// BSI plain ECDSA with SHA-1 (TR-03111).
    ECDSA_PLAIN_SHA1 = "0.4.0.127.0.7.1.1.4.1.1", "ecdsa-plain-SHA1";
    /// BSI plain ECDSA with SHA-224.
    ECDSA_PLAIN_SHA224 = "0.4.0.127.0.7.1.1.4.1.2", "ecdsa-plain-SHA224";
    /// BSI plain ECDSA with SHA-256.
    ECDSA_PLAIN_SHA256 = "0.4.0.127.0.7.1.1.4.1.3", "ecdsa-plain-SHA256";
    /// BSI plain ECDSA with SHA-384.
    ECDSA_PLAIN_SHA384 = "0.4.0.127.0.7.1.1.4.1.4", "ecdsa-plain-SHA384";
    /// BSI plain ECDSA with SHA-512.
    ECDSA_PLAIN_SHA512 = "0.4.0.127.0.7.1.1.4.1.5", "ecdsa-plain-SHA512";
    /// SHA-1.
    ID_SHA1 = "1.3.14.3.2.26", "id-sha1";
    /// SHA-224.
    ID_SHA224 = "2.16.840.1.101.3.4.2.4", "id-sha224";
    /// SHA-256.
    ID_SHA256 = "2.16.840.1.101.3.4.2.1", "id-sha256";
    /// SHA-384.
    ID_SHA384 = "2.16.840.1.101.3.4.2.2", "id-sha384";
    /// SHA-512.
    ID_SHA512 = "2.16.840.1.101.3.4.2.3", "id-sha512";
    /// secp224r1 (NIST P-224).
    SECP224R1 = "1.3.132.0.33", "secp224r1";
    /// secp256r1 (NIST P-256).
    SECP256R1 = "1.2.840.10045.3.1.7", "secp256r1";
    /// secp384r1 (NIST P-384).
    SECP384R1 = "1.3.132.0.34", "secp384r1";
    /// secp521r1 (NIST P-521).
    SECP521R1 = "1.3.132.0.35", "secp521r1";
    /// brainpoolP224r1.
    BRAINPOOL_P224R1 = "1.3.36.3.3.2.8.1.1.5", "brainpoolP224r1";
    /// brainpoolP256r1.
    BRAINPOOL_P256R1 = "1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1";
    /// brainpoolP320r1.
    BRAINPOOL_P320R1 = "1.3.36.3.3.2.8.1.1.9", "brainpoolP320r1";
    /// brainpoolP384r1.
    BRAINPOOL_P384R1 = "1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1";
    /// brainpoolP512r1.
    BRAINPOOL_P512R1 = "1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1";
}

/// The name of `oid` if known, else its dotted form.
#[must_use]
pub fn display_name(oid: &Oid) -> String {
    name(oid).map_or_else(|| oid.to_string(), str::to_owned)
}

/// Whether `oid` lies under `parent` (`parent` itself excluded).
pub(crate) fn is_under(oid: &Oid, parent: &Oid) -> bool {
    let child = oid.as_bytes();
    let p = parent.as_bytes();
    child.len() > p.len() && child.starts_with(p)
}

/// The arcs of `oid` after `parent`, when `oid` lies under it.
pub(crate) fn arcs_after(oid: &Oid, parent: &Oid) -> Option<Vec<u32>> {
    if !is_under(oid, parent) {
        return None;
    }
    let skip = parent.arcs().count();
    Some(oid.arcs().skip(skip).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_arcs() {
        assert_eq!(
            name(&ID_PACE_ECDH_CAM_AES_CBC_CMAC_128),
            Some("id-PACE-ECDH-CAM-AES-CBC-CMAC-128")
        );
        assert_eq!(
            display_name(&Oid::new_unwrap("1.0.24727.3.0.9")),
            "1.0.24727.3.0.9"
        );
        assert_eq!(
            arcs_after(&ID_PACE_DH_IM_AES_CBC_CMAC_256, &ID_PACE),
            Some(vec![3, 4])
        );
        assert_eq!(arcs_after(&ID_PACE, &ID_PACE), None);
        assert!(is_under(&ID_CA_DH, &ID_CA));
        assert!(!is_under(&ID_TA, &ID_CA));
    }
}
