//! Country codes: the issuing state of the MRZ (ICAO Doc 9303-3 §5, three
//! letters, or `D` for Germany) against the `countryName` of CSCA and DS
//! certificates (ISO 3166-1 alpha-2, Doc 9303-12 §7.1.1).
//!
//! Doc 9303-3 uses the ISO 3166-1 alpha-3 codes with a few exceptions: `D`
//! for Germany, the British nationality codes `GBD`/`GBN`/`GBO`/`GBP`/`GBS`,
//! the organisations `EUE`, `UNO`/`UNA`/`UNK` and the `X..` codes, and
//! `UTO`, the fictional Utopia of the specimen documents.

/// ISO 3166-1 alpha-3 → alpha-2, all 249 officially assigned codes.
pub const ISO3166_ALPHA3_TO_ALPHA2: &[(&str, &str)] = &[
    ("ABW", "AW"),
    ("AFG", "AF"),
    ("AGO", "AO"),
    ("AIA", "AI"),
    ("ALA", "AX"),
    ("ALB", "AL"),
    ("AND", "AD"),
    ("ARE", "AE"),
    ("ARG", "AR"),
    ("ARM", "AM"),
    ("ASM", "AS"),
    ("ATA", "AQ"),
    ("ATF", "TF"),
    ("ATG", "AG"),
    ("AUS", "AU"),
    ("AUT", "AT"),
    ("AZE", "AZ"),
    ("BDI", "BI"),
    ("BEL", "BE"),
    ("BEN", "BJ"),
    ("BES", "BQ"),
    ("BFA", "BF"),
    ("BGD", "BD"),
    ("BGR", "BG"),
    ("BHR", "BH"),
    ("BHS", "BS"),
    ("BIH", "BA"),
    ("BLM", "BL"),
    ("BLR", "BY"),
    ("BLZ", "BZ"),
    ("BMU", "BM"),
    ("BOL", "BO"),
    ("BRA", "BR"),
    ("BRB", "BB"),
    ("BRN", "BN"),
    ("BTN", "BT"),
    ("BVT", "BV"),
    ("BWA", "BW"),
    ("CAF", "CF"),
    ("CAN", "CA"),
    ("CCK", "CC"),
    ("CHE", "CH"),
    ("CHL", "CL"),
    ("CHN", "CN"),
    ("CIV", "CI"),
    ("CMR", "CM"),
    ("COD", "CD"),
    ("COG", "CG"),
    ("COK", "CK"),
    ("COL", "CO"),
    ("COM", "KM"),
    ("CPV", "CV"),
    ("CRI", "CR"),
    ("CUB", "CU"),
    ("CUW", "CW"),
    ("CXR", "CX"),
    ("CYM", "KY"),
    ("CYP", "CY"),
    ("CZE", "CZ"),
    ("DEU", "DE"),
    ("DJI", "DJ"),
    ("DMA", "DM"),
    ("DNK", "DK"),
    ("DOM", "DO"),
    ("DZA", "DZ"),
    ("ECU", "EC"),
    ("EGY", "EG"),
    ("ERI", "ER"),
    ("ESH", "EH"),
    ("ESP", "ES"),
    ("EST", "EE"),
    ("ETH", "ET"),
    ("FIN", "FI"),
    ("FJI", "FJ"),
    ("FLK", "FK"),
    ("FRA", "FR"),
    ("FRO", "FO"),
    ("FSM", "FM"),
    ("GAB", "GA"),
    ("GBR", "GB"),
    ("GEO", "GE"),
    ("GGY", "GG"),
    ("GHA", "GH"),
    ("GIB", "GI"),
    ("GIN", "GN"),
    ("GLP", "GP"),
    ("GMB", "GM"),
    ("GNB", "GW"),
    ("GNQ", "GQ"),
    ("GRC", "GR"),
    ("GRD", "GD"),
    ("GRL", "GL"),
    ("GTM", "GT"),
    ("GUF", "GF"),
    ("GUM", "GU"),
    ("GUY", "GY"),
    ("HKG", "HK"),
    ("HMD", "HM"),
    ("HND", "HN"),
    ("HRV", "HR"),
    ("HTI", "HT"),
    ("HUN", "HU"),
    ("IDN", "ID"),
    ("IMN", "IM"),
    ("IND", "IN"),
    ("IOT", "IO"),
    ("IRL", "IE"),
    ("IRN", "IR"),
    ("IRQ", "IQ"),
    ("ISL", "IS"),
    ("ISR", "IL"),
    ("ITA", "IT"),
    ("JAM", "JM"),
    ("JEY", "JE"),
    ("JOR", "JO"),
    ("JPN", "JP"),
    ("KAZ", "KZ"),
    ("KEN", "KE"),
    ("KGZ", "KG"),
    ("KHM", "KH"),
    ("KIR", "KI"),
    ("KNA", "KN"),
    ("KOR", "KR"),
    ("KWT", "KW"),
    ("LAO", "LA"),
    ("LBN", "LB"),
    ("LBR", "LR"),
    ("LBY", "LY"),
    ("LCA", "LC"),
    ("LIE", "LI"),
    ("LKA", "LK"),
    ("LSO", "LS"),
    ("LTU", "LT"),
    ("LUX", "LU"),
    ("LVA", "LV"),
    ("MAC", "MO"),
    ("MAF", "MF"),
    ("MAR", "MA"),
    ("MCO", "MC"),
    ("MDA", "MD"),
    ("MDG", "MG"),
    ("MDV", "MV"),
    ("MEX", "MX"),
    ("MHL", "MH"),
    ("MKD", "MK"),
    ("MLI", "ML"),
    ("MLT", "MT"),
    ("MMR", "MM"),
    ("MNE", "ME"),
    ("MNG", "MN"),
    ("MNP", "MP"),
    ("MOZ", "MZ"),
    ("MRT", "MR"),
    ("MSR", "MS"),
    ("MTQ", "MQ"),
    ("MUS", "MU"),
    ("MWI", "MW"),
    ("MYS", "MY"),
    ("MYT", "YT"),
    ("NAM", "NA"),
    ("NCL", "NC"),
    ("NER", "NE"),
    ("NFK", "NF"),
    ("NGA", "NG"),
    ("NIC", "NI"),
    ("NIU", "NU"),
    ("NLD", "NL"),
    ("NOR", "NO"),
    ("NPL", "NP"),
    ("NRU", "NR"),
    ("NZL", "NZ"),
    ("OMN", "OM"),
    ("PAK", "PK"),
    ("PAN", "PA"),
    ("PCN", "PN"),
    ("PER", "PE"),
    ("PHL", "PH"),
    ("PLW", "PW"),
    ("PNG", "PG"),
    ("POL", "PL"),
    ("PRI", "PR"),
    ("PRK", "KP"),
    ("PRT", "PT"),
    ("PRY", "PY"),
    ("PSE", "PS"),
    ("PYF", "PF"),
    ("QAT", "QA"),
    ("REU", "RE"),
    ("ROU", "RO"),
    ("RUS", "RU"),
    ("RWA", "RW"),
    ("SAU", "SA"),
    ("SDN", "SD"),
    ("SEN", "SN"),
    ("SGP", "SG"),
    ("SGS", "GS"),
    ("SHN", "SH"),
    ("SJM", "SJ"),
    ("SLB", "SB"),
    ("SLE", "SL"),
    ("SLV", "SV"),
    ("SMR", "SM"),
    ("SOM", "SO"),
    ("SPM", "PM"),
    ("SRB", "RS"),
    ("SSD", "SS"),
    ("STP", "ST"),
    ("SUR", "SR"),
    ("SVK", "SK"),
    ("SVN", "SI"),
    ("SWE", "SE"),
    ("SWZ", "SZ"),
    ("SXM", "SX"),
    ("SYC", "SC"),
    ("SYR", "SY"),
    ("TCA", "TC"),
    ("TCD", "TD"),
    ("TGO", "TG"),
    ("THA", "TH"),
    ("TJK", "TJ"),
    ("TKL", "TK"),
    ("TKM", "TM"),
    ("TLS", "TL"),
    ("TON", "TO"),
    ("TTO", "TT"),
    ("TUN", "TN"),
    ("TUR", "TR"),
    ("TUV", "TV"),
    ("TWN", "TW"),
    ("TZA", "TZ"),
    ("UGA", "UG"),
    ("UKR", "UA"),
    ("UMI", "UM"),
    ("URY", "UY"),
    ("USA", "US"),
    ("UZB", "UZ"),
    ("VAT", "VA"),
    ("VCT", "VC"),
    ("VEN", "VE"),
    ("VGB", "VG"),
    ("VIR", "VI"),
    ("VNM", "VN"),
    ("VUT", "VU"),
    ("WLF", "WF"),
    ("WSM", "WS"),
    ("YEM", "YE"),
    ("ZAF", "ZA"),
    ("ZMB", "ZM"),
    ("ZWE", "ZW"),
];

