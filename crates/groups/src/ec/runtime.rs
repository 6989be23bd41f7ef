//! A short-Weierstrass curve `y² = x³ + a·x + b` over GF(p) whose parameters
//! are chosen at run time, on top of `crypto-bigint`'s
//! [`FixedMontyForm`] (Montgomery arithmetic with a run-time odd modulus).
//!
//! RustCrypto has no crate for brainpoolP192r1/P224r1/P320r1/P512r1 (see
//! `shared/dependencies.md` §1.1), so this module provides them. It is only
//! ever instantiated from the constant whitelist in [`crate::curve`]
//! (never from parameters read off a certificate or chip), and every
//! whitelisted curve has prime order (cofactor 1) — which is what makes the
//! complete formulas below complete.
//!
//! # Side channels
//!
//! - Field arithmetic (`add`, `sub`, `mul`, `square`, `neg`, `invert`) of
//!   `FixedMontyForm` is constant time.
//! - Point addition and doubling are the *complete*, exception-free
//!   projective formulas of Renes–Costello–Batina 2015 (Algorithms 1 and 3,
//!   for arbitrary `a`): no branch on the operands, the identity included.
//! - Scalar multiplication with a secret scalar ([`RuntimeCurve::mul_ct`])
//!   is a fixed 4-bit window over *all* `order_len·2` nibbles, with a
//!   table lookup that reads every entry and selects with constant-time
//!   masks; the affine conversion inverts Z with the constant-time
//!   (safegcd) inversion.
//! - ECDSA signing derives `k` with hedged RFC 6979, multiplies in constant
//!   time and inverts `k` mod n in constant time.
//! - The Integrated Mapping point encoding computes both candidate points
//!   and selects with a constant-time mask.
//! - *Variable time, public data only:* `mul_vartime` and ECDSA
//!   verification (windowed Shamir), decompression (`(p+1)/4` powering, or
//!   Tonelli–Shanks for P-224, whose `p ≡ 1 mod 4`) and validation of
//!   public points.

use crypto_bigint::modular::{FixedMontyForm, FixedMontyParams};
use crypto_bigint::{Choice, CtAssign, CtEq, Odd, Uint};
use sha2::{Sha256, Sha384, Sha512};
use zeroize::Zeroize;

use crate::curve::CurveId;

type Fe<const L: usize> = FixedMontyForm<L>;

/// Largest limb count in use (P-521 on 64-bit limbs needs 9).
const MAX_BYTES: usize = 9 * 8;

/// Decodes a big-endian integer of at most `L` limbs (shorter input is
/// zero-padded). `None` if it does not fit. Constant time in the value.
fn uint_from_be<const L: usize>(bytes: &[u8]) -> Option<Uint<L>> {
    let width = L * crypto_bigint::Limb::BYTES;
    if bytes.len() > width || width > MAX_BYTES {
        return None;
    }
    let mut buf = [0u8; MAX_BYTES];
    buf[width - bytes.len()..width].copy_from_slice(bytes);
    let out = Uint::<L>::from_be_slice(&buf[..width]);
    buf.zeroize();
    Some(out)
}

/// Encodes the low `len` bytes of `u` big-endian (`len` ≤ the width).
fn uint_to_be<const L: usize>(u: &Uint<L>, len: usize) -> Vec<u8> {
    let enc = u.to_be_bytes();
    let bytes: &[u8] = enc.as_ref();
    bytes[bytes.len() - len..].to_vec()
}

/// A point in homogeneous projective coordinates `(X : Y : Z)`, affine
/// `(X/Z, Y/Z)`; the identity is `(0 : 1 : 0)`.
#[derive(Clone, Copy)]
struct Proj<const L: usize> {
    x: Fe<L>,
    y: Fe<L>,
    z: Fe<L>,
}

impl<const L: usize> Proj<L> {
    fn ct_assign(&mut self, other: &Self, choice: Choice) {
        self.x.ct_assign(&other.x, choice);
        self.y.ct_assign(&other.y, choice);
        self.z.ct_assign(&other.z, choice);
    }
}

impl<const L: usize> Zeroize for Proj<L> {
    fn zeroize(&mut self) {
        self.x.zeroize();
        self.y.zeroize();
        self.z.zeroize();
    }
}

