//! Reader discovery, selection, and waiting for a card.
//!
//! Presence and ATR come from `SCardGetStatusChange` with the
//! `SCARD_STATE_UNAWARE` state, which answers at once without connecting
//! to (and so without powering or disturbing) any card.

use std::ffi::CString;
use std::time::{Duration, Instant};

use mrtd_iso7816::TransportError;
use pcsc::{Context, ReaderState, Scope, State};
use serde::{Deserialize, Serialize};
use tracing::debug;

use crate::error::{map_error, timeout};

/// A reader and what is in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReaderInfo {
    /// The PC/SC reader name, e.g. `"Virtual PCD 00 00"`.
    pub name: String,
    /// Whether a card that answered the reset is in the reader (or in its
    /// field, for a contactless reader). A mute card does not count.
    pub card_present: bool,
    /// The card's answer-to-reset (for a contactless card, the ATR the
    /// reader synthesises from ATS/ATQB), when a card is present.
    #[serde(with = "crate::hex_serde", default)]
    pub atr: Option<Vec<u8>>,
}

/// Lists the readers with their card presence and ATR, without connecting.
///
/// # Errors
/// [`TransportError::NoReaders`] when no reader is attached; a
/// [`TransportError::Other`] naming pcscd when the PC/SC service is down.
pub fn list_readers() -> Result<Vec<ReaderInfo>, TransportError> {
    let context = establish()?;
    let names = reader_names(&context)?;
    let readers = current_states(&context, &names)?;
    for reader in &readers {
        debug!(
            reader = %reader.name,
            card_present = reader.card_present,
            atr = reader.atr.as_deref().map(hex::encode_upper).as_deref().unwrap_or("-"),
            "PC/SC reader"
        );
    }
    Ok(readers)
}

/// Picks a reader from `readers`.
///
/// * With a name: the reader with exactly that name, else the only reader
///   whose name contains it ignoring case (so `"acr122"` finds
///   `"ACS ACR122U PICC Interface 00 00"`). The reader is returned whether
///   or not a card is in it.
/// * Without a name (or an empty one): the first reader with a card in it.
///
/// # Errors
/// [`TransportError::ReaderNotFound`] (no match, or an ambiguous
/// substring; `seen` lists every reader), [`TransportError::NoReaders`]
/// for an empty list, [`TransportError::NoCard`] naming every reader when
/// none holds a card.
pub fn choose_reader<'a>(
    readers: &'a [ReaderInfo],
    wanted: Option<&str>,
) -> Result<&'a ReaderInfo, TransportError> {
    if readers.is_empty() {
        return Err(TransportError::NoReaders);
    }
    match wanted.map(str::trim).filter(|w| !w.is_empty()) {
        Some(wanted) => {
            let names: Vec<&str> = readers.iter().map(|r| r.name.as_str()).collect();
            let index = resolve_name(&names, wanted)?;
            readers.get(index).ok_or_else(|| not_found(wanted, &names))
        }
        None => readers
            .iter()
            .find(|r| r.card_present)
            .ok_or_else(|| TransportError::NoCard {
                reader: readers
                    .iter()
                    .map(|r| r.name.as_str())
                    .collect::<Vec<_>>()
                    .join(" | "),
            }),
    }
}

/// [`list_readers`] followed by [`choose_reader`].
///
/// # Errors
/// As [`list_readers`] and [`choose_reader`].
pub fn select_reader(wanted: Option<&str>) -> Result<ReaderInfo, TransportError> {
    let readers = list_readers()?;
    choose_reader(&readers, wanted).cloned()
}

/// Waits until a card is in `reader` (resolved like [`choose_reader`]:
/// exact name or unique case-insensitive substring) and returns the
/// reader's state. Returns at once when a card is already there.
///
/// A mute card (one that does not answer the reset, such as a passport
/// still being slid onto the reader) does not end the wait.
///
/// # Errors
/// [`TransportError::Timeout`] when no card arrives within `timeout`;
/// [`TransportError::ReaderNotFound`], or a service or reader failure.
pub fn wait_for_card(reader: &str, timeout: Duration) -> Result<ReaderInfo, TransportError> {
    let context = establish()?;
    let names = reader_names(&context)?;
    let name = names
        .get(resolve_name(&names, reader)?)
        .cloned()
        .ok_or_else(|| not_found(reader, &names))?;
    debug!(reader = %name, ?timeout, "waiting for a card");
    wait_for(&context, &[name], timeout, card_ready)
}

/// Waits until a card is in any of the readers attached now and returns
/// the first such reader.
///
/// # Errors
/// [`TransportError::Timeout`], [`TransportError::NoReaders`], or a
/// service or reader failure.
pub fn wait_for_any_card(timeout: Duration) -> Result<ReaderInfo, TransportError> {
    let context = establish()?;
    let names = reader_names(&context)?;
    debug!(readers = ?names, ?timeout, "waiting for a card in any reader");
    wait_for(&context, &names, timeout, card_ready)
}

