//! The secure-messaging message format (Doc 9303-11 §9.8.5 and §9.8.6,
//! ISO/IEC 7816-4 §10), in both directions.
//!
//! A protected command carries `DO'87'` (or `DO'85'` for odd INS) with the
//! encrypted data, `DO'97'` with Le, and `DO'8E'` with the MAC over
//! `pad(SSC ‖ pad(header) ‖ DO'87' ‖ DO'97')`. A protected response carries
//! `DO'87'`/`DO'85'`, `DO'99'` with the status word and `DO'8E'` with the
//! MAC over `pad(SSC ‖ DO'87' ‖ DO'99')`.
//!
//! The terminal uses [`protect_command`] and [`unprotect_response`], the chip
//! (the virtual passport) [`unprotect_command`] and [`protect_response`]. Each
//! increments the SSC exactly once, *before* it computes the MAC. A function
//! that fails leaves the SSC incremented, which is why a failure ends the
//! session: the caller must not go on with the same counter
//! (see [`super::channel`]).

use mrtd_iso7816::apdu::{MAX_NE_EXTENDED, MAX_NE_SHORT};
use mrtd_iso7816::tlv::{self, Tag, TlvError, TlvIter};
use mrtd_iso7816::{ApduError, CommandApdu, LengthEncoding, ResponseApdu, StatusWord};
use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::cipher::SmCipher;
use super::ssc::Ssc;
use crate::crypto::{CryptoError, padded, unpad};

const DO_ENCRYPTED_ODD: Tag = Tag(0x85);
const DO_ENCRYPTED: Tag = Tag(0x87);
const DO_LE: Tag = Tag(0x97);
const DO_STATUS: Tag = Tag(0x99);
const DO_MAC: Tag = Tag(0x8E);

/// Padding-content indicator `01` at the start of `DO'87'`: the
/// plaintext was padded with ISO/IEC 9797-1 method 2.
const PADDING_INDICATOR: u8 = 0x01;

/// CLA bits b4 b3 = `11`: secure messaging, header included in the MAC.
const CLA_SM: u8 = 0x0C;

/// Bytes a protected response adds to its status: `DO'99'` (4) and `DO'8E'` (10).
const RESPONSE_TRAILER: usize = 4 + 10;