/// Tonelli–Shanks square roots for p − 1 = q·2^s with s ≥ 2.
struct TonelliShanks<const L: usize> {
    s: u32,
    /// q, odd.
    q: Uint<L>,
    /// (q + 1)/2.
    q_plus_1_half: Uint<L>,
    /// z^q for a quadratic non-residue z: a primitive 2^s-th root of unity.
    c: Fe<L>,
}

impl<const L: usize> TonelliShanks<L> {
    fn new(p: &Uint<L>, fp: &FixedMontyParams<L>) -> Self {
        let p_minus_1 = p.wrapping_sub(&Uint::ONE);
        let s = p_minus_1.trailing_zeros_vartime();
        let q = p_minus_1.shr_vartime(s);
        let q_plus_1_half = q.wrapping_add(&Uint::ONE).shr_vartime(1);
        let half = p_minus_1.shr_vartime(1);
        let minus_one = Fe::one(fp).neg();
        // The smallest quadratic non-residue (Euler's criterion).
        let z = (2u64..)
            .map(|z| Fe::new(&Uint::from_u64(z), fp))
            .find(|z| z.pow_vartime(&half).ct_eq(&minus_one).to_bool())
            .expect("an odd prime has quadratic non-residues");
        Self {
            s,
            q,
            q_plus_1_half,
            c: z.pow_vartime(&q),
        }
    }

    fn sqrt(&self, v: &Fe<L>) -> Option<Fe<L>> {
        let one = Fe::one(v.params());
        if v.retrieve().is_zero_vartime() {
            return Some(*v);
        }
        let mut m = self.s;
        let mut c = self.c;
        let mut t = v.pow_vartime(&self.q);
        let mut r = v.pow_vartime(&self.q_plus_1_half);
        while !t.ct_eq(&one).to_bool() {
            // Least i in (0, m) with t^(2^i) = 1; none means no root.
            let mut i = 0;
            let mut t2 = t;
            while !t2.ct_eq(&one).to_bool() {
                t2 = t2.square();
                i += 1;
                if i >= m {
                    return None;
                }
            }
            let b = c.square_repeat_vartime(m - i - 1);
            m = i;
            c = b.square();
            t = t.mul(&c);
            r = r.mul(&b);
        }
        Some(r)
    }
}

/// One whitelisted curve with its precomputed Montgomery parameters.
pub(crate) struct RuntimeCurve<const L: usize> {
    id: CurveId,
    /// Montgomery parameters modulo p (coordinates).
    fp: FixedMontyParams<L>,
    /// Montgomery parameters modulo n (scalars).
    fnp: FixedMontyParams<L>,
    n: Uint<L>,
    a: Fe<L>,
    b: Fe<L>,
    /// 3·b, used by the complete formulas.
    b3: Fe<L>,
    g: Proj<L>,
    /// (p+1)/4: square roots for p ≡ 3 (mod 4).
    sqrt_exp: Uint<L>,
    /// Tonelli–Shanks constants for p ≡ 1 (mod 4) (P-224 only).
    tonelli_shanks: Option<TonelliShanks<L>>,
    /// p−1−(p+1)/4: the exponent of the Doc 9303-11 point encoding.
    enc_exp: Uint<L>,
    /// 2^64 mod p and mod n, for Horner reduction of long inputs.
    two64_p: Fe<L>,
    two64_n: Fe<L>,
}

