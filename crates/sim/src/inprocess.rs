//! The virtual passport as an in-process [`Transport`]: no reader, no
//! pcscd, the same bytes on the "wire" as through PC/SC.

use mrtd_iso7816::{Capabilities, Transport, TransportError};

use crate::card::VirtualCard;

/// Scripted faults of the in-process link.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Faults {
    /// The card leaves the field when command APDU number `n + 1` is sent
    /// (after `n` answered APDUs): that APDU and every later one fail with
    /// [`TransportError::CardRemoved`] until [`InProcessTransport::reinsert`].
    pub remove_after_apdus: Option<u64>,
}

/// A [`VirtualCard`] in the same process, reached like a reader.
#[derive(Debug)]
pub struct InProcessTransport<C: VirtualCard> {
    card: C,
    faults: Faults,
    apdus: u64,
    present: bool,
    atr: Vec<u8>,
}

impl<C: VirtualCard> InProcessTransport<C> {
    /// Inserts `card` (powers it on).
    pub fn new(mut card: C) -> Self {
        let atr = card.power_on();
        Self {
            card,
            faults: Faults::default(),
            apdus: 0,
            present: true,
            atr,
        }
    }

    /// Inserts `card` with scripted faults.
    pub fn with_faults(card: C, faults: Faults) -> Self {
        Self {
            faults,
            ..Self::new(card)
        }
    }

    /// APDUs answered so far.
    pub fn apdu_count(&self) -> u64 {
        self.apdus
    }

    /// Puts the card back (powers it on again; its session state is gone).
    pub fn reinsert(&mut self) {
        self.faults.remove_after_apdus = None;
        self.atr = self.card.power_on();
        self.present = true;
    }

    /// The card, e.g. to inspect what it was personalised with.
    pub fn card(&self) -> &C {
        &self.card
    }

    /// Takes the card out of the transport.
    pub fn into_card(self) -> C {
        self.card
    }
}

impl<C: VirtualCard> Transport for InProcessTransport<C> {
    fn transmit(&mut self, command: &[u8]) -> Result<Vec<u8>, TransportError> {
        if self.present
            && self
                .faults
                .remove_after_apdus
                .is_some_and(|n| self.apdus >= n)
        {
            self.present = false;
            self.card.power_off();
        }
        if !self.present {
            return Err(TransportError::CardRemoved);
        }
        self.apdus += 1;
        Ok(self.card.process_apdu(command))
    }

    fn atr(&self) -> Option<Vec<u8>> {
        self.present.then(|| self.atr.clone())
    }

    fn capabilities(&self) -> Capabilities {
        // Nothing in between: whatever the card takes passes.
        Capabilities {
            extended_length: Some(true),
            max_response_len: 65_536 + 2,
        }
    }

    fn reset(&mut self) -> Result<Vec<u8>, TransportError> {
        if !self.present {
            return Err(TransportError::CardRemoved);
        }
        self.atr = self.card.reset();
        Ok(self.atr.clone())
    }
}
