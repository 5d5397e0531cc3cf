//! Maglev hashing (Eisenbud et al., NSDI 2016, section 3.4) with weighted turns, as
//! engine/ecmp/policies/maglev.ts, which explains the weighting.

use super::super::group::CheckedGroup;
use super::super::xxh32::xxh32_bytes;
use super::super::{EcmpError, MAX_TABLE_SIZE};

/// The paper's example size, a prime: 2^16 + 1.
pub const DEFAULT_SIZE: u32 = 65_537;
/// XXH32 seed of the hash that gives a next hop's offset (h1 of the paper).
pub const OFFSET_SEED: u32 = 0;
/// XXH32 seed of the hash that gives a next hop's skip (h2 of the paper).
pub const SKIP_SEED: u32 = 1;

const EMPTY: u32 = u32::MAX;

/// Whether `n` is prime, by trial division (table sizes are at most 2^20).
pub fn is_prime(n: u32) -> bool {
    n >= 2
        && (2..)
            .take_while(|d| d * d <= n)
            .all(|d| !n.is_multiple_of(d))
}

/// Where a next hop's permutation starts and how it steps, for a table of `size` entries.
pub fn permutation_of(name: &str, size: u32) -> (u32, u32) {
    let offset = xxh32_bytes(name.as_bytes(), OFFSET_SEED) % size;
    let skip = xxh32_bytes(name.as_bytes(), SKIP_SEED) % (size - 1) + 1;
    (offset, skip)
}

/// Remainders modulo a fixed `size` by multiplying with a precomputed reciprocal (Granlund and
/// Montgomery, PLDI 1994), for dividends below 2^44: a hardware 64-bit division costs tens of
/// cycles, and the nearly-full fill does one per free entry per turn.
struct Reducer {
    size: u64,
    reciprocal: u64,
}

impl Reducer {
    fn new(size: u32) -> Self {
        Self {
            size: u64::from(size),
            reciprocal: u64::MAX / u64::from(size),
        }
    }

    /// `x mod size` for `x < 2^44`: the estimated quotient is short by at most one, since the
    /// reciprocal's error times `x` stays below 2^-20.
    #[inline(always)]
    fn reduce(&self, x: u64) -> u64 {
        let quotient = ((u128::from(x) * u128::from(self.reciprocal)) >> 64) as u64;
        let rest = x - quotient * self.size;
        if rest >= self.size {
            rest - self.size
        } else {
            rest
        }
    }
}

/// `value^-1` modulo the prime size of `reducer` (Fermat: value^(size - 2)).
fn inverse(value: u32, reducer: &Reducer) -> u64 {
    let (mut base, mut exponent, mut result) = (u64::from(value), reducer.size - 2, 1u64);
    while exponent > 0 {
        if exponent & 1 == 1 {
            result = reducer.reduce(result * base);
        }
        base = reducer.reduce(base * base);
        exponent >>= 1;
    }
    result
}

/// The paper's population loop (Pseudocode 1) with weighted turns; `size` must be prime.
pub fn fill(offsets: &[u32], skips: &[u32], weights: &[u32], size: u32) -> Vec<u32> {
    let mut entries = vec![EMPTY; size as usize];
    fill_into(offsets, skips, weights, &mut entries);
    entries
}

/// `fill` into the caller's `entries`, whose length is the prime table size.
///
/// A turn claims the first free entry of the next hop's permutation from its position. Probing
/// finds it in about `size / free` steps, which dominates once the table is nearly full, so from
/// the point where `free^2 < size` a turn instead computes, for every free entry `e`, how many
/// steps away it is, `(e - position) * skip^-1 mod size`, and takes the nearest: the same entry in
/// `free` operations. Until then, which entries are taken is kept in a bitmap, 8 KiB for 65,537
/// entries, which stays in the L1 cache where the table would not.
pub fn fill_into(offsets: &[u32], skips: &[u32], weights: &[u32], entries: &mut [u32]) {
    let size = entries.len() as u32;
    entries.fill(EMPTY);
    let mut taken = vec![0u64; (size as usize).div_ceil(64)];
    let mut position = offsets.to_vec();
    let mut credit = vec![0u64; offsets.len()];
    let mut free: Option<Vec<u32>> = None;
    let reducer = Reducer::new(size);
    let max_weight = u64::from(weights.iter().copied().max().unwrap_or(1));
    let mut filled = 0;
    loop {
        for i in 0..offsets.len() {
            credit[i] += u64::from(weights[i]);
            if credit[i] < max_weight {
                continue;
            }
            credit[i] -= max_weight;
            let skip = skips[i];
            let entry = match free.as_mut() {
                None => {
                    let mut entry = position[i];
                    while taken[(entry >> 6) as usize] & (1 << (entry & 63)) != 0 {
                        entry += skip;
                        if entry >= size {
                            entry -= size;
                        }
                    }
                    taken[(entry >> 6) as usize] |= 1 << (entry & 63);
                    entry
                }
                Some(free) => {
                    let inverse = inverse(skip, &reducer);
                    let from = size - position[i];
                    // entry + from < 2 size, and the product stays below 2^40 for sizes up to 2^20.
                    let mut nearest = (u64::MAX, 0);
                    for (k, &entry) in free.iter().enumerate() {
                        let mut ahead = entry + from;
                        if ahead >= size {
                            ahead -= size;
                        }
                        let steps = reducer.reduce(u64::from(ahead) * inverse);
                        if steps < nearest.0 {
                            nearest = (steps, k);
                        }
                    }
                    free.swap_remove(nearest.1)
                }
            };
            entries[entry as usize] = i as u32;
            let next = entry + skip;
            position[i] = if next >= size { next - size } else { next };
            filled += 1;
            if filled == size {
                return;
            }
            let left = u64::from(size - filled);
            if free.is_none() && left * left < u64::from(size) {
                free = Some(
                    (0..size)
                        .filter(|&e| entries[e as usize] == EMPTY)
                        .collect(),
                );
            }
        }
    }
}

/// The Maglev lookup table of `group` for a prime `size` at least the next-hop count.
pub fn build(group: &CheckedGroup, size: u32) -> Result<Vec<u32>, EcmpError> {
    let names: Vec<&str> = group.names.iter().map(String::as_str).collect();
    let mut entries = vec![EMPTY; check_size(names.len(), size)? as usize];
    fill_named(&names, &group.weights, &mut entries);
    Ok(entries)
}

/// `build` into the caller's `entries`, whose length is the size; `weights` are already divided
/// by their gcd (`check_weights`).
pub fn build_into(names: &[&str], weights: &[u32], entries: &mut [u32]) -> Result<(), EcmpError> {
    let size = u32::try_from(entries.len()).unwrap_or(u32::MAX);
    check_size(names.len(), size)?;
    fill_named(names, weights, entries);
    Ok(())
}

fn check_size(count: usize, size: u32) -> Result<u32, EcmpError> {
    if (size as usize) < count || size > MAX_TABLE_SIZE || !is_prime(size) {
        return Err(EcmpError(format!(
            "maglev: size must be a prime from the next-hop count ({count}) to {MAX_TABLE_SIZE}, not {size}"
        )));
    }
    Ok(size)
}

fn fill_named(names: &[&str], weights: &[u32], entries: &mut [u32]) {
    let size = entries.len() as u32;
    let (offsets, skips): (Vec<u32>, Vec<u32>) =
        names.iter().map(|name| permutation_of(name, size)).unzip();
    fill_into(&offsets, &skips, weights, entries);
}