impl<const L: usize> RuntimeCurve<L> {
    /// Instantiates `id` from the constant table.
    ///
    /// # Panics
    /// Only if the constant table itself were wrong (p or n even, or too
    /// wide for `L` limbs) — the unit tests exercise every curve.
    pub(crate) fn new(id: CurveId) -> Self {
        let c = id.params();
        let p = uint_from_be::<L>(c.p).expect("p fits the limb count");
        let n = uint_from_be::<L>(c.n).expect("n fits the limb count");
        let fp = FixedMontyParams::new_vartime(Odd::new(p).into_option().expect("p is odd"));
        let fnp = FixedMontyParams::new_vartime(Odd::new(n).into_option().expect("n is odd"));
        let fe = |bytes: &[u8]| Fe::new(&uint_from_be::<L>(bytes).expect("constant fits"), &fp);
        let a = fe(c.a);
        let b = fe(c.b);
        let b3 = b.add(&b).add(&b);
        let g = Proj {
            x: fe(c.gx),
            y: fe(c.gy),
            z: Fe::one(&fp),
        };
        // (p+1)/4 and p−1−(p+1)/4; p+1 does not overflow: the top limb of
        // every whitelisted p has spare bits or p < 2^(64·L) − 1.
        let sqrt_exp = p.wrapping_add(&Uint::ONE).shr_vartime(2);
        let enc_exp = p.wrapping_sub(&Uint::ONE).wrapping_sub(&sqrt_exp);
        let two64 = Uint::<L>::ONE.shl_vartime(64);
        let two64_p = Fe::new(&two64, &fp);
        let two64_n = Fe::new(&two64, &fnp);
        let tonelli_shanks = if id.p_is_3_mod_4() {
            None
        } else {
            Some(TonelliShanks::new(&p, &fp))
        };
        Self {
            id,
            fp,
            fnp,
            n,
            a,
            b,
            b3,
            g,
            sqrt_exp,
            tonelli_shanks,
            enc_exp,
            two64_p,
            two64_n,
        }
    }

    /// A square root of `v`, if one exists. Variable time: used only to
    /// decompress public points.
    fn sqrt_vartime(&self, v: &Fe<L>) -> Option<Fe<L>> {
        let y = match &self.tonelli_shanks {
            None => v.pow_vartime(&self.sqrt_exp),
            Some(ts) => ts.sqrt(v)?,
        };
        y.square().ct_eq(v).to_bool().then_some(y)
    }

    fn field_len(&self) -> usize {
        self.id.field_len()
    }

    fn order_len(&self) -> usize {
        self.id.order_len()
    }

    /// The encoding exponent p−1−(p+1)/4 as little-endian 64-bit words (for
    /// the typed backend's `Field::pow_vartime`).
    pub(crate) fn enc_exp_words(&self) -> Vec<u64> {
        let be = uint_to_be(&self.enc_exp, L * crypto_bigint::Limb::BYTES);
        be.rchunks(8)
            .map(|c| {
                let mut w = [0u8; 8];
                w[8 - c.len()..].copy_from_slice(c);
                u64::from_be_bytes(w)
            })
            .collect()
    }

    // ----- field and scalar helpers -------------------------------------

    /// A canonical field element (`bytes` exactly `field_len`, value < p),
    /// or `None`. Variable time: public coordinates only.
    fn fe_from_canonical(&self, bytes: &[u8]) -> Option<Fe<L>> {
        if bytes.len() != self.field_len() {
            return None;
        }
        let u = uint_from_be::<L>(bytes)?;
        if u.cmp_vartime(self.fp.modulus().as_ref()) != core::cmp::Ordering::Less {
            return None;
        }
        Some(Fe::new(&u, &self.fp))
    }

    fn fe_to_bytes(&self, fe: &Fe<L>) -> Vec<u8> {
        uint_to_be(&fe.retrieve(), self.field_len())
    }

    /// Reduces a big-endian integer of any length modulo the modulus of
    /// `params` by Horner's rule over 64-bit chunks. Constant time in the
    /// value (the running time depends only on `bytes.len()`).
    fn reduce(bytes: &[u8], params: &FixedMontyParams<L>, two64: &Fe<L>) -> Fe<L> {
        let mut acc = Fe::zero(params);
        let head = bytes.len() % 8;
        let mut chunks: Vec<&[u8]> = Vec::with_capacity(bytes.len() / 8 + 1);
        if head != 0 {
            chunks.push(&bytes[..head]);
        }
        chunks.extend(bytes[head..].chunks(8));
        for chunk in chunks {
            let mut w = [0u8; 8];
            w[8 - chunk.len()..].copy_from_slice(chunk);
            let mut limb = Uint::<L>::from_u64(u64::from_be_bytes(w));
            let term = Fe::new(&limb, params);
            acc = acc.mul(two64).add(&term);
            w.zeroize();
            limb.zeroize();
        }
        acc
    }

