//! The batch hot path, as engine/ecmp/select.ts: hash each flow's key in place with XXH32 and look
//! the hash up in the policy's table. The common record and key widths get their own monomorphic
//! loop, so the hash unrolls over a fixed number of words.

use super::xxh32::xxh32_words;
use super::EcmpError;

fn check(
    words: &[u32],
    stride: usize,
    key_words: usize,
    count: usize,
    out: &[u32],
) -> Result<(), EcmpError> {
    if key_words == 0 || key_words > stride {
        return Err(EcmpError(format!(
            "key of {key_words} words does not fit a record of {stride}"
        )));
    }
    if count
        .checked_mul(stride)
        .is_none_or(|needed| words.len() < needed)
    {
        return Err(EcmpError(format!(
            "{count} flows of {stride} words need more than the {} words given",
            words.len()
        )));
    }
    if out.len() < count {
        return Err(EcmpError(format!(
            "output holds {} indices, not {count}",
            out.len()
        )));
    }
    Ok(())
}

#[inline(always)]
fn each_hash<const STRIDE: usize, const KEY: usize>(
    words: &[u32],
    count: usize,
    seed: u32,
    out: &mut [u32],
    mut map: impl FnMut(u32) -> u32,
) {
    for (record, slot) in words.chunks_exact(STRIDE).take(count).zip(out.iter_mut()) {
        *slot = map(xxh32_words(&record[..KEY], seed));
    }
}

fn dispatch(
    words: &[u32],
    stride: usize,
    key_words: usize,
    count: usize,
    seed: u32,
    out: &mut [u32],
    map: impl FnMut(u32) -> u32,
) {
    match (stride, key_words) {
        (4, 4) => each_hash::<4, 4>(words, count, seed, out, map),
        (4, 2) => each_hash::<4, 2>(words, count, seed, out, map),
        (10, 10) => each_hash::<10, 10>(words, count, seed, out, map),
        (10, 8) => each_hash::<10, 8>(words, count, seed, out, map),
        _ => {
            let mut map = map;
            for (record, slot) in words.chunks_exact(stride).take(count).zip(out.iter_mut()) {
                *slot = map(xxh32_words(&record[..key_words], seed));
            }
        }
    }
}

/// The XXH32 of every flow's key (the first `key_words` of each `stride`-word record) into `out`.
pub fn hash_batch(
    words: &[u32],
    stride: usize,
    key_words: usize,
    count: usize,
    seed: u32,
    out: &mut [u32],
) -> Result<(), EcmpError> {
    check(words, stride, key_words, count, out)?;
    dispatch(words, stride, key_words, count, seed, out, |hash| hash);
    Ok(())
}

/// The next-hop index of every flow into `out`: `entries[xxh32(key) % entries.len()]`.
pub fn select_batch(
    words: &[u32],
    stride: usize,
    key_words: usize,
    count: usize,
    seed: u32,
    entries: &[u32],
    out: &mut [u32],
) -> Result<(), EcmpError> {
    check(words, stride, key_words, count, out)?;
    if entries.is_empty() || entries.len() > u32::MAX as usize {
        return Err(EcmpError(
            "a selection table needs 1 to 2^32 - 1 entries".into(),
        ));
    }
    let size = entries.len() as u32;
    dispatch(words, stride, key_words, count, seed, out, |hash| {
        entries[(hash % size) as usize]
    });
    Ok(())
}
