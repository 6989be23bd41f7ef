//! The link to the chip: a transport, the secure channel (if any), wire
//! counters, and APDU logging that never shows content unless asked to.

use mrtd_iso7816::{
    Capabilities, CommandApdu, ResponseApdu, Transport, TransportError, transmit_apdu,
};
use mrtd_protocol::sm::{ChannelLost, SecureChannel};
use tracing::{debug, trace, warn};

/// Counters of what crossed the wire.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct WireCounters {
    /// Command APDUs sent.
    pub apdus: u32,
    /// Bytes sent.
    pub bytes_sent: u64,
    /// Bytes received.
    pub bytes_received: u64,
}

impl WireCounters {
    /// The difference `self - earlier`.
    #[must_use]
    pub fn since(&self, earlier: &WireCounters) -> WireCounters {
        WireCounters {
            apdus: self.apdus - earlier.apdus,
            bytes_sent: self.bytes_sent - earlier.bytes_sent,
            bytes_received: self.bytes_received - earlier.bytes_received,
        }
    }
}

/// A transport that counts and (at trace level, when allowed) logs.
struct Wire<'t, T: Transport + ?Sized> {
    inner: &'t mut T,
    counters: WireCounters,
    trace_unsafe: bool,
}

impl<T: Transport + ?Sized> Transport for Wire<'_, T> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        self.counters.apdus += 1;
        self.counters.bytes_sent += command.len() as u64;
        if self.trace_unsafe {
            trace!(target: "mrtd::apdu::unsafe", "wire → {}", hex::encode_upper(command));
        }
        let response = self.inner.transmit(command)?;
        self.counters.bytes_received += response.len() as u64;
        if self.trace_unsafe {
            trace!(target: "mrtd::apdu::unsafe", "wire ← {}", hex::encode_upper(&response));
        }
        Ok(response)
    }
    fn atr(&self) -> Option<Vec<u8>> {
        self.inner.atr()
    }
    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }
    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        self.inner.reset()
    }
}

/// Why an exchange failed.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// The transport failed (card removed, reader gone, …).
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// The chip's answer broke secure messaging; the channel is gone.
    #[error(transparent)]
    ChannelLost(#[from] ChannelLost),
    /// The command could not be protected (not sent; the channel is intact).
    #[error("command not sent: {0}")]
    CommandRejected(mrtd_protocol::SmError),
}

/// Where the secure channel stands.
enum Channel {
    Plain,
    Secure(SecureChannel),
}

/// The link to the chip.
pub struct Link<'t, T: Transport + ?Sized> {
    wire: Wire<'t, T>,
    channel: Channel,
}

impl<'t, T: Transport + ?Sized> Link<'t, T> {
    /// A plain link over `transport`. With `trace_apdu_unsafe`, APDUs are
    /// logged in full (keys, MRZ-derived data and personal data included)
    /// at trace level under the target `mrtd::apdu::unsafe`.
    pub fn new(transport: &'t mut T, trace_apdu_unsafe: bool) -> Self {
        if trace_apdu_unsafe {
            warn!(
                "APDU content tracing is ON: logs will contain personal data and session secrets"
            );
        }
        Self {
            wire: Wire {
                inner: transport,
                counters: WireCounters::default(),
                trace_unsafe: trace_apdu_unsafe,
            },
            channel: Channel::Plain,
        }
    }

    /// Wire counters so far.
    pub fn counters(&self) -> WireCounters {
        self.wire.counters
    }

    /// The transport's ATR.
    pub fn atr(&self) -> Option<Vec<u8>> {
        self.wire.atr()
    }

    /// The transport's capabilities.
    pub fn capabilities(&self) -> Capabilities {
        self.wire.capabilities()
    }

    /// Installs a secure channel: every later command is protected.
    pub fn secure(&mut self, channel: SecureChannel) {
        self.channel = Channel::Secure(channel);
    }

    /// Drops the secure channel (after access control failed or before it
    /// runs again).
    pub fn unsecure(&mut self) {
        self.channel = Channel::Plain;
    }

    /// The secure channel, if one is open.
    pub fn secure_channel(&self) -> Option<&SecureChannel> {
        match &self.channel {
            Channel::Secure(c) => Some(c),
            Channel::Plain => None,
        }
    }

    /// Sends one (plain) command, protecting it when a channel is open, and
    /// returns the (plain) response.
    ///
    /// # Errors
    /// [`LinkError::Transport`] for transport failures (the channel is then
    /// gone too), [`LinkError::ChannelLost`] when the response breaks
    /// secure messaging.
    pub fn exchange(&mut self, command: &CommandApdu) -> Result<ResponseApdu, LinkError> {
        debug!(
            target: "mrtd::apdu",
            header = %hex::encode_upper(command.header()),
            nc = command.data().len(),
            ne = ?command.ne(),
            "→"
        );
        if self.wire.trace_unsafe {
            trace!(target: "mrtd::apdu::unsafe", "plain → {}", hex::encode_upper(command.to_bytes()));
        }
        let response = match core::mem::replace(&mut self.channel, Channel::Plain) {
            Channel::Plain => transmit_apdu(&mut self.wire, command)?,
            Channel::Secure(channel) => {
                let (pending, protected) = match channel.protect(command) {
                    Ok(ok) => ok,
                    Err(rejected) => {
                        // The command was never sent; keep the channel.
                        self.channel = Channel::Secure(rejected.channel);
                        return Err(LinkError::CommandRejected(rejected.error));
                    }
                };
                let wire_response = transmit_apdu(&mut self.wire, &protected)?;
                let (channel, plain) = pending.unprotect(&wire_response)?;
                self.channel = Channel::Secure(channel);
                plain
            }
        };
        debug!(target: "mrtd::apdu", sw = %response.sw, len = response.data.len(), "←");
        if self.wire.trace_unsafe {
            trace!(target: "mrtd::apdu::unsafe", "plain ← {}", hex::encode_upper(response.to_bytes()));
        }
        Ok(response)
    }
}
