//! Mapping of PC/SC return codes to [`TransportError`].
//!
//! The mapping is by meaning, not by name: what matters to a caller is
//! whether the card is gone (wait for it), was reset (reconnect), or the
//! reader or service is broken (tell the user what to fix).

use std::time::Duration;

use mrtd_iso7816::TransportError;

/// Maps `error`, returned by the PC/SC call `call` on `reader`, to a
/// [`TransportError`].
///
/// `SCARD_E_NO_SMARTCARD` means "card removed" here; callers that connect
/// (where it means "no card was ever there") map it to `NoCard` first.
pub(crate) fn map_error(error: pcsc::Error, call: &'static str, reader: &str) -> TransportError {
    use pcsc::Error as E;
    match error {
        E::RemovedCard | E::NoSmartcard => TransportError::CardRemoved,
        // An unpowered card has lost its session state exactly like a reset
        // one, and is still in the reader: reconnecting powers it again.
        E::ResetCard | E::UnpoweredCard => TransportError::CardReset,
        E::NoReadersAvailable => TransportError::NoReaders,
        E::UnknownReader => TransportError::ReaderNotFound {
            wanted: reader.to_owned(),
            seen: Vec::new(),
        },
        E::NoService => other(
            call,
            error,
            "the PC/SC service is not running (start pcscd, e.g. `pcscd --foreground`, \
             or enable pcscd.socket)",
        ),
        E::ServiceStopped | E::Shutdown => other(call, error, "the PC/SC service (pcscd) stopped"),
        E::ReaderUnavailable => other(
            call,
            error,
            &format!("reader {reader:?} is unavailable (unplugged, or its driver failed)"),
        ),
        E::SharingViolation => other(
            call,
            error,
            &format!("reader {reader:?} is in exclusive use by another application"),
        ),
        E::UnresponsiveCard => other(
            call,
            error,
            &format!(
                "the card in {reader:?} does not answer the reset (mute card, or passport badly placed)"
            ),
        ),
        E::UnsupportedCard => other(
            call,
            error,
            &format!("the reader {reader:?} does not support the card's ATR"),
        ),
        E::ProtoMismatch => other(call, error, "the card supports neither T=0 nor T=1"),
        E::NotTransacted | E::CommError => other(
            call,
            error,
            &format!("the APDU exchange with the card in {reader:?} failed"),
        ),
        E::InsufficientBuffer => other(call, error, "the response does not fit the receive buffer"),
        E::Cancelled | E::SystemCancelled | E::CancelledByUser => {
            other(call, error, "the operation was cancelled")
        }
        _ => other(call, error, &error.to_string()),
    }
}

/// `SCARD_E_TIMEOUT` (or our own deadline) after `waited`.
pub(crate) fn timeout(waited: Duration) -> TransportError {
    TransportError::Timeout {
        millis: u64::try_from(waited.as_millis()).unwrap_or(u64::MAX),
    }
}

/// A [`TransportError::Other`] naming the PC/SC call, the human meaning,
/// and the raw code (useful when comparing with pcscd's log).
fn other(call: &'static str, error: pcsc::Error, meaning: &str) -> TransportError {
    TransportError::Other {
        context: call,
        message: format!("{meaning} [{error:?}, 0x{:08X}]", error as u32),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_loss_codes() {
        for e in [pcsc::Error::RemovedCard, pcsc::Error::NoSmartcard] {
            assert_eq!(
                map_error(e, "SCardTransmit", "R"),
                TransportError::CardRemoved
            );
        }
        for e in [pcsc::Error::ResetCard, pcsc::Error::UnpoweredCard] {
            assert_eq!(
                map_error(e, "SCardTransmit", "R"),
                TransportError::CardReset
            );
        }
        assert!(map_error(pcsc::Error::RemovedCard, "x", "R").is_card_lost());
    }

    #[test]
    fn service_and_reader_codes_say_what_to_fix() {
        assert_eq!(
            map_error(pcsc::Error::NoReadersAvailable, "SCardListReaders", ""),
            TransportError::NoReaders
        );
        let msg = map_error(pcsc::Error::NoService, "SCardEstablishContext", "").to_string();
        assert!(
            msg.starts_with("SCardEstablishContext: ")
                && msg.contains("pcscd")
                && msg.contains("0x8010001D"),
            "{msg}"
        );
        let msg = map_error(
            pcsc::Error::ReaderUnavailable,
            "SCardTransmit",
            "ACS ACR122U",
        )
        .to_string();
        assert!(
            msg.contains("ACS ACR122U") && msg.contains("unavailable"),
            "{msg}"
        );
        let msg = map_error(pcsc::Error::SharingViolation, "SCardConnect", "R").to_string();
        assert!(msg.contains("exclusive use"), "{msg}");
        assert!(matches!(
            map_error(pcsc::Error::UnknownReader, "SCardConnect", "Foo"),
            TransportError::ReaderNotFound { wanted, .. } if wanted == "Foo"
        ));
    }

    #[test]
    fn timeout_reports_the_wait() {
        assert_eq!(
            timeout(Duration::from_millis(1500)),
            TransportError::Timeout { millis: 1500 }
        );
    }
}
