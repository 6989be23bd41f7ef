//! [`PcscTransport`]: an [`mrtd_iso7816::Transport`] over a PC/SC card
//! connection.

use std::ffi::CString;
use std::fmt;
use std::time::{Duration, Instant};

use mrtd_iso7816::{Capabilities, Transport, TransportError};
use pcsc::{Card, Context, Disposition, Protocols, ReaderState, State};
use serde::{Deserialize, Serialize};
use tracing::debug;

use crate::error::{map_error, timeout};
use crate::reader::{c_name, establish, reader_names_best_effort};

/// How long a failed exchange waits for the reader to report the card
/// gone before calling the failure a communication error. pcscd polls
/// readers without card-event interrupts (vpcd among them) every 0.4 s.
const REMOVAL_PROBE: Duration = Duration::from_millis(1_200);

/// The transmission protocol negotiated with the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Protocol {
    /// ISO/IEC 7816-3 T=0 (character protocol; contact cards only).
    T0,
    /// ISO/IEC 7816-3 T=1 (block protocol). Contactless readers present
    /// ISO/IEC 14443-4 cards, so every eMRTD, as T=1.
    T1,
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::T0 => "T=0",
            Self::T1 => "T=1",
        })
    }
}

/// Whether other applications may use the card while we are connected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ShareMode {
    /// Other applications may connect too (the PC/SC default). Their APDUs
    /// could interleave with ours and break a secure-messaging session, but
    /// a desktop with a smart-card middleware polling the reader keeps
    /// working.
    #[default]
    Shared,
    /// Nobody else may connect while we are connected.
    Exclusive,
}

impl ShareMode {
    fn to_pcsc(self) -> pcsc::ShareMode {
        match self {
            Self::Shared => pcsc::ShareMode::Shared,
            Self::Exclusive => pcsc::ShareMode::Exclusive,
        }
    }
}

/// Options for [`PcscTransport::connect_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ConnectOptions {
    /// Shared or exclusive access.
    pub share_mode: ShareMode,
}

/// A connection to the card in one PC/SC reader.
///
/// Dropping it disconnects and leaves the card powered as it is
/// (`SCARD_LEAVE_CARD`), so that another application may continue.
pub struct PcscTransport {
    context: Context,
    /// `Some` for the whole life of the value; taken only by `Drop`.
    card: Option<Card>,
    reader: String,
    reader_c: CString,
    options: ConnectOptions,
    protocol: Protocol,
    atr: Vec<u8>,
    /// Allocated once: `SCardTransmit` needs room for the largest
    /// extended-length response.
    receive_buffer: Vec<u8>,
}

impl fmt::Debug for PcscTransport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PcscTransport")
            .field("reader", &self.reader)
            .field("protocol", &self.protocol)
            .field("atr", &hex::encode_upper(&self.atr))
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

impl PcscTransport {
    /// Connects in shared mode to the card in the reader named exactly
    /// `reader` (resolve user input with [`crate::choose_reader`] first),
    /// preferring T=1.
    ///
    /// # Errors
    /// [`TransportError::NoCard`] when the reader is empty,
    /// [`TransportError::ReaderNotFound`] for an unknown reader, or another
    /// PC/SC failure (mute card, reader in exclusive use, pcscd down…).
    pub fn connect(reader: &str) -> Result<Self, TransportError> {
        Self::connect_with(reader, ConnectOptions::default())
    }

    /// [`PcscTransport::connect`] with explicit options.
    ///
    /// # Errors
    /// As [`PcscTransport::connect`].
    pub fn connect_with(reader: &str, options: ConnectOptions) -> Result<Self, TransportError> {
        let context = establish()?;
        let reader_c = c_name(reader)?;
        let card = connect_card(&context, &reader_c, options.share_mode)
            .map_err(|e| connect_error(&context, e, "SCardConnect", reader))?;
        let mut transport = Self {
            context,
            card: Some(card),
            reader: reader.to_owned(),
            reader_c,
            options,
            protocol: Protocol::T1,
            atr: Vec::new(),
            receive_buffer: vec![0; pcsc::MAX_BUFFER_SIZE_EXTENDED],
        };
        transport.refresh_status("SCardStatus")?;
        debug!(
            reader = %transport.reader,
            protocol = %transport.protocol,
            atr = %hex::encode_upper(&transport.atr),
            share_mode = ?options.share_mode,
            "connected to card"
        );
        Ok(transport)
    }

    /// The reader this transport is connected to.
    #[must_use]
    pub fn reader(&self) -> &str {
        &self.reader
    }

