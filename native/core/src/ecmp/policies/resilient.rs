//! Resilient buckets, after Linux resilient nexthop groups, as engine/ecmp/policies/resilient.ts,
//! which explains the four steps; both must give the same table for the same input.

use std::collections::HashMap;

use super::super::group::CheckedGroup;
use super::super::{EcmpError, MAX_TABLE_SIZE};
use super::Previous;

/// Buckets when the configuration gives none.
pub const DEFAULT_BUCKETS: u32 = 65_536;

const EMPTY: u32 = u32::MAX;

/// Owners carried over from the previous table by next-hop name; empty where the owner left.
fn carry_over(
    entries: &mut [u32],
    have: &mut [u64],
    names: &[String],
    previous: &Previous<'_>,
) -> Result<(), EcmpError> {
    if previous.table.len() != entries.len() {
        return Err(EcmpError(format!(
            "resilient: the previous table has {} buckets, not {}",
            previous.table.len(),
            entries.len()
        )));
    }
    let index: HashMap<&str, u32> = names
        .iter()
        .enumerate()
        .map(|(i, name)| (name.as_str(), i as u32))
        .collect();
    let carried: Vec<u32> = previous
        .names
        .iter()
        .map(|name| index.get(name.as_str()).copied().unwrap_or(EMPTY))
        .collect();
    for (bucket, (&owner, entry)) in previous.table.iter().zip(entries.iter_mut()).enumerate() {
        let Some(&now) = carried.get(owner as usize) else {
            return Err(EcmpError(format!(
                "resilient: previous bucket {bucket} names next hop {owner}, beyond its group"
            )));
        };
        if now != EMPTY {
            *entry = now;
            have[now as usize] += 1;
        }
    }
    Ok(())
}

/// The bucket table of `group`, rebalanced from `previous` when given.
pub fn build(
    group: &CheckedGroup,
    buckets: u32,
    previous: Option<Previous<'_>>,
) -> Result<Vec<u32>, EcmpError> {
    let count = group.names.len();
    if (buckets as usize) < count || buckets > MAX_TABLE_SIZE {
        return Err(EcmpError(format!(
            "resilient: buckets must be an integer from the next-hop count ({count}) to {MAX_TABLE_SIZE}, not {buckets}"
        )));
    }
    let size = buckets as usize;
    let total = group.total;
    let mut entries = vec![EMPTY; size];
    let mut have = vec![0u64; count];
    if let Some(previous) = &previous {
        carry_over(&mut entries, &mut have, &group.names, previous)?;
    }
    // s_i * W, so that shares compare with bucket counts in exact integers.
    let scaled: Vec<u64> = group
        .weights
        .iter()
        .map(|&weight| u64::from(buckets) * u64::from(weight))
        .collect();

    for entry in entries.iter_mut().rev() {
        let owner = *entry;
        if owner != EMPTY && (have[owner as usize] - 1) * total >= scaled[owner as usize] {
            *entry = EMPTY;
            have[owner as usize] -= 1;
        }
    }

    let floors: Vec<u64> = scaled.iter().map(|share| share / total).collect();
    let remainder = |i: usize| scaled[i] - floors[i] * total;
    let mut by_remainder: Vec<usize> = (0..count).collect();
    by_remainder.sort_by(|&a, &b| remainder(b).cmp(&remainder(a)).then(a.cmp(&b)));
    let left = u64::from(buckets) - floors.iter().sum::<u64>();
    let mut quotas = floors.clone();
    for &i in by_remainder.iter().take(left as usize) {
        quotas[i] += 1;
    }

    let mut empty = 0;
    for target in [&floors, &quotas] {
        for i in 0..count {
            while have[i] < target[i] {
                while empty < size && entries[empty] != EMPTY {
                    empty += 1;
                }
                if empty == size {
                    break;
                }
                entries[empty] = i as u32;
                have[i] += 1;
            }
        }
    }

    // Every bucket is owned now, so a next hop below its floor means another is above its share.
    let surplus = |have: &[u64], j: usize| (have[j] * total) as i128 - scaled[j] as i128;
    let mut top = vec![size - 1; count];
    for i in 0..count {
        while have[i] < floors[i] {
            let mut donor = 0;
            for j in 1..count {
                if surplus(&have, j) > surplus(&have, donor) {
                    donor = j;
                }
            }
            let mut bucket = top[donor];
            while entries[bucket] != donor as u32 {
                bucket -= 1;
            }
            top[donor] = bucket.saturating_sub(1);
            entries[bucket] = i as u32;
            have[i] += 1;
            have[donor] -= 1;
        }
    }
    Ok(entries)
}