    /// `bytes mod p` as a canonical big-endian field element.
    pub(crate) fn reduce_mod_p(&self, bytes: &[u8]) -> Vec<u8> {
        let mut fe = Self::reduce(bytes, &self.fp, &self.two64_p);
        let out = self.fe_to_bytes(&fe);
        fe.zeroize();
        out
    }

    /// `bytes mod n` as a canonical `order_len`-byte scalar.
    pub(crate) fn reduce_mod_n(&self, bytes: &[u8]) -> Vec<u8> {
        let mut fe = Self::reduce(bytes, &self.fnp, &self.two64_n);
        let out = uint_to_be(&fe.retrieve(), self.order_len());
        fe.zeroize();
        out
    }

    /// A scalar as an element mod n (the caller guarantees `< n`).
    fn scalar(&self, k: &[u8]) -> Fe<L> {
        let mut u = uint_from_be::<L>(k).unwrap_or(Uint::ZERO);
        let s = Fe::new(&u, &self.fnp);
        u.zeroize();
        s
    }

    fn scalar_to_bytes(&self, s: &Fe<L>) -> Vec<u8> {
        uint_to_be(&s.retrieve(), self.order_len())
    }

    /// `k⁻¹ mod n`, constant time (safegcd); `k` must be nonzero.
    pub(crate) fn scalar_invert(&self, k: &[u8]) -> Vec<u8> {
        let mut s = self.scalar(k);
        let inv = s.invert().into_option().unwrap_or(Fe::zero(&self.fnp));
        s.zeroize();
        self.scalar_to_bytes(&inv)
    }

    /// `a·b mod n`, constant time.
    pub(crate) fn scalar_mul(&self, a: &[u8], b: &[u8]) -> Vec<u8> {
        let mut x = self.scalar(a);
        let mut y = self.scalar(b);
        let mut z = x.mul(&y);
        let out = self.scalar_to_bytes(&z);
        x.zeroize();
        y.zeroize();
        z.zeroize();
        out
    }

    // ----- points ------------------------------------------------------

    fn identity(&self) -> Proj<L> {
        Proj {
            x: Fe::zero(&self.fp),
            y: Fe::one(&self.fp),
            z: Fe::zero(&self.fp),
        }
    }

    fn rhs(&self, x: &Fe<L>) -> Fe<L> {
        x.square().mul(x).add(&self.a.mul(x)).add(&self.b)
    }

    fn affine_from_bytes(&self, xy: &[u8]) -> Option<Proj<L>> {
        let (x, y) = xy.split_at_checked(self.field_len())?;
        let x = self.fe_from_canonical(x)?;
        let y = self.fe_from_canonical(y)?;
        if !y.square().ct_eq(&self.rhs(&x)).to_bool() {
            return None;
        }
        Some(Proj {
            x,
            y,
            z: Fe::one(&self.fp),
        })
    }

    /// Affine `x‖y` of a projective point, or `None` for the identity.
    /// Constant-time inversion of Z.
    fn to_affine_bytes(&self, p: &Proj<L>) -> Option<Vec<u8>> {
        let zinv = p.z.invert().into_option()?;
        let mut out = self.fe_to_bytes(&p.x.mul(&zinv));
        out.extend_from_slice(&self.fe_to_bytes(&p.y.mul(&zinv)));
        Some(out)
    }

