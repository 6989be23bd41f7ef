//! Cross-checks of the run-time curve against RustCrypto's typed curves,
//! and self-consistency of the run-time curve on every whitelisted curve.

use rand::{Rng, SeedableRng};

use rand::rngs::ChaCha20Rng;

use crate::curve::CurveId;
use crate::ec::test_hooks::{Backend, runtime, typed};
use crate::ec::{EcPoint, EcSecret};

fn rng(seed: u64) -> ChaCha20Rng {
    ChaCha20Rng::seed_from_u64(seed)
}

fn generator_xy(curve: CurveId) -> Vec<u8> {
    let p = curve.params();
    [p.gx, p.gy].concat()
}

fn neg_xy(curve: CurveId, xy: &[u8]) -> Vec<u8> {
    // (x, p − y) by schoolbook subtraction on the byte strings.
    let fl = curve.field_len();
    let p = curve.params().p;
    let y = &xy[fl..];
    let mut out = vec![0u8; fl];
    let mut borrow = 0i16;
    for i in (0..fl).rev() {
        let mut v = i16::from(p[i]) - i16::from(y[i]) - borrow;
        borrow = 0;
        if v < 0 {
            v += 256;
            borrow = 1;
        }
        out[i] = v as u8;
    }
    [xy[..fl].to_vec(), out].concat()
}

fn random_scalar(curve: CurveId, r: &mut ChaCha20Rng) -> Vec<u8> {
    EcSecret::random(curve, r).to_bytes().to_vec()
}

fn n_minus(curve: CurveId, k: u8) -> Vec<u8> {
    let mut n = curve.params().n.to_vec();
    let last = n.len() - 1;
    n[last] -= k; // every n ends in a byte >= 2
    n
}

/// Checks shared by both backends on one curve: G on the curve,
/// (n−1)·G = −G, G + (−G) = O, decompression of G.
fn check_group_law(curve: CurveId, be: &dyn Backend, label: &str) {
    let g = generator_xy(curve);
    assert!(be.is_on_curve(&g), "{label} {curve}: G on curve");
    let neg_g = neg_xy(curve, &g);
    assert_eq!(
        be.mul_ct(&g, &n_minus(curve, 1)).as_deref(),
        Some(&neg_g[..]),
        "{label} {curve}: (n-1)G = -G"
    );
    assert_eq!(
        be.mul_vartime(&g, &n_minus(curve, 1)).as_deref(),
        Some(&neg_g[..]),
        "{label} {curve}: vartime"
    );
    assert_eq!(
        be.mul_base_ct(&n_minus(curve, 1)).as_deref(),
        Some(&neg_g[..]),
        "{label} {curve}: base"
    );
    assert_eq!(be.add(&g, &neg_g), None, "{label} {curve}: G + (-G) = O");
    // n·G = O, via (n−1)·G + G.
    let g2 = be.add(&g, &g).expect("2G");
    assert_eq!(
        be.mul_ct(&g, &n_minus(curve, 2))
            .and_then(|p| be.add(&p, &g2)),
        None,
        "{label} {curve}: nG = O"
    );
    let fl = curve.field_len();
    let odd = g[2 * fl - 1] & 1 == 1;
    assert_eq!(
        be.decompress_y(&g[..fl], odd).as_deref(),
        Some(&g[fl..]),
        "{label} {curve}: decompress"
    );
    let mut off = g.clone();
    off[2 * fl - 1] ^= 1;
    assert!(
        !be.is_on_curve(&off),
        "{label} {curve}: perturbed G rejected"
    );
}

#[test]
fn group_law_holds_on_every_curve_and_backend() {
    for curve in CurveId::ALL {
        check_group_law(curve, runtime(curve), "runtime");
        if let Some(t) = typed(curve) {
            check_group_law(curve, t, "typed");
        }
    }
}

