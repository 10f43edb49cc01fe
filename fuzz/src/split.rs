//! Fuzzer-chosen split points: streaming decoders get their input in pieces whose lengths come
//! from a few header bytes, so partial reads at every offset are covered.

/// Takes `N` header bytes off the front of `input`; `None` when it is shorter.
pub fn take<const N: usize>(input: &[u8]) -> Option<([u8; N], &[u8])> {
    let (head, rest) = input.split_first_chunk::<N>()?;
    Some((*head, rest))
}

/// Piece lengths drawn from a small xorshift generator: with `max` 0 the input comes in one
/// piece, otherwise each piece is 1 to `max` bytes long.
#[derive(Clone, Debug)]
pub struct Splitter {
    state: u32,
    max: usize,
}

impl Splitter {
    /// A splitter from a 16-bit seed and the longest piece (0: no splitting).
    pub fn new(seed: u16, max: u8) -> Self {
        Self {
            // Xorshift must not start at 0.
            state: u32::from(seed) | 0x1_0000,
            max: usize::from(max),
        }
    }

    /// A splitter that hands out everything at once.
    pub fn whole() -> Self {
        Self::new(0, 0)
    }

    /// The length of the next piece, at most `available`.
    pub fn next_len(&mut self, available: usize) -> usize {
        if self.max == 0 {
            return available;
        }
        self.state ^= self.state << 13;
        self.state ^= self.state >> 17;
        self.state ^= self.state << 5;
        let len = 1 + self.state as usize % self.max;
        len.min(available)
    }

    /// `data` cut into pieces.
    pub fn pieces<'a>(&mut self, mut data: &'a [u8]) -> Vec<&'a [u8]> {
        let mut pieces = Vec::new();
        while !data.is_empty() {
            let (piece, rest) = data.split_at(self.next_len(data.len()));
            pieces.push(piece);
            data = rest;
        }
        pieces
    }
}
