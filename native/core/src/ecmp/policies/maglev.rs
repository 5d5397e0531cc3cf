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

/// `value^-1` modulo the prime `size` (Fermat: value^(size - 2)).
fn inverse(value: u32, size: u32) -> u64 {
    let (size, mut base, mut exponent, mut result) =
        (u64::from(size), u64::from(value), size - 2, 1u64);
    while exponent > 0 {
        if exponent & 1 == 1 {
            result = result * base % size;
        }
        base = base * base % size;
        exponent >>= 1;
    }
    result
}

/// The paper's population loop (Pseudocode 1) with weighted turns; `size` must be prime.
///
/// A turn claims the first free entry of the next hop's permutation from its position. Probing
/// finds it in about `size / free` steps, which dominates once the table is nearly full, so from
/// the point where `free^2 < size` a turn instead computes, for every free entry `e`, how many
/// steps away it is, `(e - position) * skip^-1 mod size`, and takes the nearest: the same entry in
/// `free` operations. Until then, which entries are taken is kept in a bitmap, 8 KiB for 65,537
/// entries, which stays in the L1 cache where the table would not.
pub fn fill(offsets: &[u32], skips: &[u32], weights: &[u32], size: u32) -> Vec<u32> {
    let mut entries = vec![EMPTY; size as usize];
    let mut taken = vec![0u64; (size as usize).div_ceil(64)];
    let mut position = offsets.to_vec();
    let mut credit = vec![0u64; offsets.len()];
    let mut inverses = vec![0u64; offsets.len()];
    let mut free: Option<Vec<u32>> = None;
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
                    if inverses[i] == 0 {
                        inverses[i] = inverse(skip, size);
                    }
                    let from = size - position[i];
                    let steps = |entry: u32| {
                        u64::from((entry + from) % size) * inverses[i] % u64::from(size)
                    };
                    let nearest = (0..free.len())
                        .min_by_key(|&k| steps(free[k]))
                        .unwrap_or_default();
                    free.swap_remove(nearest)
                }
            };
            entries[entry as usize] = i as u32;
            let next = entry + skip;
            position[i] = if next >= size { next - size } else { next };
            filled += 1;
            if filled == size {
                return entries;
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
    let count = group.names.len();
    if (size as usize) < count || size > MAX_TABLE_SIZE || !is_prime(size) {
        return Err(EcmpError(format!(
            "maglev: size must be a prime from the next-hop count ({count}) to {MAX_TABLE_SIZE}, not {size}"
        )));
    }
    let (offsets, skips): (Vec<u32>, Vec<u32>) = group
        .names
        .iter()
        .map(|name| permutation_of(name, size))
        .unzip();
    Ok(fill(&offsets, &skips, &group.weights, size))
}
