//! The card side of a reader–card link.

/// A smart card as a reader sees it: it powers up with an ATR and answers
/// command APDUs. The virtual passport implements it; the in-process
/// transport and the vpcd bridge both drive any `VirtualCard`.
pub trait VirtualCard {
    /// Cold power-on: forget every session state and return the ATR.
    fn power_on(&mut self) -> Vec<u8>;

    /// Power off: forget every session state (secure messaging included).
    fn power_off(&mut self);

    /// Warm reset: like power off followed by power on; returns the ATR.
    fn reset(&mut self) -> Vec<u8> {
        self.power_off();
        self.power_on()
    }

    /// The ATR the card would send now.
    fn atr(&self) -> Vec<u8>;

    /// Processes one encoded command APDU and returns the encoded response
    /// (data ‖ SW1 SW2). Malformed input is answered with an error status
    /// word, never a panic.
    fn process_apdu(&mut self, command: &[u8]) -> Vec<u8>;
}
