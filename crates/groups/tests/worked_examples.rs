//! The published worked examples: Doc 9303-11 Appendices G.1, G.2, H.1,
//! H.2, I.1 and the BSI "Worked Example for EAC" 1.01 (PACE, CA, TA),
//! reproduced value by value through the public API.

mod common;

use common::{hx, json, read};
use der::asn1::{AnyRef, BitStringRef, OctetStringRef};
use der::{Decode, Sequence};
use mrtd_groups::ecdsa::{SignatureFormat, sign_prehash, verify_prehash};
use mrtd_groups::{
    CurveId, DhElement, DhSecret, DomainParameters, EcPoint, EcSecret, ModpGroup, PublicKey,
    curve_from_algorithm_parameters, dh_integrated_mapping, icao_point_encoding, map_generator_gm,
    map_generator_gm_dh, public_key_from_spki,
};
use sha2::Digest;

const G1: &str = "icao9303-p11-worked-examples/pace_gm_ecdh_brainpoolp256r1_appendix_g1.json";
const G2: &str = "icao9303-p11-worked-examples/pace_gm_dh_1024_appendix_g2.json";
const H1: &str = "icao9303-p11-worked-examples/pace_im_ecdh_brainpoolp256r1_appendix_h1.json";
const H2: &str = "icao9303-p11-worked-examples/pace_im_dh_1024_appendix_h2.json";
const I1: &str = "icao9303-p11-worked-examples/pace_cam_ecdh_brainpoolp256r1_appendix_i1.json";
const EAC_ECDH: &str = "tr03110/bsi-eac-worked-example-1.01/eac_worked_example_ecdh.json";
const EAC_DH: &str = "tr03110/bsi-eac-worked-example-1.01/eac_worked_example_dh.json";

const BP256: CurveId = CurveId::BrainpoolP256r1;
const DH0: ModpGroup = ModpGroup::Rfc5114_1024_160;

/// A point given as `{x, y}` at `pointer`.
fn point_xy(v: &serde_json::Value, pointer: &str) -> EcPoint {
    EcPoint::from_affine(
        BP256,
        &hx(v, &format!("{pointer}/x")),
        &hx(v, &format!("{pointer}/y")),
    )
    .expect("vector point on curve")
}

fn secret(v: &serde_json::Value, pointer: &str) -> EcSecret {
    EcSecret::from_bytes(BP256, &hx(v, pointer)).expect("vector scalar in range")
}

#[test]
fn g1_pace_generic_mapping_ecdh_brainpool_p256r1() {
    let v = json(G1);
    assert_eq!(v["parameter_id"], 13);
    assert_eq!(
        DomainParameters::from_standardized_id(13),
        Some(DomainParameters::Ec(BP256))
    );

    // Mapping: ephemeral key pairs and the shared point H.
    let sk_ifd = secret(&v, "/mapping/terminal_private_key");
    let sk_ic = secret(&v, "/mapping/chip_private_key");
    let pk_ifd = point_xy(&v, "/mapping/terminal_public_key");
    let pk_ic = point_xy(&v, "/mapping/chip_public_key");
    assert_eq!(sk_ifd.public_key(), pk_ifd);
    assert_eq!(sk_ic.public_key(), pk_ic);
    let h = point_xy(&v, "/mapping/shared_point_h");
    assert_eq!(sk_ic.diffie_hellman(&pk_ifd).unwrap(), h);
    assert_eq!(sk_ifd.diffie_hellman(&pk_ic).unwrap(), h);

    // Ĝ = s·G + H.
    let g_hat = map_generator_gm(&hx(&v, "/nonce/s"), &h).unwrap();
    assert_eq!(g_hat, point_xy(&v, "/mapping/mapped_generator"));

    // Key agreement on Ĝ and the shared secret K = x(SK·PK).
    let ka_ifd = secret(&v, "/key_agreement/terminal_private_key");
    let ka_ic = secret(&v, "/key_agreement/chip_private_key");
    let ka_pk_ifd = point_xy(&v, "/key_agreement/terminal_public_key");
    let ka_pk_ic = point_xy(&v, "/key_agreement/chip_public_key");
    assert_eq!(ka_ifd.public_key_on(&g_hat).unwrap(), ka_pk_ifd);
    assert_eq!(ka_ic.public_key_on(&g_hat).unwrap(), ka_pk_ic);
    let k = hx(&v, "/key_agreement/shared_secret_k");
    assert_eq!(ka_ifd.diffie_hellman(&ka_pk_ic).unwrap().x(), &k[..]);
    assert_eq!(ka_ic.diffie_hellman(&ka_pk_ifd).unwrap().x(), &k[..]);

    // The public keys as the chip sends them (tag 86, SEC 1 uncompressed).
    let t_ifd_input = hx(&v, "/mutual_authentication/t_ifd_input");
    assert!(t_ifd_input.ends_with(&ka_pk_ic.to_sec1_uncompressed()));
}