/// Doc 9303-3 codes that are not ISO 3166-1 alpha-3, with the
/// `countryName` their issuer's certificates carry (`None`: an
/// organisation with no ISO country code).
pub const ICAO_SPECIAL_CODES: &[(&str, Option<&str>, &str)] = &[
    ("D", Some("DE"), "Germany"),
    ("GBD", Some("GB"), "British Overseas Territories Citizen"),
    ("GBN", Some("GB"), "British National (Overseas)"),
    ("GBO", Some("GB"), "British Overseas Citizen"),
    ("GBP", Some("GB"), "British Protected Person"),
    ("GBS", Some("GB"), "British Subject"),
    ("EUE", Some("EU"), "European Union"),
    ("UNO", Some("UN"), "United Nations Organization"),
    (
        "UNA",
        Some("UN"),
        "specialized agency of the United Nations",
    ),
    (
        "UNK",
        Some("UN"),
        "resident of Kosovo, document issued by UNMIK",
    ),
    ("RKS", Some("XK"), "Kosovo"),
    ("XKX", Some("XK"), "Kosovo"),
    ("UTO", Some("UT"), "Utopia (specimen documents)"),
    ("ANT", Some("AN"), "Netherlands Antilles (former)"),
    ("NTZ", Some("NT"), "Neutral Zone (former)"),
    ("XBA", None, "African Development Bank"),
    ("XIM", None, "African Export-Import Bank"),
    ("XCC", None, "Caribbean Community"),
    ("XCE", None, "Council of Europe"),
    ("XCO", None, "Common Market for Eastern and Southern Africa"),
    ("XEC", None, "Economic Community of West African States"),
    (
        "XPO",
        None,
        "International Criminal Police Organization (INTERPOL)",
    ),
    ("XES", None, "Organization of Eastern Caribbean States"),
    ("XMP", None, "Parliamentary Assembly of the Mediterranean"),
    ("XOM", None, "Sovereign Military Order of Malta"),
    ("XDC", None, "Southern African Development Community"),
    ("XXA", None, "stateless person"),
    ("XXB", None, "refugee (1951 Convention)"),
    ("XXC", None, "refugee (other)"),
    ("XXX", None, "unspecified nationality"),
];

