//! The input format of the structured targets: big-endian integers and
//! length-prefixed byte strings, read leniently (a short input reads as
//! zeros) so that every byte string is a valid input.

/// Reads fields from a fuzz input.
#[derive(Clone, Debug)]
pub struct Input<'a> {
    data: &'a [u8],
}

impl<'a> Input<'a> {
    /// Reads `data` from its start.
    #[must_use]
    pub fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    /// `true` when every byte has been read.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.data.is_empty()
    }

    /// One byte, 0 at the end of the input.
    pub fn u8(&mut self) -> u8 {
        match self.data.split_first() {
            Some((b, rest)) => {
                self.data = rest;
                *b
            }
            None => 0,
        }
    }

    /// A big-endian 16-bit number.
    pub fn u16(&mut self) -> u16 {
        u16::from_be_bytes([self.u8(), self.u8()])
    }

    /// Up to `n` bytes (fewer at the end of the input).
    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let (head, rest) = self.data.split_at(n.min(self.data.len()));
        self.data = rest;
        head
    }

    /// A byte string with a one-byte length.
    pub fn bytes_u8(&mut self) -> &'a [u8] {
        let n = usize::from(self.u8());
        self.bytes(n)
    }

    /// A byte string with a two-byte length.
    pub fn bytes_u16(&mut self) -> &'a [u8] {
        let n = usize::from(self.u16());
        self.bytes(n)
    }

    /// Everything not read yet.
    pub fn rest(&mut self) -> &'a [u8] {
        core::mem::take(&mut self.data)
    }
}

/// Writes inputs in the format [`Input`] reads (for the seed generator).
#[derive(Clone, Debug, Default)]
pub struct Writer(pub Vec<u8>);

impl Writer {
    /// One byte.
    pub fn u8(&mut self, v: u8) -> &mut Self {
        self.0.push(v);
        self
    }

    /// A big-endian 16-bit number.
    pub fn u16(&mut self, v: u16) -> &mut Self {
        self.0.extend_from_slice(&v.to_be_bytes());
        self
    }

    /// Raw bytes.
    pub fn bytes(&mut self, v: &[u8]) -> &mut Self {
        self.0.extend_from_slice(v);
        self
    }

    /// A byte string with a one-byte length.
    ///
    /// # Panics
    /// When `v` is longer than 255 bytes (a bug in the seed generator).
    pub fn bytes_u8(&mut self, v: &[u8]) -> &mut Self {
        self.u8(u8::try_from(v.len()).expect("at most 255 bytes"));
        self.bytes(v)
    }

    /// A byte string with a two-byte length.
    ///
    /// # Panics
    /// When `v` is longer than 65 535 bytes (a bug in the seed generator).
    pub fn bytes_u16(&mut self, v: &[u8]) -> &mut Self {
        self.u16(u16::try_from(v.len()).expect("at most 65535 bytes"));
        self.bytes(v)
    }

    /// The input.
    #[must_use]
    pub fn finish(&self) -> Vec<u8> {
        self.0.clone()
    }
}