#[test]
fn h1_pace_integrated_mapping_ecdh_point_encoding() {
    let v = json(H1);
    let want = point_xy(&v, "/mapping/mapped_generator");
    // f_G(R_p(s,t)) with the reduced value, and with the unreduced R(s,t)
    // (the function reduces mod p itself).
    let g_hat = icao_point_encoding(BP256, &hx(&v, "/mapping/r_p_s_t")).unwrap();
    assert_eq!(g_hat, want);
    assert_eq!(
        icao_point_encoding(BP256, &hx(&v, "/mapping/r_s_t")).unwrap(),
        want
    );

    let ka_ifd = secret(&v, "/key_agreement/terminal_private_key");
    let ka_ic = secret(&v, "/key_agreement/chip_private_key");
    let pk_ifd = point_xy(&v, "/key_agreement/terminal_public_key");
    let pk_ic = point_xy(&v, "/key_agreement/chip_public_key");
    assert_eq!(ka_ifd.public_key_on(&g_hat).unwrap(), pk_ifd);
    assert_eq!(ka_ic.public_key_on(&g_hat).unwrap(), pk_ic);
    let k = hx(&v, "/key_agreement/shared_secret_k");
    assert_eq!(ka_ifd.diffie_hellman(&pk_ic).unwrap().x(), &k[..]);
    assert_eq!(ka_ic.diffie_hellman(&pk_ifd).unwrap().x(), &k[..]);
}

#[test]
fn i1_pace_chip_authentication_mapping() {
    let v = json(I1);
    // Generic Mapping part.
    let sk_ifd = secret(&v, "/mapping/terminal_private_key");
    let pk_ifd = point_xy(&v, "/mapping/terminal_public_key");
    let pk_map_ic = point_xy(&v, "/mapping/chip_public_key");
    assert_eq!(sk_ifd.public_key(), pk_ifd);
    let h = sk_ifd.diffie_hellman(&pk_map_ic).unwrap();
    assert_eq!(h, point_xy(&v, "/mapping/shared_point_h"));
    let g_hat = map_generator_gm(&hx(&v, "/nonce/s"), &h).unwrap();
    assert_eq!(g_hat, point_xy(&v, "/mapping/mapped_generator"));
    let ka_ifd = secret(&v, "/key_agreement/terminal_private_key");
    assert_eq!(
        ka_ifd.public_key_on(&g_hat).unwrap(),
        point_xy(&v, "/key_agreement/terminal_public_key")
    );
    let k = ka_ifd
        .diffie_hellman(&point_xy(&v, "/key_agreement/chip_public_key"))
        .unwrap();
    assert_eq!(k.x(), &hx(&v, "/key_agreement/shared_secret_k")[..]);

    // The chip's static key, from its ChipAuthenticationPublicKeyInfo
    // (algorithm standardizedDomainParameters, ID 13).
    let info = hx(
        &v,
        "/chip_authentication_mapping/chip_authentication_public_key_info",
    );
    let info = CaPublicKeyInfo::from_der(&info).unwrap();
    let PublicKey::Ec(pk_ic) = public_key_from_spki(&info.key).unwrap() else {
        panic!("EC key expected")
    };
    assert_eq!(
        pk_ic,
        point_xy(
            &v,
            "/chip_authentication_mapping/chip_static_public_key_pk_ic"
        )
    );

    // Doc 9303-11 §4.4.3.5.2: the terminal checks CA_IC · PK_IC = PK_map,IC.
    let ca_ic = hx(&v, "/chip_authentication_mapping/ca_ic");
    assert_eq!(pk_ic.mul_public(&ca_ic).unwrap(), pk_map_ic);
    // A wrong CA_IC fails the check.
    let mut bad = ca_ic.clone();
    bad[31] ^= 1;
    assert_ne!(pk_ic.mul_public(&bad).unwrap(), pk_map_ic);
}

