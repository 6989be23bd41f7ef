//! A scripted random source for reproducing published worked examples.
//! Test-only: it is as predictable as its script.

use core::convert::Infallible;

/// Yields the scripted bytes in order, then a counting pattern.
pub struct ScriptedRng {
    script: Vec<u8>,
    pos: usize,
    counter: u8,
}

impl ScriptedRng {
    /// Yields `script` first.
    pub fn new(script: &[u8]) -> Self {
        Self {
            script: script.to_vec(),
            pos: 0,
            counter: 0,
        }
    }

    /// A counting pattern only.
    pub fn counting() -> Self {
        Self::new(&[])
    }

    /// `true` when the whole script has been consumed.
    pub fn exhausted(&self) -> bool {
        self.pos == self.script.len()
    }
}

impl rand_core::TryRng for ScriptedRng {
    type Error = Infallible;

    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        let mut b = [0u8; 4];
        self.try_fill_bytes(&mut b)?;
        Ok(u32::from_le_bytes(b))
    }

    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        let mut b = [0u8; 8];
        self.try_fill_bytes(&mut b)?;
        Ok(u64::from_le_bytes(b))
    }

    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for d in dst {
            if let Some(b) = self.script.get(self.pos) {
                *d = *b;
                self.pos += 1;
            } else {
                self.counter = self.counter.wrapping_add(0x3B);
                *d = self.counter;
            }
        }
        Ok(())
    }
}

impl rand_core::TryCryptoRng for ScriptedRng {}
