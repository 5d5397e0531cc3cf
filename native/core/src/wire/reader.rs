//! Bounds-checked reading of peer octets: every read answers `None` rather than panic.

#[derive(Clone, Debug)]
pub struct Reader<'a> {
    octets: &'a [u8],
    position: usize,
}

impl<'a> Reader<'a> {
    pub fn new(octets: &'a [u8]) -> Reader<'a> {
        Reader {
            octets,
            position: 0,
        }
    }

    pub fn position(&self) -> usize {
        self.position
    }

    pub fn remaining(&self) -> usize {
        self.octets.len() - self.position
    }

    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The octets not read yet.
    pub fn rest(&self) -> &'a [u8] {
        &self.octets[self.position..]
    }

    pub fn take(&mut self, count: usize) -> Option<&'a [u8]> {
        let end = self.position.checked_add(count)?;
        let taken = self.octets.get(self.position..end)?;
        self.position = end;
        Some(taken)
    }

    pub fn u8(&mut self) -> Option<u8> {
        let octet = *self.octets.get(self.position)?;
        self.position += 1;
        Some(octet)
    }

    pub fn u16(&mut self) -> Option<u16> {
        self.take(2).map(|o| u16::from_be_bytes([o[0], o[1]]))
    }

    pub fn u24(&mut self) -> Option<u32> {
        self.take(3)
            .map(|o| u32::from_be_bytes([0, o[0], o[1], o[2]]))
    }

    pub fn u32(&mut self) -> Option<u32> {
        self.take(4)
            .map(|o| u32::from_be_bytes([o[0], o[1], o[2], o[3]]))
    }

    pub fn array<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.take(N).and_then(|o| o.try_into().ok())
    }
}