/// Waits until `reader` is empty (the passport was taken away).
///
/// # Errors
/// [`TransportError::Timeout`], [`TransportError::ReaderNotFound`], or a
/// service or reader failure.
pub fn wait_for_removal(reader: &str, timeout: Duration) -> Result<(), TransportError> {
    let context = establish()?;
    let names = reader_names(&context)?;
    let name = names
        .get(resolve_name(&names, reader)?)
        .cloned()
        .ok_or_else(|| not_found(reader, &names))?;
    debug!(reader = %name, ?timeout, "waiting for the card to be removed");
    wait_for(&context, &[name], timeout, |state| {
        !state.contains(State::PRESENT)
    })
    .map(|_| ())
}

/// A card that answered the reset is in the reader.
fn card_ready(state: State) -> bool {
    state.contains(State::PRESENT) && !state.contains(State::MUTE)
}

/// Establishes a PC/SC context in user scope.
pub(crate) fn establish() -> Result<Context, TransportError> {
    Context::establish(Scope::User).map_err(|e| map_error(e, "SCardEstablishContext", ""))
}

/// The names of the attached readers; never empty.
pub(crate) fn reader_names(context: &Context) -> Result<Vec<String>, TransportError> {
    let names = match context.list_readers_owned() {
        Ok(names) => names,
        Err(pcsc::Error::NoReadersAvailable) => return Err(TransportError::NoReaders),
        Err(e) => return Err(map_error(e, "SCardListReaders", "")),
    };
    if names.is_empty() {
        return Err(TransportError::NoReaders);
    }
    Ok(names
        .into_iter()
        .map(|n| n.to_string_lossy().into_owned())
        .collect())
}

/// The names of the attached readers, or nothing if they cannot be listed
/// (for error messages).
pub(crate) fn reader_names_best_effort(context: &Context) -> Vec<String> {
    reader_names(context).unwrap_or_default()
}

/// Index in `names` of the exact match of `wanted`, else of the unique
/// case-insensitive substring match.
fn resolve_name<S: AsRef<str>>(names: &[S], wanted: &str) -> Result<usize, TransportError> {
    if let Some(index) = names.iter().position(|n| n.as_ref() == wanted) {
        return Ok(index);
    }
    let needle = wanted.to_lowercase();
    let mut matches = names
        .iter()
        .enumerate()
        .filter(|(_, n)| n.as_ref().to_lowercase().contains(&needle));
    match (matches.next(), matches.next()) {
        (Some((index, _)), None) => Ok(index),
        // No match, or an ambiguous one: the caller must be more precise;
        // `seen` shows them what to pick from.
        _ => Err(not_found(wanted, names)),
    }
}

fn not_found<S: AsRef<str>>(wanted: &str, names: &[S]) -> TransportError {
    TransportError::ReaderNotFound {
        wanted: wanted.to_owned(),
        seen: names.iter().map(|n| n.as_ref().to_owned()).collect(),
    }
}

/// A C string for the PC/SC API; a reader name with an interior NUL
/// cannot exist.
pub(crate) fn c_name(name: &str) -> Result<CString, TransportError> {
    CString::new(name).map_err(|_| not_found(name, &[] as &[&str]))
}

/// The current state of every reader in `names`.
fn current_states(context: &Context, names: &[String]) -> Result<Vec<ReaderInfo>, TransportError> {
    let mut states = names
        .iter()
        .map(|n| c_name(n).map(|c| ReaderState::new(c, State::UNAWARE)))
        .collect::<Result<Vec<_>, _>>()?;
    // With UNAWARE, pcsc-lite and WinSCard report at once; the timeout is
    // only a guard.
    match context.get_status_change(Duration::from_secs(2), &mut states) {
        Ok(()) | Err(pcsc::Error::Timeout) => {}
        Err(e) => return Err(map_error(e, "SCardGetStatusChange", &names.join(" | "))),
    }
    Ok(names
        .iter()
        .zip(&states)
        .map(|(name, state)| info(name, state))
        .collect())
}

fn info(name: &str, state: &ReaderState) -> ReaderInfo {
    let card_present = card_ready(state.event_state());
    let atr = state.atr();
    ReaderInfo {
        name: name.to_owned(),
        card_present,
        atr: (card_present && !atr.is_empty()).then(|| atr.to_vec()),
    }
}