/// Why a secure-messaging message was rejected.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SmError {
    /// The chip answered with a bare status word: it has ended secure
    /// messaging (Doc 9303-11 §9.8.7), or it is broken.
    #[error("the chip answered {sw} without secure messaging")]
    Unprotected {
        /// The unprotected status word.
        sw: StatusWord,
    },
    /// A mandatory data object is absent.
    #[error("secure messaging data object {tag} is missing")]
    MissingObject {
        /// The missing tag.
        tag: Tag,
    },
    /// A data object that is unknown, repeated or out of order.
    #[error("unexpected secure messaging data object {tag} at offset {offset}")]
    UnexpectedObject {
        /// The tag found.
        tag: Tag,
        /// Its offset in the data field.
        offset: usize,
    },
    /// The MAC did not verify.
    #[error("secure messaging MAC mismatch")]
    MacMismatch,
    /// A `DO'87'` whose first byte is not the padding indicator `01`.
    #[error("DO'87' padding-content indicator is {found:02X}, expected 01")]
    BadPaddingIndicator {
        /// The byte found.
        found: u8,
    },
    /// Ciphertext that is empty or not a multiple of the block size.
    #[error("encrypted data of {len} bytes is not a non-empty multiple of the {block}-byte block")]
    BadCiphertextLength {
        /// Ciphertext length.
        len: usize,
        /// Block size.
        block: usize,
    },
    /// Decrypted data without valid method-2 padding.
    #[error("decrypted data has invalid padding")]
    BadPadding,
    /// A `DO'99'` that is not two bytes.
    #[error("DO'99' of {len} bytes, expected 2")]
    BadStatusObject {
        /// Its length.
        len: usize,
    },
    /// A `DO'97'` that is not one or two bytes.
    #[error("DO'97' of {len} bytes, expected 1 or 2")]
    BadLeObject {
        /// Its length.
        len: usize,
    },
    /// A `DO'8E'` that is not 8 bytes.
    #[error("DO'8E' of {len} bytes, expected 8")]
    BadMacObject {
        /// Its length.
        len: usize,
    },
    /// A command whose CLA already announces secure messaging.
    #[error("command CLA {cla:02X} already uses secure messaging")]
    AlreadyProtected {
        /// The CLA byte.
        cla: u8,
    },
    /// A command received without the secure-messaging CLA bits.
    #[error("command CLA {cla:02X} does not announce secure messaging")]
    NotProtected {
        /// The CLA byte.
        cla: u8,
    },
    /// The data objects are not valid BER-TLV.
    #[error("malformed secure messaging data objects: {0}")]
    Malformed(#[from] TlvError),
    /// The protected APDU would not fit in an extended APDU.
    #[error("protected command too long: {0}")]
    TooLong(#[from] ApduError),
    /// A primitive was misused (a bug, reported rather than panicking).
    #[error("cryptographic error: {0}")]
    Crypto(#[from] CryptoError),
}

/// The largest plaintext a READ BINARY may ask for so that the protected
/// response (`DO'87'`, `DO'99'`, `DO'8E'`) fits in `max_response` data
/// bytes, for a cipher with `block`-byte blocks.
///
/// With a short APDU (`max_response` = 256) this is 231 (`E7`) for 3DES and
/// 223 (`DF`) for AES.
#[must_use]
pub fn max_plain_response(block: usize, max_response: usize) -> usize {
    // Largest padded length p (a multiple of the block) with
    // header(1 + p) + 1 + p + trailer <= max_response; the plaintext is then
    // at most p - 1 (method 2 always adds at least one byte).
    let mut p = (max_response.saturating_sub(RESPONSE_TRAILER + 1) / block) * block;
    while p > 0 && protected_response_len(p) > max_response {
        p -= block;
    }
    p.saturating_sub(1)
}

/// Length of a protected response whose `DO'87'` carries `padded_len`
/// bytes of ciphertext.
fn protected_response_len(padded_len: usize) -> usize {
    let value = 1 + padded_len;
    let len_field = match value {
        0..=0x7F => 1,
        0x80..=0xFF => 2,
        0x100..=0xFFFF => 3,
        _ => 4,
    };
    1 + len_field + value + RESPONSE_TRAILER
}

/// Largest protected response for a plaintext of up to `ne` bytes.
fn max_protected_response_for(ne: usize, block: usize) -> usize {
    let padded_len = (ne / block + 1) * block;
    protected_response_len(padded_len)
}

/// Terminal side: protects `command` (Doc 9303-11 §9.8.5). Increments `ssc`.
///
/// # Errors
/// [`SmError::AlreadyProtected`] for a CLA with SM bits set,
/// [`SmError::TooLong`] when the result would exceed an extended APDU.
pub fn protect_command(
    cipher: &dyn SmCipher,
    ssc: &mut Ssc,
    command: &CommandApdu,
) -> Result<CommandApdu, SmError> {
    if command.cla & CLA_SM != 0 {
        return Err(SmError::AlreadyProtected { cla: command.cla });
    }
    let block = cipher.block_size();
    // Worst case: DO'87' (4-byte header, indicator, padded data), DO'97'
    // (4), DO'8E' (10). Checked before the SSC moves, so a rejected command
    // leaves the counter untouched.
    let worst_case = command.data().len() + block + 6 + 4 + 10;
    if worst_case > mrtd_iso7816::apdu::MAX_NC_EXTENDED {
        return Err(SmError::TooLong(ApduError::DataTooLong(worst_case)));
    }
    let cla = command.cla | CLA_SM;
    let odd_ins = command.ins & 1 == 1;
    // The SSC of this message; AES derives its IV from it, so it moves first.
    ssc.increment();

    let mut objects = Vec::with_capacity(command.data().len() + 32);
    if !command.data().is_empty() {
        let plain = Zeroizing::new(padded(command.data(), block));
        let ciphertext = cipher.encrypt(ssc, &plain)?;
        if odd_ins {
            tlv::encode_tlv(DO_ENCRYPTED_ODD, &ciphertext, &mut objects);
        } else {
            let mut value = Vec::with_capacity(1 + ciphertext.len());
            value.push(PADDING_INDICATOR);
            value.extend_from_slice(&ciphertext);
            tlv::encode_tlv(DO_ENCRYPTED, &value, &mut objects);
        }
    }
    if let Some(ne) = command.ne() {
        let le = encode_le(ne);
        tlv::encode_tlv(DO_LE, &le, &mut objects);
    }

    let mut mac_input = padded(&[cla, command.ins, command.p1, command.p2], block);
    mac_input.extend_from_slice(&objects);
    let mac = cipher.mac(ssc, &mac_input);
    tlv::encode_tlv(DO_MAC, &mac, &mut objects);

    // The outer Le asks for everything the chip may send: short (`00`) when
    // the protected response for Ne plaintext bytes fits in 256 bytes,
    // extended (`0000`) otherwise.
    let max_response = command
        .ne()
        .map_or(RESPONSE_TRAILER, |ne| max_protected_response_for(ne, block));
    let extended = command.encoding() == LengthEncoding::Extended
        || objects.len() > 255
        || max_response > MAX_NE_SHORT;
    let outer_ne = if extended {
        MAX_NE_EXTENDED
    } else {
        MAX_NE_SHORT
    };
    let encoding = if extended {
        LengthEncoding::Extended
    } else {
        LengthEncoding::Auto
    };
    Ok(CommandApdu::new(cla, command.ins, command.p1, command.p2)
        .with_data(objects)?
        .with_ne(outer_ne)?
        .with_encoding(encoding))
}

/// `DO'97'` content: one byte for Ne ≤ 256 (`00` = 256), two bytes otherwise
/// (`0000` = 65536).
fn encode_le(ne: usize) -> Vec<u8> {
    if ne <= MAX_NE_SHORT {
        vec![(ne % MAX_NE_SHORT) as u8]
    } else {
        ((ne % MAX_NE_EXTENDED) as u16).to_be_bytes().to_vec()
    }
}

/// Terminal side: verifies and decrypts a protected response
/// (Doc 9303-11 §9.8.6). Increments `ssc`.
///
/// The status word returned is the authenticated one from `DO'99'`; the
/// plain SW1 SW2 of the transport frame is not trusted.
///
/// # Errors
/// [`SmError::Unprotected`] for a bare status word, [`SmError::MacMismatch`]
/// and the structural variants for anything else that is not a valid
/// protected response.
pub fn unprotect_response(
    cipher: &dyn SmCipher,
    ssc: &mut Ssc,
    response: &ResponseApdu,
) -> Result<ResponseApdu, SmError> {
    ssc.increment();
    if response.data.is_empty() {
        return Err(SmError::Unprotected { sw: response.sw });
    }
    let objects = ProtectedObjects::parse(&response.data, Direction::Response)?;
    let status = objects
        .status
        .ok_or(SmError::MissingObject { tag: DO_STATUS })?;
    let mac = objects.mac.ok_or(SmError::MissingObject { tag: DO_MAC })?;
    verify_mac(cipher, ssc, &response.data[..objects.mac_offset], mac)?;
    let sw = match status {
        [sw1, sw2] => StatusWord::from_bytes(*sw1, *sw2),
        other => return Err(SmError::BadStatusObject { len: other.len() }),
    };
    let data = match objects.encrypted {
        Some(enc) => decrypt_object(cipher, ssc, enc)?,
        None => Vec::new(),
    };
    Ok(ResponseApdu::new(data, sw))
}

/// Chip side: verifies and decrypts a protected command. Increments `ssc`.
///
/// # Errors
/// [`SmError::NotProtected`] for a plain CLA, [`SmError::MacMismatch`],
/// [`SmError::MissingObject`] and the structural variants otherwise. The
/// chip answers `6987` (objects missing) or `6988` (objects incorrect) and
/// ends secure messaging.
pub fn unprotect_command(
    cipher: &dyn SmCipher,
    ssc: &mut Ssc,
    command: &CommandApdu,
) -> Result<CommandApdu, SmError> {
    if command.cla & CLA_SM != CLA_SM {
        return Err(SmError::NotProtected { cla: command.cla });
    }
    ssc.increment();
    let objects = ProtectedObjects::parse(command.data(), Direction::Command)?;
    let mac = objects.mac.ok_or(SmError::MissingObject { tag: DO_MAC })?;
    let mut mac_input = padded(&command.header(), cipher.block_size());
    mac_input.extend_from_slice(&command.data()[..objects.mac_offset]);
    verify_mac(cipher, ssc, &mac_input, mac)?;

    let cla = command.cla & !CLA_SM;
    let mut plain = CommandApdu::new(cla, command.ins, command.p1, command.p2);
    if let Some(enc) = objects.encrypted {
        let data = decrypt_object(cipher, ssc, enc)?;
        plain = plain.with_data(data)?;
    }
    if let Some(le) = objects.le {
        let ne = match le {
            [0] => MAX_NE_SHORT,
            [n] => usize::from(*n),
            [0, 0] => MAX_NE_EXTENDED,
            [hi, lo] => usize::from(u16::from_be_bytes([*hi, *lo])),
            other => return Err(SmError::BadLeObject { len: other.len() }),
        };
        plain = plain.with_ne(ne)?;
        if le.len() == 2 {
            plain = plain.with_encoding(LengthEncoding::Extended);
        }
    }
    Ok(plain)
}

/// Chip side: protects a response to a command with instruction `ins`.
/// Increments `ssc`.
///
/// # Errors
/// Only on an internal misuse of the cipher (never for valid input).
pub fn protect_response(
    cipher: &dyn SmCipher,
    ssc: &mut Ssc,
    ins: u8,
    response: &ResponseApdu,
) -> Result<ResponseApdu, SmError> {
    ssc.increment();
    let mut objects = Vec::with_capacity(response.data.len() + 32);
    if !response.data.is_empty() {
        let plain = Zeroizing::new(padded(&response.data, cipher.block_size()));
        let ciphertext = cipher.encrypt(ssc, &plain)?;
        if ins & 1 == 1 {
            tlv::encode_tlv(DO_ENCRYPTED_ODD, &ciphertext, &mut objects);
        } else {
            let mut value = Vec::with_capacity(1 + ciphertext.len());
            value.push(PADDING_INDICATOR);
            value.extend_from_slice(&ciphertext);
            tlv::encode_tlv(DO_ENCRYPTED, &value, &mut objects);
        }
    }
    tlv::encode_tlv(DO_STATUS, &response.sw.to_bytes(), &mut objects);
    let mac = cipher.mac(ssc, &objects);
    tlv::encode_tlv(DO_MAC, &mac, &mut objects);
    Ok(ResponseApdu::new(objects, response.sw))
}

fn verify_mac(
    cipher: &dyn SmCipher,
    ssc: &Ssc,
    covered: &[u8],
    received: &[u8],
) -> Result<(), SmError> {
    if received.len() != 8 {
        return Err(SmError::BadMacObject {
            len: received.len(),
        });
    }
    let expected = cipher.mac(ssc, covered);
    if bool::from(expected.ct_eq(received)) {
        Ok(())
    } else {
        Err(SmError::MacMismatch)
    }
}

/// An encrypted data object: `DO'87'` with its padding indicator or
/// `DO'85'` without one.
#[derive(Clone, Copy)]
enum Encrypted<'a> {
    Indicated(&'a [u8]),
    Odd(&'a [u8]),
}

fn decrypt_object(
    cipher: &dyn SmCipher,
    ssc: &Ssc,
    object: Encrypted<'_>,
) -> Result<Vec<u8>, SmError> {
    let block = cipher.block_size();
    let ciphertext = match object {
        Encrypted::Indicated(value) => match value.split_first() {
            Some((&PADDING_INDICATOR, rest)) => rest,
            Some((&found, _)) => return Err(SmError::BadPaddingIndicator { found }),
            None => return Err(SmError::BadCiphertextLength { len: 0, block }),
        },
        Encrypted::Odd(value) => value,
    };
    if ciphertext.is_empty() || ciphertext.len() % block != 0 {
        return Err(SmError::BadCiphertextLength {
            len: ciphertext.len(),
            block,
        });
    }
    let plain = Zeroizing::new(cipher.decrypt(ssc, ciphertext)?);
    unpad(&plain, block)
        .map(<[u8]>::to_vec)
        .ok_or(SmError::BadPadding)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    Command,
    Response,
}

/// The data objects of a protected message, in their mandatory order:
/// `[87|85] [97] 8E` for commands, `[87|85] 99 8E` for responses.
struct ProtectedObjects<'a> {
    encrypted: Option<Encrypted<'a>>,
    le: Option<&'a [u8]>,
    status: Option<&'a [u8]>,
    mac: Option<&'a [u8]>,
    /// Offset of `DO'8E'`: everything before it is covered by the MAC.
    mac_offset: usize,
}

impl<'a> ProtectedObjects<'a> {
    fn parse(data: &'a [u8], direction: Direction) -> Result<Self, SmError> {
        let mut out = Self {
            encrypted: None,
            le: None,
            status: None,
            mac: None,
            mac_offset: data.len(),
        };
        // Position in the fixed order; each object must come after the last.
        let mut stage = 0u8;
        for item in TlvIter::new(data) {
            let (offset, obj) = item?;
            let unexpected = SmError::UnexpectedObject {
                tag: obj.tag,
                offset,
            };
            let next_stage = match (obj.tag, direction) {
                (DO_ENCRYPTED, _) | (DO_ENCRYPTED_ODD, _) => 1,
                (DO_LE, Direction::Command) => 2,
                (DO_STATUS, Direction::Response) => 2,
                (DO_MAC, _) => 3,
                _ => return Err(unexpected),
            };
            if next_stage <= stage {
                return Err(unexpected);
            }
            stage = next_stage;
            match obj.tag {
                DO_ENCRYPTED => out.encrypted = Some(Encrypted::Indicated(obj.value)),
                DO_ENCRYPTED_ODD => out.encrypted = Some(Encrypted::Odd(obj.value)),
                DO_LE => out.le = Some(obj.value),
                DO_STATUS => out.status = Some(obj.value),
                _ => {
                    // DO'8E' comes last: the stage order above rejects any
                    // object after it, so nothing unauthenticated can follow.
                    out.mac = Some(obj.value);
                    out.mac_offset = offset;
                }
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sm::cipher::TdesSm;

    #[test]
    fn short_read_limits_match_the_classic_values() {
        assert_eq!(max_plain_response(8, 256), 0xE7);
        assert_eq!(max_plain_response(16, 256), 0xDF);
        // Extended: the plaintext plus overhead fits in 65536 bytes.
        let n = max_plain_response(8, 65_536);
        assert!(max_protected_response_for(n, 8) <= 65_536);
        assert!(max_protected_response_for(n + 8, 8) > 65_536);
        assert_eq!(max_plain_response(8, 10), 0);
    }

    fn test_cipher() -> TdesSm {
        TdesSm::derive(&[0x42; 16])
    }

    #[test]
    fn command_and_response_round_trip_both_ways() {
        let cipher = test_cipher();
        let mut ifd = Ssc::new(&[1; 8]).unwrap();
        let mut ic = ifd.clone();
        for (data, ne) in [
            (vec![], Some(4)),
            (vec![1, 2], None),
            (vec![7; 300], Some(1000)),
            (vec![], Some(256)),
        ] {
            let mut cmd = CommandApdu::new(0x00, 0xB0, 0x00, 0x10);
            if !data.is_empty() {
                cmd = cmd.with_data(data.clone()).unwrap();
            }
            if let Some(ne) = ne {
                cmd = cmd.with_ne(ne).unwrap();
            }
            let protected = protect_command(&cipher, &mut ifd, &cmd).unwrap();
            let wire = CommandApdu::parse(&protected.to_bytes()).unwrap();
            let plain = unprotect_command(&cipher, &mut ic, &wire).unwrap();
            assert_eq!(plain.header(), cmd.header());
            assert_eq!(plain.data(), cmd.data());
            assert_eq!(plain.ne(), cmd.ne());

            let resp = ResponseApdu::new(vec![0xAB; 50], StatusWord::EndOfFile);
            let protected = protect_response(&cipher, &mut ic, 0xB0, &resp).unwrap();
            let wire = ResponseApdu::parse(&protected.to_bytes()).unwrap();
            assert_eq!(unprotect_response(&cipher, &mut ifd, &wire).unwrap(), resp);
        }
    }

    #[test]
    fn tampering_is_detected() {
        let cipher = test_cipher();
        let mut ic = Ssc::new(&[9; 8]).unwrap();
        let resp = ResponseApdu::new(vec![1, 2, 3], StatusWord::Success);
        let protected = protect_response(&cipher, &mut ic.clone(), 0xB0, &resp).unwrap();
        for i in 0..protected.data.len() {
            let mut bad = protected.clone();
            bad.data[i] ^= 0x01;
            let mut ssc = ic.clone();
            assert!(
                unprotect_response(&cipher, &mut ssc, &bad).is_err(),
                "flip at {i} accepted"
            );
        }
        // The wrong SSC (a replayed or skipped message) fails too.
        ic.increment();
        assert_eq!(
            unprotect_response(&cipher, &mut ic, &protected),
            Err(SmError::MacMismatch)
        );
    }

    #[test]
    fn structural_defects_are_typed() {
        let cipher = test_cipher();
        let ssc = Ssc::new(&[0; 8]).unwrap();
        let plain_sw = ResponseApdu::status(StatusWord::FileNotFound);
        assert_eq!(
            unprotect_response(&cipher, &mut ssc.clone(), &plain_sw),
            Err(SmError::Unprotected {
                sw: StatusWord::FileNotFound
            })
        );
        // DO'8E' before DO'99'.
        let swapped = ResponseApdu::new(
            hex::decode("8E0800000000000000009902 9000".replace(' ', "")).unwrap(),
            StatusWord::Success,
        );
        assert_eq!(
            unprotect_response(&cipher, &mut ssc.clone(), &swapped),
            Err(SmError::UnexpectedObject {
                tag: DO_STATUS,
                offset: 10
            })
        );
        let no_mac = ResponseApdu::new(hex::decode("99029000").unwrap(), StatusWord::Success);
        assert_eq!(
            unprotect_response(&cipher, &mut ssc.clone(), &no_mac),
            Err(SmError::MissingObject { tag: DO_MAC })
        );
        let huge = ResponseApdu::new(hex::decode("8784FFFFFFFF01").unwrap(), StatusWord::Success);
        assert!(matches!(
            unprotect_response(&cipher, &mut ssc.clone(), &huge),
            Err(SmError::Malformed(_))
        ));
        let plain_cmd = CommandApdu::new(0x00, 0xB0, 0, 0).with_ne(4).unwrap();
        assert_eq!(
            unprotect_command(&cipher, &mut ssc.clone(), &plain_cmd),
            Err(SmError::NotProtected { cla: 0x00 })
        );
        let already = CommandApdu::new(0x0C, 0xB0, 0, 0);
        assert_eq!(
            protect_command(&cipher, &mut ssc.clone(), &already),
            Err(SmError::AlreadyProtected { cla: 0x0C })
        );
    }
}