/// What an MRZ issuing-state code maps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IssuerCountry {
    /// The ISO 3166-1 alpha-2 code certificates of this issuer carry.
    Iso(&'static str),
    /// A Doc 9303-3 code of an organisation without an ISO country code.
    Organisation(&'static str),
    /// Not a code of Doc 9303-3.
    Unknown,
}

/// Maps an MRZ issuing state (`D`, `D<<`, `KOR`, `UTO`, any case) to the
/// country certificates of its issuer carry.
#[must_use]
pub fn icao_to_iso(code: &str) -> IssuerCountry {
    let code = code.trim().trim_end_matches('<').to_ascii_uppercase();
    if let Some((_, iso, name)) = ICAO_SPECIAL_CODES.iter().find(|(c, _, _)| *c == code) {
        return match iso {
            Some(iso) => IssuerCountry::Iso(iso),
            None => IssuerCountry::Organisation(name),
        };
    }
    match ISO3166_ALPHA3_TO_ALPHA2.binary_search_by(|(a3, _)| (*a3).cmp(code.as_str())) {
        Ok(i) => IssuerCountry::Iso(ISO3166_ALPHA3_TO_ALPHA2[i].1),
        Err(_) => IssuerCountry::Unknown,
    }
}

/// The alpha-3 code of an alpha-2 code (for display).
#[must_use]
pub fn iso_alpha2_to_alpha3(alpha2: &str) -> Option<&'static str> {
    let a2 = alpha2.to_ascii_uppercase();
    ISO3166_ALPHA3_TO_ALPHA2
        .iter()
        .find(|(_, b)| *b == a2)
        .map(|(a, _)| *a)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_complete_sorted_and_unique() {
        assert_eq!(ISO3166_ALPHA3_TO_ALPHA2.len(), 249);
        assert!(ISO3166_ALPHA3_TO_ALPHA2.windows(2).all(|w| w[0].0 < w[1].0));
        let mut a2: Vec<_> = ISO3166_ALPHA3_TO_ALPHA2.iter().map(|p| p.1).collect();
        a2.sort_unstable();
        a2.dedup();
        assert_eq!(a2.len(), 249);
        for (c, _, _) in ICAO_SPECIAL_CODES {
            assert!(
                ISO3166_ALPHA3_TO_ALPHA2
                    .binary_search_by(|p| p.0.cmp(c))
                    .is_err(),
                "{c}"
            );
        }
    }

    #[test]
    fn icao_codes() {
        assert_eq!(icao_to_iso("D"), IssuerCountry::Iso("DE"));
        assert_eq!(icao_to_iso("D<<"), IssuerCountry::Iso("DE"));
        assert_eq!(icao_to_iso("DEU"), IssuerCountry::Iso("DE"));
        assert_eq!(icao_to_iso("KOR"), IssuerCountry::Iso("KR"));
        assert_eq!(icao_to_iso("GBR"), IssuerCountry::Iso("GB"));
        assert_eq!(icao_to_iso("GBD"), IssuerCountry::Iso("GB"));
        assert_eq!(icao_to_iso("UTO"), IssuerCountry::Iso("UT"));
        assert_eq!(icao_to_iso("nld"), IssuerCountry::Iso("NL"));
        assert_eq!(icao_to_iso("IDN"), IssuerCountry::Iso("ID"));
        assert!(matches!(icao_to_iso("XPO"), IssuerCountry::Organisation(_)));
        assert_eq!(icao_to_iso("QQQ"), IssuerCountry::Unknown);
        assert_eq!(iso_alpha2_to_alpha3("kr"), Some("KOR"));
    }
}
