//! Doc 9303-11 Appendix D reproduced byte for byte: BAC and the three
//! secure-messaging exchanges, from the published worked example in
//! `../shared/test-vectors/icao9303-p11-worked-examples/bac_appendix_d.json`.

use mrtd_iso7816::{CommandApdu, ResponseApdu, StatusWord};
use serde_json::Value;

use crate::bac::{Bac, BacKey};
use crate::sm::{SecureChannel, Ssc, TdesSm};
use crate::test_rng::ScriptedRng;

fn vector() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/test-vectors/icao9303-p11-worked-examples/bac_appendix_d.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!("shared test vector {path} is missing ({e}): the test data must be present")
    });
    serde_json::from_str(&text).expect("valid JSON")
}

fn hx(v: &Value) -> Vec<u8> {
    hex::decode(v.as_str().expect("hex string")).expect("valid hex")
}

#[test]
fn appendix_d_bac_and_secure_messaging() {
    let v = vector();
    let mrz_information = v["mrz"]["mrz_information"].as_str().unwrap();
    let keys = &v["document_basic_access_keys"];
    let key = BacKey::from_mrz_information(mrz_information.as_bytes());
    assert_eq!(key.k_enc().as_bytes().to_vec(), hx(&keys["k_enc"]["key"]));
    assert_eq!(key.k_mac().as_bytes().to_vec(), hx(&keys["k_mac"]["key"]));

    // D.3: mutual authentication with the appendix's randoms.
    let ma = &v["mutual_authentication"];
    let (awaiting, get_challenge) = Bac::start(key);
    assert_eq!(get_challenge.to_bytes(), hx(&ma["get_challenge_apdu"]));
    let mut script = hx(&ma["rnd_ifd"]);
    script.extend(hx(&ma["k_ifd"]));
    let mut rng = ScriptedRng::new(&script);
    let challenge = ResponseApdu::parse(&hx(&ma["get_challenge_response"])).unwrap();
    let (awaiting, external_authenticate) = awaiting.on_challenge(&challenge, &mut rng).unwrap();
    assert!(rng.exhausted());
    assert_eq!(
        external_authenticate.to_bytes(),
        hx(&ma["external_authenticate_apdu"])
    );
    let answer = ResponseApdu::parse(&hx(&ma["external_authenticate_response"])).unwrap();
    let mut channel = awaiting.on_authentication(&answer).unwrap();

    // D.3 session keys, checked through an independently derived cipher.
    let session = &v["session_keys"];
    let expected = TdesSm::derive(&hx(&session["k_seed"]));
    assert_eq!(
        expected.ks_enc().as_bytes().to_vec(),
        hx(&session["ks_enc"])
    );
    assert_eq!(
        expected.ks_mac().as_bytes().to_vec(),
        hx(&session["ks_mac"])
    );

    // D.4: three protected exchanges, commands and responses byte for byte.
    // The channel produced by BAC and one built from the published session
    // keys and SSC must both reproduce them.
    let ssc: [u8; 8] = hx(&session["ssc"]).try_into().unwrap();
    let mut reference = SecureChannel::new(Box::new(expected), Ssc::from(ssc));
    for exchange in v["secure_messaging"].as_array().unwrap() {
        let command = CommandApdu::parse(&hx(&exchange["unprotected_command_apdu"])).unwrap();
        let response = ResponseApdu::parse(&hx(&exchange["response_apdu"])).unwrap();
        let (pending, protected) = channel.protect(&command).unwrap();
        assert_eq!(
            protected.to_bytes(),
            hx(&exchange["protected_command_apdu"]),
            "{}",
            exchange["name"]
        );
        let (next, plain) = pending.unprotect(&response).unwrap();
        channel = next;
        assert_eq!(plain.sw, StatusWord::Success);
        if let Some(data) = exchange.get("decrypted_response_data") {
            assert_eq!(plain.data, hx(data), "{}", exchange["name"]);
        } else {
            assert!(plain.data.is_empty());
        }

        let (pending, protected) = reference.protect(&command).unwrap();
        assert_eq!(
            protected.to_bytes(),
            hx(&exchange["protected_command_apdu"])
        );
        reference = pending.unprotect(&response).unwrap().0;
    }

    // A replayed response (SSC has moved on) is refused and ends the channel.
    let last = &v["secure_messaging"][2];
    let command = CommandApdu::parse(&hx(&last["unprotected_command_apdu"])).unwrap();
    let (pending, _) = channel.protect(&command).unwrap();
    let replayed = ResponseApdu::parse(&hx(&last["response_apdu"])).unwrap();
    let lost = pending.unprotect(&replayed).unwrap_err();
    assert_eq!(lost.error, crate::sm::SmError::MacMismatch);
}
