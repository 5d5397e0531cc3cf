//! The nearly-full end of the fill: for every free entry `e`, how many steps away it is along a
//! permutation, `(e - position) * skip^-1 mod size`, and the nearest. That is the entry probing
//! would reach, found in `free` operations instead of about `size / free` probes.

use super::wrap;

/// Remainders modulo a fixed `size` by multiplying with a precomputed reciprocal (Granlund and
/// Montgomery, PLDI 1994), for dividends below 2^44: a hardware 64-bit division costs tens of
/// cycles, and the search does one per free entry per turn.
pub(super) struct Reducer {
    size: u64,
    reciprocal: u64,
}

impl Reducer {
    pub(super) fn new(size: u32) -> Self {
        Self {
            size: u64::from(size),
            reciprocal: u64::MAX / u64::from(size),
        }
    }

    /// `x mod size` for `x < 2^44`: the estimated quotient is short by at most one, since the
    /// reciprocal's error times `x` stays below 2^-20. The correction is a minimum rather than a
    /// branch, which would be mispredicted half the time.
    #[inline(always)]
    fn reduce(&self, x: u64) -> u64 {
        let quotient = ((u128::from(x) * u128::from(self.reciprocal)) >> 64) as u64;
        let rest = x - quotient * self.size;
        rest.min(rest.wrapping_sub(self.size))
    }

    /// `value^-1` modulo the prime size (Fermat: value^(size - 2)).
    fn inverse(&self, value: u32) -> u64 {
        let (mut base, mut exponent, mut result) = (u64::from(value), self.size - 2, 1u64);
        while exponent > 0 {
            if exponent & 1 == 1 {
                result = self.reduce(result * base);
            }
            base = self.reduce(base * base);
            exponent >>= 1;
        }
        result
    }

    /// Removes from `free` the entry nearest along the permutation at `position` stepping `skip`.
    pub(super) fn take_nearest(&self, free: &mut Vec<u32>, position: u32, skip: u32) -> u32 {
        let size = self.size as u32;
        let inverse = self.inverse(skip);
        let from = size - position;
        // entry + from < 2 size, and the product stays below 2^40 for sizes up to 2^20.
        let mut nearest = (u64::MAX, 0);
        for (k, &entry) in free.iter().enumerate() {
            let steps = self.reduce(u64::from(wrap(entry + from, size)) * inverse);
            if steps < nearest.0 {
                nearest = (steps, k);
            }
        }
        free.swap_remove(nearest.1)
    }
}
