//! Which entries are taken, one bit each: 8 KiB for 65,537 entries, which stays in the L1 cache
//! where the table would not. Probing walks a permutation over it to the first free entry.

use super::wrap;

pub(super) struct Taken {
    words: Vec<u64>,
    size: u32,
}

impl Taken {
    pub(super) fn new(size: u32) -> Self {
        Self {
            words: vec![0; (size as usize).div_ceil(64)],
            size,
        }
    }

    /// 1 when `entry` is free, else 0.
    #[inline(always)]
    fn free_bit(&self, entry: u32) -> u32 {
        !(self.words[(entry >> 6) as usize] >> (entry & 63)) as u32 & 1
    }

    #[inline(always)]
    pub(super) fn claim(&mut self, entry: u32) {
        self.words[(entry >> 6) as usize] |= 1 << (entry & 63);
    }

    /// The first free entry from `entry` on, stepping by `skip`: one step per iteration, which is
    /// quickest while most probes end on their first or second step.
    #[inline(always)]
    pub(super) fn first_free(&self, mut entry: u32, skip: u32) -> u32 {
        while self.free_bit(entry) == 0 {
            entry = wrap(entry + skip, self.size);
        }
        entry
    }

    /// `first_free` testing four steps per iteration, for a nearly full table: the four tests are
    /// independent, so they overlap instead of waiting on one another's branch.
    #[inline(always)]
    pub(super) fn first_free_by_fours(&self, mut entry: u32, skip: u32) -> u32 {
        let size = self.size;
        let twice = wrap(skip + skip, size);
        let offsets = [0, skip, twice, wrap(twice + skip, size)];
        let stride = wrap(twice + twice, size);
        loop {
            let mut free = 0;
            for (lane, &offset) in offsets.iter().enumerate() {
                free |= self.free_bit(wrap(entry + offset, size)) << lane;
            }
            if free != 0 {
                return wrap(entry + offsets[free.trailing_zeros() as usize], size);
            }
            entry = wrap(entry + stride, size);
        }
    }

    /// Every free entry, in increasing order.
    pub(super) fn free_entries(&self) -> Vec<u32> {
        let mut free = Vec::new();
        for (at, &word) in self.words.iter().enumerate() {
            let mut bits = !word;
            while bits != 0 {
                let entry = at as u32 * 64 + bits.trailing_zeros();
                if entry < self.size {
                    free.push(entry);
                }
                bits &= bits - 1;
            }
        }
        free
    }
}