    /// Complete addition, Renes–Costello–Batina 2015, Algorithm 1.
    fn add(&self, p: &Proj<L>, q: &Proj<L>) -> Proj<L> {
        let a = &self.a;
        let b3 = &self.b3;
        let t0 = p.x.mul(&q.x); // 1
        let t1 = p.y.mul(&q.y); // 2
        let t2 = p.z.mul(&q.z); // 3
        let t3 = p.x.add(&p.y); // 4
        let t4 = q.x.add(&q.y); // 5
        let t3 = t3.mul(&t4); // 6
        let t4 = t0.add(&t1); // 7
        let t3 = t3.sub(&t4); // 8
        let t4 = p.x.add(&p.z); // 9
        let t5 = q.x.add(&q.z); // 10
        let t4 = t4.mul(&t5); // 11
        let t5 = t0.add(&t2); // 12
        let t4 = t4.sub(&t5); // 13
        let t5 = p.y.add(&p.z); // 14
        let x3 = q.y.add(&q.z); // 15
        let t5 = t5.mul(&x3); // 16
        let x3 = t1.add(&t2); // 17
        let t5 = t5.sub(&x3); // 18
        let z3 = a.mul(&t4); // 19
        let x3 = b3.mul(&t2); // 20
        let z3 = x3.add(&z3); // 21
        let x3 = t1.sub(&z3); // 22
        let z3 = t1.add(&z3); // 23
        let y3 = x3.mul(&z3); // 24
        let t1 = t0.add(&t0); // 25
        let t1 = t1.add(&t0); // 26
        let t2 = a.mul(&t2); // 27
        let t4 = b3.mul(&t4); // 28
        let t1 = t1.add(&t2); // 29
        let t2 = t0.sub(&t2); // 30
        let t2 = a.mul(&t2); // 31
        let t4 = t4.add(&t2); // 32
        let t0 = t1.mul(&t4); // 33
        let y3 = y3.add(&t0); // 34
        let t0 = t5.mul(&t4); // 35
        let x3 = t3.mul(&x3); // 36
        let x3 = x3.sub(&t0); // 37
        let t0 = t3.mul(&t1); // 38
        let z3 = t5.mul(&z3); // 39
        let z3 = z3.add(&t0); // 40
        Proj {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// Exception-free doubling, Renes–Costello–Batina 2015, Algorithm 3.
    fn double(&self, p: &Proj<L>) -> Proj<L> {
        let a = &self.a;
        let b3 = &self.b3;
        let t0 = p.x.square(); // 1
        let t1 = p.y.square(); // 2
        let t2 = p.z.square(); // 3
        let t3 = p.x.mul(&p.y); // 4
        let t3 = t3.add(&t3); // 5
        let z3 = p.x.mul(&p.z); // 6
        let z3 = z3.add(&z3); // 7
        let x3 = a.mul(&z3); // 8
        let y3 = b3.mul(&t2); // 9
        let y3 = x3.add(&y3); // 10
        let x3 = t1.sub(&y3); // 11
        let y3 = t1.add(&y3); // 12
        let y3 = x3.mul(&y3); // 13
        let x3 = t3.mul(&x3); // 14
        let z3 = b3.mul(&z3); // 15
        let t2 = a.mul(&t2); // 16
        let t3 = t0.sub(&t2); // 17
        let t3 = a.mul(&t3); // 18
        let t3 = t3.add(&z3); // 19
        let z3 = t0.add(&t0); // 20
        let t0 = z3.add(&t0); // 21
        let t0 = t0.add(&t2); // 22
        let t0 = t0.mul(&t3); // 23
        let y3 = y3.add(&t0); // 24
        let t2 = p.y.mul(&p.z); // 25
        let t2 = t2.add(&t2); // 26
        let t0 = t2.mul(&t3); // 27
        let x3 = x3.sub(&t0); // 28
        let z3 = t2.mul(&t1); // 29
        let z3 = z3.add(&z3); // 30
        let z3 = z3.add(&z3); // 31
        Proj {
            x: x3,
            y: y3,
            z: z3,
        }
    }

    /// `[0·P, 1·P, …, 15·P]`.
    fn table(&self, p: &Proj<L>) -> [Proj<L>; 16] {
        let mut t = [self.identity(); 16];
        t[1] = *p;
        for i in 2..16 {
            t[i] = if i % 2 == 0 {
                self.double(&t[i / 2])
            } else {
                self.add(&t[i - 1], p)
            };
        }
        t
    }

    /// `k·P` for a secret `k` (big-endian, any length; typically
    /// `order_len` bytes): fixed 4-bit window, every window processed,
    /// constant-time table lookup, complete formulas.
    fn mul_ct(&self, p: &Proj<L>, k: &[u8]) -> Proj<L> {
        let mut table = self.table(p);
        let mut acc = self.identity();
        for &byte in k {
            for nibble in [byte >> 4, byte & 0x0f] {
                for _ in 0..4 {
                    acc = self.double(&acc);
                }
                let mut sel = self.identity();
                for (i, entry) in table.iter().enumerate() {
                    // `i` is a public loop index; `nibble` is secret.
                    sel.ct_assign(entry, Choice::from_u8_eq(i as u8, nibble));
                }
                acc = self.add(&acc, &sel);
                sel.zeroize();
            }
        }
        for t in table.iter_mut() {
            t.zeroize();
        }
        acc
    }

    /// `k1·P1 + k2·P2` in variable time (public scalars only): interleaved
    /// 4-bit windows (Shamir's trick). `k1`, `k2` equally long.
    fn lincomb_vartime(&self, p1: &Proj<L>, k1: &[u8], p2: &Proj<L>, k2: &[u8]) -> Proj<L> {
        let t1 = self.table(p1);
        let t2 = self.table(p2);
        let mut acc = self.identity();
        let mut started = false;
        for (&b1, &b2) in k1.iter().zip(k2.iter()) {
            for shift in [4u8, 0] {
                if started {
                    for _ in 0..4 {
                        acc = self.double(&acc);
                    }
                }
                let d1 = usize::from((b1 >> shift) & 0x0f);
                let d2 = usize::from((b2 >> shift) & 0x0f);
                if d1 != 0 {
                    acc = self.add(&acc, &t1[d1]);
                    started = true;
                }
                if d2 != 0 {
                    acc = self.add(&acc, &t2[d2]);
                    started = true;
                }
            }
        }
        acc
    }

    /// Digest → scalar per RFC 6979 / SEC 1 is done by the caller: `e` is
    /// already `order_len` bytes with value < 2^order_bits.
    fn ecdsa_sign_impl<D>(&self, d: &[u8], e: &[u8], entropy: &[u8]) -> (Vec<u8>, Vec<u8>)
    where
        D: sha2::Digest + sha2::digest::block_api::BlockSizeUser,
    {
        let mut kgen = rfc6979::KGenerator::<D, Uint<L>>::new(d, e, entropy, &self.n);
        let ds = self.scalar(d);
        let es = Self::reduce(e, &self.fnp, &self.two64_n);
        let mut k_bytes = vec![0u8; self.order_len()];
        loop {
            kgen.fill_next_k(&mut k_bytes);
            let big_r = self.mul_ct(&self.g, &k_bytes);
            let Some(rxy) = self.to_affine_bytes(&big_r) else {
                continue;
            };
            // r = x(R) mod n
            let r = Self::reduce(&rxy[..self.field_len()], &self.fnp, &self.two64_n);
            let r_bytes = self.scalar_to_bytes(&r);
            if r_bytes.iter().all(|&b| b == 0) {
                continue;
            }
            let k = self.scalar(&k_bytes);
            let Some(kinv) = k.invert().into_option() else {
                continue;
            };
            let s = kinv.mul(&es.add(&r.mul(&ds)));
            let s_bytes = self.scalar_to_bytes(&s);
            if s_bytes.iter().all(|&b| b == 0) {
                continue;
            }
            k_bytes.zeroize();
            return (r_bytes, s_bytes);
        }
    }
}

impl<const L: usize> super::backend::Backend for RuntimeCurve<L> {
    fn is_on_curve(&self, xy: &[u8]) -> bool {
        self.affine_from_bytes(xy).is_some()
    }

    fn decompress_y(&self, x: &[u8], y_odd: bool) -> Option<Vec<u8>> {
        let x = self.fe_from_canonical(x)?;
        let y = self.sqrt_vartime(&self.rhs(&x))?;
        let y = if y.retrieve().is_odd().to_bool() == y_odd {
            y
        } else {
            y.neg()
        };
        Some(self.fe_to_bytes(&y))
    }

    fn add(&self, p: &[u8], q: &[u8]) -> Option<Vec<u8>> {
        let p = self.affine_from_bytes(p)?;
        let q = self.affine_from_bytes(q)?;
        self.to_affine_bytes(&RuntimeCurve::add(self, &p, &q))
    }

    fn mul_vartime(&self, p: &[u8], k: &[u8]) -> Option<Vec<u8>> {
        let p = self.affine_from_bytes(p)?;
        let zero = vec![0u8; k.len()];
        self.to_affine_bytes(&self.lincomb_vartime(&p, k, &self.g, &zero))
    }

    fn mul_ct(&self, p: &[u8], k: &[u8]) -> Option<Vec<u8>> {
        let p = self.affine_from_bytes(p)?;
        self.to_affine_bytes(&RuntimeCurve::mul_ct(self, &p, k))
    }

    fn mul_base_ct(&self, k: &[u8]) -> Option<Vec<u8>> {
        self.to_affine_bytes(&RuntimeCurve::mul_ct(self, &self.g, k))
    }

    fn mul_base_add_ct(&self, k: &[u8], h: &[u8]) -> Option<Vec<u8>> {
        let h = self.affine_from_bytes(h)?;
        let kg = RuntimeCurve::mul_ct(self, &self.g, k);
        self.to_affine_bytes(&RuntimeCurve::add(self, &kg, &h))
    }

    fn point_encoding(&self, t: &[u8]) -> Option<Vec<u8>> {
        // Doc 9303-11 §4.4.3.3.2 (ECDH): the simplified SWU map of Brier et
        // al. for p ≡ 3 (mod 4). All steps are constant time; the two
        // candidates are selected with a mask.
        if !self.id.p_is_3_mod_4() {
            return None;
        }
        let t = self.fe_from_canonical(t)?;
        let one = Fe::one(&self.fp);
        let alpha = t.square().neg(); // 1. α = −t²
        let aa = alpha.add(&alpha.square()); // α + α²
        let inv = aa.invert(); // 2. (α + α²)⁻¹ — none only for t ∈ {0, ±1, …}
        let invertible = inv.is_some();
        let inv = inv.unwrap_or(Fe::zero(&self.fp));
        let a_inv = self.a.invert_vartime().into_option()?; // public constant, a ≠ 0
        let x2 = self.b.neg().mul(&a_inv).mul(&one.add(&inv)); // X2 = −b·a⁻¹·(1 + (α+α²)⁻¹)
        let x3 = alpha.mul(&x2); // 3. X3 = α·X2
        let h2 = self.rhs(&x2); // 4. h2 = X2³ + a·X2 + b
        let u = t.square().mul(&t).mul(&h2); // 6. U = t³·h2
        let big_a = h2.pow_vartime(&self.enc_exp); // 7. A = h2^(p−1−(p+1)/4); exponent public
        let is_x2 = big_a.square().mul(&h2).ct_eq(&one); // 8. A²·h2 = 1 ?
        let mut x = x3;
        x.ct_assign(&x2, is_x2);
        let mut y = big_a.mul(&u); // 9. (X3, A·U)
        y.ct_assign(&big_a.mul(&h2), is_x2); // 8. (X2, A·h2)
        if !invertible.to_bool() {
            return None;
        }
        // Cofactor 1 on every whitelisted curve: no multiplication by h.
        let mut out = self.fe_to_bytes(&x);
        out.extend_from_slice(&self.fe_to_bytes(&y));
        // Defence in depth: never hand out a point that is not on the curve.
        self.affine_from_bytes(&out).map(|_| out)
    }

    fn ecdsa_sign(&self, d: &[u8], e: &[u8], entropy: &[u8]) -> (Vec<u8>, Vec<u8>) {
        match super::backend::rfc6979_digest(self.id) {
            super::backend::HmacDigest::Sha256 => self.ecdsa_sign_impl::<Sha256>(d, e, entropy),
            super::backend::HmacDigest::Sha384 => self.ecdsa_sign_impl::<Sha384>(d, e, entropy),
            super::backend::HmacDigest::Sha512 => self.ecdsa_sign_impl::<Sha512>(d, e, entropy),
        }
    }

    fn ecdsa_verify(&self, q: &[u8], e: &[u8], r: &[u8], s: &[u8]) -> bool {
        let Some(q) = self.affine_from_bytes(q) else {
            return false;
        };
        let r_s = self.scalar(r);
        let Some(w) = self.scalar(s).invert_vartime().into_option() else {
            return false;
        };
        let es = Self::reduce(e, &self.fnp, &self.two64_n);
        let u1 = self.scalar_to_bytes(&es.mul(&w));
        let u2 = self.scalar_to_bytes(&r_s.mul(&w));
        let big_r = self.lincomb_vartime(&self.g, &u1, &q, &u2);
        let Some(rxy) = self.to_affine_bytes(&big_r) else {
            return false;
        };
        let v = Self::reduce(&rxy[..self.field_len()], &self.fnp, &self.two64_n);
        self.scalar_to_bytes(&v) == r
    }
}