#[test]
fn cam_chip_side_round_trip() {
    // The chip computes CA_IC = SK_IC⁻¹ · SK_map,IC mod n (Doc 9303-11
    // §4.4.3.5.1); the terminal's check CA_IC · PK_IC = PK_map,IC must
    // then hold.
    let mut rng = <rand::rngs::ChaCha20Rng as rand::SeedableRng>::seed_from_u64(9);
    for curve in CurveId::ALL {
        let sk_ic = EcSecret::random(curve, &mut rng);
        let sk_map = EcSecret::random(curve, &mut rng);
        let ca_ic = sk_ic.invert().mul_mod_n(&sk_map).unwrap();
        let pk_ic = sk_ic.public_key();
        assert_eq!(
            pk_ic.mul_public(&ca_ic.to_bytes()).unwrap(),
            sk_map.public_key(),
            "{curve}"
        );
    }
}

#[test]
fn g2_pace_generic_mapping_dh_1024() {
    let v = json(G2);
    let el = |p: &str| DhElement::from_bytes(DH0, &hx(&v, p)).unwrap();
    let sk = |p: &str| DhSecret::from_bytes(DH0, &hx(&v, p)).unwrap();
    assert_eq!(hx(&v, "/domain_parameters/p"), DH0.params().p);
    assert_eq!(hx(&v, "/domain_parameters/g"), DH0.params().g);
    assert_eq!(hx(&v, "/domain_parameters/q"), DH0.params().q);

    let pk_ifd = el("/mapping/terminal_public_key");
    let pk_ic = el("/mapping/chip_public_key");
    assert_eq!(sk("/mapping/terminal_private_key").public_key(), pk_ifd);
    assert_eq!(sk("/mapping/chip_private_key").public_key(), pk_ic);
    let h = sk("/mapping/chip_private_key").agree(&pk_ifd).unwrap();
    assert_eq!(h.to_bytes(), hx(&v, "/mapping/shared_secret_h"));
    assert_eq!(
        sk("/mapping/terminal_private_key").agree(&pk_ic).unwrap(),
        h
    );

    let g_hat = map_generator_gm_dh(&hx(&v, "/nonce/s"), &h).unwrap();
    assert_eq!(g_hat.to_bytes(), hx(&v, "/mapping/mapped_generator"));

    // The terminal's key-agreement key in both congruent forms.
    let pk_ifd = el("/key_agreement/terminal_public_key");
    let pk_ic = el("/key_agreement/chip_public_key");
    for form in [
        "/key_agreement/terminal_private_key",
        "/key_agreement/terminal_private_key_alt_jmrtd",
    ] {
        let x = sk(form);
        assert_eq!(x.public_key_on(&g_hat).unwrap(), pk_ifd, "{form}");
        assert_eq!(
            x.agree(&pk_ic).unwrap().to_bytes(),
            hx(&v, "/key_agreement/shared_secret_k"),
            "{form}"
        );
    }
    assert_eq!(
        sk("/key_agreement/terminal_private_key").to_bytes(),
        sk("/key_agreement/terminal_private_key_alt_jmrtd").to_bytes()
    );
    let x_ic = sk("/key_agreement/chip_private_key");
    assert_eq!(x_ic.public_key_on(&g_hat).unwrap(), pk_ic);
    assert_eq!(
        x_ic.agree(&pk_ifd).unwrap().to_bytes(),
        hx(&v, "/key_agreement/shared_secret_k")
    );
}

#[test]
fn h2_pace_integrated_mapping_dh_1024() {
    let v = json(H2);
    let g_hat = dh_integrated_mapping(DH0, &hx(&v, "/mapping/r_p_s_t")).unwrap();
    assert_eq!(g_hat.to_bytes(), hx(&v, "/mapping/mapped_generator"));
    assert_eq!(
        dh_integrated_mapping(DH0, &hx(&v, "/mapping/r_s_t")).unwrap(),
        g_hat
    );
    // The mapped generator is a valid subgroup element.
    assert_eq!(
        DhElement::from_bytes(DH0, &g_hat.to_bytes()).unwrap(),
        g_hat
    );

    let x = DhSecret::from_bytes(DH0, &hx(&v, "/key_agreement/terminal_private_key")).unwrap();
    assert_eq!(
        x.public_key_on(&g_hat).unwrap().to_bytes(),
        hx(&v, "/key_agreement/terminal_public_key")
    );
    let pk_ic = DhElement::from_bytes(DH0, &hx(&v, "/key_agreement/chip_public_key")).unwrap();
    assert_eq!(
        x.agree(&pk_ic).unwrap().to_bytes(),
        hx(&v, "/key_agreement/shared_secret_k")
    );
}