#[test]
fn runtime_matches_typed_crates() {
    let mut r = rng(1);
    for curve in CurveId::ALL {
        let Some(t) = typed(curve) else { continue };
        let rt = runtime(curve);
        let g = generator_xy(curve);
        for _ in 0..3 {
            let k1 = random_scalar(curve, &mut r);
            let k2 = random_scalar(curve, &mut r);
            // k·G, constant time and variable time.
            let p1 = t.mul_base_ct(&k1).unwrap();
            assert_eq!(rt.mul_base_ct(&k1).unwrap(), p1, "{curve} k·G");
            assert_eq!(rt.mul_vartime(&g, &k1).unwrap(), p1, "{curve} k·G vartime");
            // ECDH on a random point.
            let shared = t.mul_ct(&p1, &k2).unwrap();
            assert_eq!(rt.mul_ct(&p1, &k2).unwrap(), shared, "{curve} ECDH");
            assert_eq!(
                rt.mul_vartime(&p1, &k2).unwrap(),
                shared,
                "{curve} ECDH vartime"
            );
            // Addition and GM mapping s·G + H with a short nonce.
            assert_eq!(rt.add(&p1, &shared), t.add(&p1, &shared), "{curve} add");
            let mut s = vec![0u8; curve.order_len()];
            r.fill_bytes(&mut s[curve.order_len() - 16..]);
            assert_eq!(
                rt.mul_base_add_ct(&s, &shared),
                t.mul_base_add_ct(&s, &shared),
                "{curve} GM"
            );
            // Decompression.
            let fl = curve.field_len();
            for odd in [false, true] {
                assert_eq!(
                    rt.decompress_y(&p1[..fl], odd),
                    t.decompress_y(&p1[..fl], odd),
                    "{curve} decompress"
                );
            }
            // Point encoding of a random t < p.
            let mut tt = vec![0u8; fl + 8];
            r.fill_bytes(&mut tt);
            let tt = runtime(curve).reduce_mod_p(&tt);
            assert_eq!(
                rt.point_encoding(&tt),
                t.point_encoding(&tt),
                "{curve} point encoding"
            );
            // ECDSA: same RFC 6979 k ⇒ identical signatures; each verifies
            // the other's.
            let mut e = vec![0u8; curve.order_len()];
            r.fill_bytes(&mut e);
            if curve == CurveId::P521 {
                e[0] &= 0x01;
            }
            let mut entropy = [0u8; 32];
            r.fill_bytes(&mut entropy);
            let (r1, s1) = t.ecdsa_sign(&k1, &e, &entropy);
            let (r2, s2) = rt.ecdsa_sign(&k1, &e, &entropy);
            assert_eq!((&r1, &s1), (&r2, &s2), "{curve} ECDSA sign");
            assert!(
                rt.ecdsa_verify(&p1, &e, &r1, &s1),
                "{curve} runtime verifies typed"
            );
            assert!(
                t.ecdsa_verify(&p1, &e, &r2, &s2),
                "{curve} typed verifies runtime"
            );
            let mut e_bad = e.clone();
            e_bad[e.len() - 1] ^= 1;
            assert!(
                !rt.ecdsa_verify(&p1, &e_bad, &r1, &s1),
                "{curve} runtime rejects"
            );
            assert!(
                !t.ecdsa_verify(&p1, &e_bad, &r1, &s1),
                "{curve} typed rejects"
            );
        }
    }
}

#[test]
fn runtime_only_curves_are_self_consistent() {
    let mut r = rng(2);
    for curve in CurveId::ALL.into_iter().filter(|c| typed(*c).is_none()) {
        let rt = runtime(curve);
        for _ in 0..3 {
            let a = random_scalar(curve, &mut r);
            let b = random_scalar(curve, &mut r);
            let pa = rt.mul_base_ct(&a).unwrap();
            let pb = rt.mul_base_ct(&b).unwrap();
            assert!(rt.is_on_curve(&pa));
            // ECDH agreement and ct/vartime agreement.
            let ab = rt.mul_ct(&pb, &a).unwrap();
            assert_eq!(rt.mul_ct(&pa, &b).unwrap(), ab, "{curve} ECDH");
            assert_eq!(rt.mul_vartime(&pa, &b).unwrap(), ab, "{curve} vartime");
            // (a·b)·G = a·(b·G) with the mod-n multiplication.
            let prod = rt.scalar_mul(&a, &b);
            assert_eq!(rt.mul_base_ct(&prod).unwrap(), ab, "{curve} scalar_mul");
            // a·a⁻¹ = 1.
            let inv = rt.scalar_invert(&a);
            let one = rt.scalar_mul(&a, &inv);
            assert!(
                one[..one.len() - 1].iter().all(|&x| x == 0) && one[one.len() - 1] == 1,
                "{curve} invert"
            );
            // Distributivity: (a+1)·G = a·G + G, checked through the GM map.
            let mut s = vec![0u8; curve.order_len()];
            *s.last_mut().unwrap() = 1;
            let g = generator_xy(curve);
            assert_eq!(rt.mul_base_add_ct(&s, &pa), rt.add(&pa, &g), "{curve} GM");
            // Point encoding lands on the curve.
            let mut tt = vec![0u8; curve.field_len()];
            r.fill_bytes(&mut tt);
            let tt = rt.reduce_mod_p(&tt);
            assert!(
                rt.is_on_curve(&rt.point_encoding(&tt).unwrap()),
                "{curve} encoding"
            );
            // ECDSA round trip.
            let mut e = vec![0u8; curve.order_len()];
            r.fill_bytes(&mut e);
            let (sr, ss) = rt.ecdsa_sign(&a, &e, &[7u8; 32]);
            assert!(rt.ecdsa_verify(&pa, &e, &sr, &ss), "{curve} ECDSA");
            assert!(
                !rt.ecdsa_verify(&pb, &e, &sr, &ss),
                "{curve} ECDSA wrong key"
            );
        }
    }
}

#[test]
fn public_api_uses_the_expected_backend() {
    use crate::ec::{BackendKind, backend_kind};
    for curve in CurveId::ALL {
        let want = match curve {
            CurveId::BrainpoolP192r1
            | CurveId::BrainpoolP224r1
            | CurveId::BrainpoolP320r1
            | CurveId::BrainpoolP512r1 => BackendKind::Runtime,
            _ => BackendKind::RustCrypto,
        };
        assert_eq!(backend_kind(curve), want, "{curve}");
        // field_len == order_len holds for all eleven curves; the typed
        // backend relies on it (scalars travel as FieldBytes).
        assert_eq!(curve.field_len(), curve.order_len(), "{curve}");
        assert_eq!(
            EcPoint::generator(curve).to_sec1_uncompressed().len(),
            1 + 2 * curve.field_len()
        );
    }
}