/// Waits until `done` holds for the state of one of `names` and returns
/// that reader.
fn wait_for(
    context: &Context,
    names: &[String],
    timeout: Duration,
    done: fn(State) -> bool,
) -> Result<ReaderInfo, TransportError> {
    // `checked_add`: `Duration::MAX` means "wait forever".
    let deadline = Instant::now().checked_add(timeout);
    let mut states = names
        .iter()
        .map(|n| c_name(n).map(|c| ReaderState::new(c, State::UNAWARE)))
        .collect::<Result<Vec<_>, _>>()?;
    loop {
        // `None` is INFINITE for SCardGetStatusChange.
        let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        match context.get_status_change(remaining, &mut states) {
            Ok(()) => {}
            Err(pcsc::Error::Timeout) => return Err(self::timeout(timeout)),
            Err(e) => return Err(map_error(e, "SCardGetStatusChange", &names.join(" | "))),
        }
        for (name, state) in names.iter().zip(&states) {
            let event = state.event_state();
            if event.intersects(State::UNKNOWN | State::UNAVAILABLE) {
                return Err(map_error(
                    pcsc::Error::ReaderUnavailable,
                    "SCardGetStatusChange",
                    name,
                ));
            }
            if done(event) {
                return Ok(info(name, state));
            }
        }
        if remaining.is_some_and(|r| r.is_zero()) {
            return Err(self::timeout(timeout));
        }
        // Block until something differs from what we have now seen.
        for state in &mut states {
            state.sync_current_state();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readers() -> Vec<ReaderInfo> {
        vec![
            ReaderInfo {
                name: "Virtual PCD 00 00".into(),
                card_present: false,
                atr: None,
            },
            ReaderInfo {
                name: "Virtual PCD 00 01".into(),
                card_present: true,
                atr: Some(vec![0x3B, 0x80]),
            },
            ReaderInfo {
                name: "ACS ACR122U PICC Interface 00 00".into(),
                card_present: true,
                atr: None,
            },
        ]
    }

    #[test]
    fn exact_name_wins_over_substring() {
        let mut r = readers();
        r.push(ReaderInfo {
            name: "Virtual PCD 00 00 extra".into(),
            card_present: false,
            atr: None,
        });
        assert_eq!(
            choose_reader(&r, Some("Virtual PCD 00 00")).unwrap().name,
            "Virtual PCD 00 00"
        );
    }

    #[test]
    fn unique_case_insensitive_substring() {
        assert_eq!(
            choose_reader(&readers(), Some("acr122")).unwrap().name,
            "ACS ACR122U PICC Interface 00 00"
        );
        assert_eq!(
            choose_reader(&readers(), Some("pcd 00 01")).unwrap().name,
            "Virtual PCD 00 01"
        );
        // A named reader is returned even when it is empty.
        assert!(
            !choose_reader(&readers(), Some("pcd 00 00"))
                .unwrap()
                .card_present
        );
    }

    #[test]
    fn ambiguous_or_unknown_names_list_the_readers() {
        for wanted in ["virtual", "nothing like it"] {
            match choose_reader(&readers(), Some(wanted)) {
                Err(TransportError::ReaderNotFound { wanted: w, seen }) => {
                    assert_eq!(w, wanted);
                    assert_eq!(seen.len(), 3);
                    assert!(seen.contains(&"Virtual PCD 00 00".to_owned()));
                }
                other => panic!("{wanted}: {other:?}"),
            }
        }
    }

    #[test]
    fn no_name_takes_the_first_reader_with_a_card() {
        assert_eq!(
            choose_reader(&readers(), None).unwrap().name,
            "Virtual PCD 00 01"
        );
        assert_eq!(
            choose_reader(&readers(), Some("  ")).unwrap().name,
            "Virtual PCD 00 01"
        );
    }

    #[test]
    fn no_card_anywhere_names_every_reader() {
        let empty: Vec<_> = readers()
            .into_iter()
            .map(|r| ReaderInfo {
                card_present: false,
                ..r
            })
            .collect();
        match choose_reader(&empty, None) {
            Err(TransportError::NoCard { reader }) => {
                assert!(
                    reader.contains("Virtual PCD 00 00") && reader.contains("ACR122U"),
                    "{reader}"
                );
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(choose_reader(&[], None), Err(TransportError::NoReaders));
        assert_eq!(
            choose_reader(&[], Some("x")),
            Err(TransportError::NoReaders)
        );
    }

    #[test]
    fn reader_info_serializes_atr_as_hex() {
        let info = ReaderInfo {
            name: "R".into(),
            card_present: true,
            atr: Some(vec![0x3B, 0x8F]),
        };
        let json = serde_json::to_string(&info).unwrap();
        assert_eq!(json, r#"{"name":"R","card_present":true,"atr":"3B8F"}"#);
        assert_eq!(serde_json::from_str::<ReaderInfo>(&json).unwrap(), info);
        let none = ReaderInfo {
            name: "R".into(),
            card_present: false,
            atr: None,
        };
        assert_eq!(
            serde_json::from_str::<ReaderInfo>(&serde_json::to_string(&none).unwrap()).unwrap(),
            none
        );
    }
}