/// `ChipAuthenticationPublicKeyInfo ::= SEQUENCE { protocol OID,
/// chipAuthenticationPublicKey SubjectPublicKeyInfo, keyId INTEGER
/// OPTIONAL }` (Doc 9303-11 §9.2.6).
#[derive(Sequence)]
struct CaPublicKeyInfo<'a> {
    protocol: der::asn1::ObjectIdentifier,
    key: spki::SubjectPublicKeyInfoRef<'a>,
    key_id: Option<der::asn1::Int>,
}

/// The DER of each `ChipAuthenticationPublicKeyInfo` (protocol
/// `id-PK-DH`/`id-PK-ECDH`, 0.4.0.127.0.7.2.2.1.x) in a SecurityInfos SET.
fn ca_public_key_infos(security_infos: &[u8]) -> Vec<Vec<u8>> {
    let set = AnyRef::from_der(security_infos).unwrap();
    let mut reader = der::SliceReader::new(set.value()).unwrap();
    let mut out = Vec::new();
    while !der::Reader::is_finished(&reader) {
        let item: AnyRef<'_> = der::Decode::decode(&mut reader).unwrap();
        let item = der::Encode::to_der(&item).unwrap();
        if let Ok(info) = CaPublicKeyInfo::from_der(&item)
            && info
                .protocol
                .to_string()
                .starts_with("0.4.0.127.0.7.2.2.1.")
        {
            out.push(item);
        }
    }
    out
}

/// The eContent of a CMS SignedData (EF.CardSecurity, EF.SOD inner).
fn econtent(cms_der: &[u8]) -> Vec<u8> {
    let ci = cms::content_info::ContentInfo::from_der(cms_der).unwrap();
    let sd: cms::signed_data::SignedData = ci.content.decode_as().unwrap();
    let ec = sd.encap_content_info.econtent.unwrap();
    ec.decode_as::<der::asn1::OctetString>()
        .unwrap()
        .into_bytes()
        .into_vec()
}

/// `PrivateKeyInfo` (RFC 5208) and `ECPrivateKey` (RFC 5915), just enough
/// to read the test keys.
#[derive(Sequence)]
struct PrivateKeyInfo<'a> {
    version: u8,
    algorithm: spki::AlgorithmIdentifierRef<'a>,
    private_key: &'a OctetStringRef,
}

#[derive(Sequence)]
struct EcPrivateKey<'a> {
    version: u8,
    private_key: &'a OctetStringRef,
    #[asn1(context_specific = "0", optional = "true")]
    parameters: Option<AnyRef<'a>>,
    #[asn1(context_specific = "1", optional = "true")]
    public_key: Option<BitStringRef<'a>>,
}

fn ec_key_from_pkcs8(der: &[u8]) -> (CurveId, EcSecret) {
    let pki = PrivateKeyInfo::from_der(der).unwrap();
    let curve =
        curve_from_algorithm_parameters(pki.algorithm.parameters.as_ref().unwrap()).unwrap();
    let ec = EcPrivateKey::from_der(pki.private_key.as_bytes()).unwrap();
    let sk = EcSecret::from_bytes(curve, ec.private_key.as_bytes()).unwrap();
    if let Some(pk) = ec.public_key {
        assert_eq!(
            sk.public_key(),
            EcPoint::from_sec1(curve, pk.as_bytes().unwrap()).unwrap()
        );
    }
    (curve, sk)
}

