//! Maglev hashing (Eisenbud et al., NSDI 2016, section 3.4) with weighted turns, as
//! engine/ecmp/policies/maglev.ts, which explains the weighting.

mod nearest;
mod taken;
mod turns;

use super::super::group::CheckedGroup;
use super::super::xxh32::xxh32_bytes;
use super::super::{EcmpError, MAX_TABLE_SIZE};
use nearest::Reducer;
use taken::Taken;
use turns::Turns;

/// The paper's example size, a prime: 2^16 + 1.
pub const DEFAULT_SIZE: u32 = 65_537;
/// XXH32 seed of the hash that gives a next hop's offset (h1 of the paper).
pub const OFFSET_SEED: u32 = 0;
/// XXH32 seed of the hash that gives a next hop's skip (h2 of the paper).
pub const SKIP_SEED: u32 = 1;

/// Fewer free entries than `size / LATE_FILL` make probes long enough to test four steps at once.
const LATE_FILL: u32 = 8;

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

/// `x mod size` for `x < 2 size`, as a minimum, which compiles to a conditional move.
#[inline(always)]
fn wrap(x: u32, size: u32) -> u32 {
    x.min(x.wrapping_sub(size))
}

/// The paper's population loop (Pseudocode 1) with weighted turns; `size` must be prime.
pub fn fill(offsets: &[u32], skips: &[u32], weights: &[u32], size: u32) -> Vec<u32> {
    let mut entries = vec![0; size as usize];
    fill_into(offsets, skips, weights, &mut entries);
    entries
}

/// `fill` into the caller's `entries`, whose length is the prime table size; every entry is
/// written.
///
/// A turn claims the first free entry of the next hop's permutation from its position, found by
/// probing a bitmap of taken entries in about `size / free` steps. Once an eighth of the entries
/// are left, probes test four steps at a time; once `free^2 < size`, a turn instead computes the
/// nearest free entry along the permutation (`nearest`), in `free` operations. Each way finds the
/// same entry.
pub fn fill_into(offsets: &[u32], skips: &[u32], weights: &[u32], entries: &mut [u32]) {
    let size = entries.len() as u32;
    let mut taken = Taken::new(size);
    let mut position = offsets.to_vec();
    let mut turns = Turns::new(weights);
    let mut free = size;
    let mut claim = |hop: usize, entry: u32, position: &mut [u32]| {
        entries[entry as usize] = hop as u32;
        position[hop] = wrap(entry + skips[hop], size);
    };
    while free > size / LATE_FILL {
        let hop = turns.take();
        let entry = taken.first_free(position[hop], skips[hop]);
        taken.claim(entry);
        claim(hop, entry, &mut position);
        free -= 1;
    }
    while u64::from(free) * u64::from(free) >= u64::from(size) {
        let hop = turns.take();
        let entry = taken.first_free_by_fours(position[hop], skips[hop]);
        taken.claim(entry);
        claim(hop, entry, &mut position);
        free -= 1;
    }
    let mut free_entries = taken.free_entries();
    let reducer = Reducer::new(size);
    while !free_entries.is_empty() {
        let hop = turns.take();
        let entry = reducer.take_nearest(&mut free_entries, position[hop], skips[hop]);
        claim(hop, entry, &mut position);
    }
}

/// The Maglev lookup table of `group` for a prime `size` at least the next-hop count.
pub fn build(group: &CheckedGroup, size: u32) -> Result<Vec<u32>, EcmpError> {
    let names: Vec<&str> = group.names.iter().map(String::as_str).collect();
    let mut entries = vec![0; check_size(names.len(), size)? as usize];
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