    /// The protocol negotiated with the card.
    #[must_use]
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    /// Re-establishes the connection without resetting the card, and
    /// returns the (possibly new) ATR.
    ///
    /// Use it after [`TransportError::CardReset`] (another application or
    /// a power glitch reset the card: every session state is lost, the
    /// caller must start over from the access protocol), or after
    /// [`TransportError::CardRemoved`] once a card is back in the reader
    /// (see [`crate::wait_for_card`]).
    ///
    /// # Errors
    /// [`TransportError::NoCard`] when the reader is empty, or another
    /// PC/SC failure.
    pub fn reconnect(&mut self) -> Result<Vec<u8>, TransportError> {
        self.reconnect_with(Disposition::LeaveCard, "SCardReconnect")
    }

    fn reconnect_with(
        &mut self,
        disposition: Disposition,
        call: &'static str,
    ) -> Result<Vec<u8>, TransportError> {
        let share = self.options.share_mode;
        let result = match self.card.as_mut() {
            Some(card) => reconnect_card(card, share, disposition),
            None => Err(pcsc::Error::InvalidHandle),
        };
        match result {
            Ok(()) => {}
            // After a removal pcsc-lite invalidates the handle for good: a
            // card put back is a new card, reached by a fresh connection.
            Err(
                pcsc::Error::RemovedCard | pcsc::Error::InvalidHandle | pcsc::Error::NoSmartcard,
            ) => {
                debug!(reader = %self.reader, "handle lost with the card; connecting anew");
                let card = connect_card(&self.context, &self.reader_c, share)
                    .map_err(|e| connect_error(&self.context, e, "SCardConnect", &self.reader))?;
                // The old handle is dead; dropping it (a failing
                // SCardDisconnect) does no harm.
                self.card = Some(card);
            }
            Err(e) => return Err(connect_error(&self.context, e, call, &self.reader)),
        }
        self.refresh_status("SCardStatus")?;
        debug!(
            reader = %self.reader,
            protocol = %self.protocol,
            atr = %hex::encode_upper(&self.atr),
            ?disposition,
            "reconnected to card"
        );
        Ok(self.atr.clone())
    }

    /// Reads protocol and ATR of the connected card.
    fn refresh_status(&mut self, call: &'static str) -> Result<(), TransportError> {
        let card = self
            .card
            .as_ref()
            .ok_or_else(|| map_error(pcsc::Error::InvalidHandle, call, &self.reader))?;
        let status = card
            .status2_owned()
            .map_err(|e| map_error(e, call, &self.reader))?;
        self.protocol = match status.protocol2() {
            Some(pcsc::Protocol::T0) => Protocol::T0,
            Some(pcsc::Protocol::T1) => Protocol::T1,
            other => {
                return Err(TransportError::Other {
                    context: call,
                    message: format!(
                        "reader {:?} negotiated protocol {other:?}, not T=0 or T=1",
                        self.reader
                    ),
                });
            }
        };
        self.atr = status.atr().to_vec();
        Ok(())
    }

    /// After `SCARD_E_NOT_TRANSACTED`, `SCARD_F_COMM_ERROR` or a response
    /// without status word: was the card taken away? Readers report the
    /// failed exchange before the removal, so wait briefly for the reader
    /// state to catch up.
    fn card_was_removed(&self) -> bool {
        if let Some(card) = &self.card {
            match card.status2_owned() {
                Err(pcsc::Error::RemovedCard | pcsc::Error::NoSmartcard) => return true,
                Ok(status) if status.status().contains(pcsc::Status::ABSENT) => return true,
                _ => {}
            }
        }
        let mut state = [ReaderState::new(self.reader_c.clone(), State::UNAWARE)];
        if self
            .context
            .get_status_change(Duration::ZERO, &mut state)
            .is_err()
        {
            return false;
        }
        let Some(first) = state.first() else {
            return false;
        };
        if !first.event_state().contains(State::PRESENT) {
            return true;
        }
        let insertions = first.event_count();
        let deadline = Instant::now() + REMOVAL_PROBE;
        for s in &mut state {
            s.sync_current_state();
        }
        while let Some(remaining) = deadline
            .checked_duration_since(Instant::now())
            .filter(|d| !d.is_zero())
        {
            if self
                .context
                .get_status_change(remaining, &mut state)
                .is_err()
            {
                return false;
            }
            let Some(now) = state.first() else {
                return false;
            };
            // Absent now, or removed and put back in the meantime.
            if !now.event_state().contains(State::PRESENT) || now.event_count() != insertions {
                return true;
            }
            for s in &mut state {
                s.sync_current_state();
            }
        }
        false
    }
}