#[test]
fn bsi_eac_worked_example_ecdh() {
    let v = json(EAC_ECDH);
    let pt = |p: &str| EcPoint::from_sec1(BP256, &hx(&v, p)).unwrap();
    let sk = |p: &str| EcSecret::from_bytes(BP256, &hx(&v, p)).unwrap();

    // PACE-GM.
    assert_eq!(
        sk("/pace/mapping/terminal_private_key").public_key(),
        pt("/pace/mapping/terminal_public_key")
    );
    assert_eq!(
        sk("/pace/mapping/chip_private_key").public_key(),
        pt("/pace/mapping/chip_public_key")
    );
    let h = sk("/pace/mapping/chip_private_key")
        .diffie_hellman(&pt("/pace/mapping/terminal_public_key"))
        .unwrap();
    assert_eq!(h, pt("/pace/mapping/shared_secret_h"));
    let g_hat = map_generator_gm(&hx(&v, "/pace/s"), &h).unwrap();
    assert_eq!(g_hat, pt("/pace/mapping/mapped_generator"));
    // (The terminal key is given with a leading 00 byte: 33 bytes.)
    let ka_t = sk("/pace/key_agreement/terminal_private_key");
    assert_eq!(
        ka_t.public_key_on(&g_hat).unwrap(),
        pt("/pace/key_agreement/terminal_public_key")
    );
    let ka_c = sk("/pace/key_agreement/chip_private_key");
    let pace_chip_pk = pt("/pace/key_agreement/chip_public_key");
    assert_eq!(ka_c.public_key_on(&g_hat).unwrap(), pace_chip_pk);
    assert_eq!(
        ka_t.diffie_hellman(&pace_chip_pk).unwrap().x(),
        &hx(&v, "/pace/key_agreement/shared_secret_k")[..]
    );

    // Chip Authentication v2: the chip key from EF.CardSecurity.
    let content = econtent(&read(
        "tr03110/bsi-eac-worked-example-1.01/ecdh/EF_CardSecurity.bin",
    ));
    let infos = ca_public_key_infos(&content);
    assert_eq!(infos.len(), 1);
    let info = CaPublicKeyInfo::from_der(&infos[0]).unwrap();
    let PublicKey::Ec(ca_pk) = public_key_from_spki(&info.key).unwrap() else {
        panic!("EC key expected")
    };
    assert_eq!(ca_pk, pt("/chip_authentication/chip_public_key"));
    let ca_sk = sk("/chip_authentication/chip_private_key");
    assert_eq!(ca_sk.public_key(), ca_pk);
    let ca_t = sk("/chip_authentication/terminal_private_key");
    let ca_t_pk = pt("/chip_authentication/terminal_public_key");
    assert_eq!(ca_t.public_key(), ca_t_pk);
    let k = hx(&v, "/chip_authentication/shared_secret_k");
    assert_eq!(ca_t.diffie_hellman(&ca_pk).unwrap().x(), &k[..]);
    assert_eq!(ca_sk.diffie_hellman(&ca_t_pk).unwrap().x(), &k[..]);

    // Terminal Authentication: ECDSA-SHA-512, plain r‖s, with the
    // brainpoolP512r1 terminal key (run-time backend, explicit parameters
    // in the PKCS#8 key). Signed data: x(PACE chip ephemeral key) ‖ r_PICC
    // ‖ x(CA terminal key).
    let (curve, ta_sk) = ec_key_from_pkcs8(&read(
        "tr03110/bsi-eac-worked-example-1.01/ecdh/terminal_key.pkcs8",
    ));
    assert_eq!(curve, CurveId::BrainpoolP512r1);
    let ta_pk = ta_sk.public_key();
    let mut msg = pace_chip_pk.x().to_vec();
    msg.extend_from_slice(&hx(&v, "/terminal_authentication/r_picc"));
    msg.extend_from_slice(ca_t_pk.x());
    let digest = sha2::Sha512::digest(&msg);
    let sig = hx(&v, "/terminal_authentication/signature");
    verify_prehash(&ta_pk, &digest, &sig, SignatureFormat::Plain).unwrap();
    let mut bad = sig.clone();
    bad[10] ^= 1;
    assert!(verify_prehash(&ta_pk, &digest, &bad, SignatureFormat::Plain).is_err());
    // And our own signature with that key verifies too.
    let mut rng = <rand::rngs::ChaCha20Rng as rand::SeedableRng>::seed_from_u64(3);
    let own = sign_prehash(&ta_sk, &digest, &mut rng, SignatureFormat::Plain).unwrap();
    verify_prehash(&ta_pk, &digest, &own, SignatureFormat::Plain).unwrap();
}

#[test]
fn bsi_eac_worked_example_dh() {
    let v = json(EAC_DH);
    let el = |p: &str| DhElement::from_bytes(DH0, &hx(&v, p)).unwrap();
    let sk = |p: &str| DhSecret::from_bytes(DH0, &hx(&v, p)).unwrap();

    // PACE-GM with 1024-bit private keys (congruent mod q to G.2's).
    assert_eq!(
        sk("/pace/mapping/terminal_private_key").public_key(),
        el("/pace/mapping/terminal_public_key")
    );
    assert_eq!(
        sk("/pace/mapping/chip_private_key").public_key(),
        el("/pace/mapping/chip_public_key")
    );
    let h = sk("/pace/mapping/terminal_private_key")
        .agree(&el("/pace/mapping/chip_public_key"))
        .unwrap();
    assert_eq!(h, el("/pace/mapping/shared_secret_h"));
    let g_hat = map_generator_gm_dh(&hx(&v, "/pace/s"), &h).unwrap();
    assert_eq!(g_hat, el("/pace/mapping/mapped_generator"));
    // (The terminal public key is given with a leading 00 byte.)
    let ka_t = sk("/pace/key_agreement/terminal_private_key");
    assert_eq!(
        ka_t.public_key_on(&g_hat).unwrap(),
        el("/pace/key_agreement/terminal_public_key")
    );
    let ka_c = sk("/pace/key_agreement/chip_private_key");
    assert_eq!(
        ka_c.public_key_on(&g_hat).unwrap(),
        el("/pace/key_agreement/chip_public_key")
    );
    assert_eq!(
        ka_c.agree(&el("/pace/key_agreement/terminal_public_key"))
            .unwrap()
            .to_bytes(),
        hx(&v, "/pace/key_agreement/shared_secret_k")
    );

    // Chip Authentication DH: the key from EF.CardSecurity
    // (standardizedDomainParameters 0, DHPublicKey INTEGER).
    let content = econtent(&read(
        "tr03110/bsi-eac-worked-example-1.01/dh/EF_CardSecurity.bin",
    ));
    let infos = ca_public_key_infos(&content);
    assert_eq!(infos.len(), 1);
    let info = CaPublicKeyInfo::from_der(&infos[0]).unwrap();
    let PublicKey::Dh(ca_pk) = public_key_from_spki(&info.key).unwrap() else {
        panic!("DH key expected")
    };
    assert_eq!(ca_pk, el("/chip_authentication/chip_public_key"));
    let ca_sk = sk("/chip_authentication/chip_private_key");
    assert_eq!(ca_sk.public_key(), ca_pk);
    let ca_t = sk("/chip_authentication/terminal_private_key");
    assert_eq!(
        ca_t.public_key(),
        el("/chip_authentication/terminal_public_key")
    );
    let k = hx(&v, "/chip_authentication/shared_secret_k");
    assert_eq!(ca_t.agree(&ca_pk).unwrap().to_bytes(), k);
    assert_eq!(
        ca_sk
            .agree(&el("/chip_authentication/terminal_public_key"))
            .unwrap()
            .to_bytes(),
        k
    );
}

#[test]
fn bsi_reference_dataset_dg14_key_matches_its_private_key() {
    // BSI TR-03105-5 reference data set: DG14 carries a brainpoolP224r1 CA
    // key with explicit parameters; DG14_sk.pkcs8 is its published private
    // key (run-time backend).
    let dg14 = read("lds/bsi-tr03105-5-reference-dataset/Datagroup14.bin");
    let inner = AnyRef::from_der(&dg14).unwrap(); // [APPLICATION 14]
    let infos = ca_public_key_infos(inner.value());
    assert_eq!(infos.len(), 1);
    let info = CaPublicKeyInfo::from_der(&infos[0]).unwrap();
    let PublicKey::Ec(pk) = public_key_from_spki(&info.key).unwrap() else {
        panic!("EC key expected")
    };
    assert_eq!(pk.curve(), CurveId::BrainpoolP224r1);
    let (curve, sk) = ec_key_from_pkcs8(&read("lds/bsi-tr03105-5-reference-dataset/DG14_sk.pkcs8"));
    assert_eq!(curve, CurveId::BrainpoolP224r1);
    assert_eq!(sk.public_key(), pk);
    // Chip Authentication with a random terminal key agrees both ways.
    let mut rng = <rand::rngs::ChaCha20Rng as rand::SeedableRng>::seed_from_u64(4);
    let t = EcSecret::random(curve, &mut rng);
    assert_eq!(
        t.diffie_hellman(&pk).unwrap(),
        sk.diffie_hellman(&t.public_key()).unwrap()
    );
}