impl Transport for PcscTransport {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        if command.is_empty() {
            return Err(TransportError::Other {
                context: "SCardTransmit",
                message: "empty command APDU".into(),
            });
        }
        let card = self
            .card
            .as_ref()
            .ok_or_else(|| map_error(pcsc::Error::InvalidHandle, "SCardTransmit", &self.reader))?;
        let started = Instant::now();
        match card
            .transmit(command, &mut self.receive_buffer)
            .map(<[u8]>::to_vec)
        {
            Ok(response) => {
                debug!(
                    command_len = command.len(),
                    response_len = response.len(),
                    micros = started.elapsed().as_micros(),
                    "APDU exchanged"
                );
                // Every R-APDU ends with SW1 SW2. Some drivers (vpcd among
                // them) report a card lost mid-exchange as a successful
                // empty response; tell that apart from a chip answering
                // garbage, which the caller sees as a malformed response.
                if response.len() < 2 && self.card_was_removed() {
                    debug!(
                        response_len = response.len(),
                        "short response: the card is gone"
                    );
                    return Err(TransportError::CardRemoved);
                }
                Ok(response)
            }
            Err(e) => {
                let elapsed = started.elapsed();
                let error = match e {
                    pcsc::Error::Timeout => timeout(elapsed),
                    pcsc::Error::NotTransacted | pcsc::Error::CommError
                        if self.card_was_removed() =>
                    {
                        TransportError::CardRemoved
                    }
                    e => map_error(e, "SCardTransmit", &self.reader),
                };
                debug!(command_len = command.len(), pcsc_error = ?e, %error, "APDU exchange failed");
                Err(error)
            }
        }
    }

    fn atr(&self) -> Option<Vec<u8>> {
        Some(self.atr.clone())
    }

    fn capabilities(&self) -> Capabilities {
        Capabilities {
            // Whether the reader (and its driver) carries extended APDUs is
            // not reliably reported by PC/SC: the caller probes.
            extended_length: None,
            max_response_len: Capabilities::default()
                .max_response_len
                .min(pcsc::MAX_BUFFER_SIZE_EXTENDED),
        }
    }

    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        self.reconnect_with(Disposition::ResetCard, "SCardReconnect(reset)")
    }
}

impl Drop for PcscTransport {
    fn drop(&mut self) {
        if let Some(card) = self.card.take() {
            match card.disconnect(Disposition::LeaveCard) {
                Ok(()) => debug!(reader = %self.reader, "disconnected from card"),
                // The handle is already dead (card removed, pcscd gone);
                // dropping it retries harmlessly.
                Err((_card, e)) => debug!(reader = %self.reader, error = ?e, "disconnect failed"),
            }
        }
    }
}

/// Connects preferring T=1: only a card that cannot do T=1 gets T=0.
///
/// Offering both at once would let the driver pick the ATR's first
/// protocol, which for dual-protocol contact cards is usually T=0.
fn connect_card(
    context: &Context,
    reader: &CString,
    share: ShareMode,
) -> Result<Card, pcsc::Error> {
    match context.connect(reader, share.to_pcsc(), Protocols::T1) {
        Err(pcsc::Error::ProtoMismatch) => {
            context.connect(reader, share.to_pcsc(), Protocols::T0 | Protocols::T1)
        }
        other => other,
    }
}

/// [`connect_card`]'s preference for an existing handle.
fn reconnect_card(
    card: &mut Card,
    share: ShareMode,
    disposition: Disposition,
) -> Result<(), pcsc::Error> {
    match card.reconnect(share.to_pcsc(), Protocols::T1, disposition) {
        Err(pcsc::Error::ProtoMismatch) => {
            card.reconnect(share.to_pcsc(), Protocols::T0 | Protocols::T1, disposition)
        }
        other => other,
    }
}

/// Maps a connection failure: here an absent card means "no card", not
/// "card removed", and an unknown reader lists the readers there are.
fn connect_error(
    context: &Context,
    error: pcsc::Error,
    call: &'static str,
    reader: &str,
) -> TransportError {
    match error {
        pcsc::Error::NoSmartcard | pcsc::Error::RemovedCard => TransportError::NoCard {
            reader: reader.to_owned(),
        },
        pcsc::Error::UnknownReader => TransportError::ReaderNotFound {
            wanted: reader.to_owned(),
            seen: reader_names_best_effort(context),
        },
        e => map_error(e, call, reader),
    }
}
