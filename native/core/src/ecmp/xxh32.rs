//! XXH32 (github.com/Cyan4973/xxHash, doc/xxhash_spec.md), identical to engine/ecmp/xxh32.ts:
//! input read as little-endian 32-bit lanes, so a key given as words hashes like the bytes of those
//! words written little-endian.

const PRIME1: u32 = 0x9e37_79b1;
const PRIME2: u32 = 0x85eb_ca77;
const PRIME3: u32 = 0xc2b2_ae3d;
const PRIME4: u32 = 0x27d4_eb2f;
const PRIME5: u32 = 0x1656_67b1;

#[inline(always)]
fn round(accumulator: u32, lane: u32) -> u32 {
    accumulator
        .wrapping_add(lane.wrapping_mul(PRIME2))
        .rotate_left(13)
        .wrapping_mul(PRIME1)
}

#[inline(always)]
fn avalanche(mut hash: u32) -> u32 {
    hash = (hash ^ (hash >> 15)).wrapping_mul(PRIME2);
    hash = (hash ^ (hash >> 13)).wrapping_mul(PRIME3);
    hash ^ (hash >> 16)
}

#[inline(always)]
fn tail_word(hash: u32, word: u32) -> u32 {
    hash.wrapping_add(word.wrapping_mul(PRIME3))
        .rotate_left(17)
        .wrapping_mul(PRIME4)
}

#[inline(always)]
fn stripes(words: &[u32], seed: u32) -> (u32, usize) {
    let mut v1 = seed.wrapping_add(PRIME1).wrapping_add(PRIME2);
    let mut v2 = seed.wrapping_add(PRIME2);
    let mut v3 = seed;
    let mut v4 = seed.wrapping_sub(PRIME1);
    let mut chunks = words.chunks_exact(4);
    for lanes in &mut chunks {
        v1 = round(v1, lanes[0]);
        v2 = round(v2, lanes[1]);
        v3 = round(v3, lanes[2]);
        v4 = round(v4, lanes[3]);
    }
    let hash = v1
        .rotate_left(1)
        .wrapping_add(v2.rotate_left(7))
        .wrapping_add(v3.rotate_left(12))
        .wrapping_add(v4.rotate_left(18));
    (hash, words.len() - chunks.remainder().len())
}

/// XXH32 of `words`, that is of their `4 * words.len()` little-endian bytes.
#[inline(always)]
pub fn xxh32_words(words: &[u32], seed: u32) -> u32 {
    let (mut hash, done) = if words.len() >= 4 {
        stripes(words, seed)
    } else {
        (seed.wrapping_add(PRIME5), 0)
    };
    hash = hash.wrapping_add((words.len() as u32) * 4);
    for &word in &words[done..] {
        hash = tail_word(hash, word);
    }
    avalanche(hash)
}

/// XXH32 of a byte string (next-hop names, test vectors).
pub fn xxh32_bytes(bytes: &[u8], seed: u32) -> u32 {
    let lane =
        |at: usize| u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]);
    let whole: Vec<u32> = (0..bytes.len() / 16 * 4).map(|i| lane(i * 4)).collect();
    let (mut hash, mut at) = if bytes.len() >= 16 {
        let (hash, words) = stripes(&whole, seed);
        (hash, words * 4)
    } else {
        (seed.wrapping_add(PRIME5), 0)
    };
    hash = hash.wrapping_add(bytes.len() as u32);
    while at + 4 <= bytes.len() {
        hash = tail_word(hash, lane(at));
        at += 4;
    }
    for &byte in &bytes[at..] {
        hash = hash
            .wrapping_add(u32::from(byte).wrapping_mul(PRIME5))
            .rotate_left(11)
            .wrapping_mul(PRIME1);
    }
    avalanche(hash)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values_of_the_reference_implementation() {
        assert_eq!(xxh32_bytes(b"", 0), 0x02cc_5d05);
        assert_eq!(xxh32_bytes(b"abc", 0), 0x32d1_53ff);
        assert_eq!(
            xxh32_bytes(b"Nobody inspects the spammish repetition", 0),
            0xe229_3b2f
        );
    }

    #[test]
    fn words_hash_like_their_little_endian_bytes() {
        let words = [
            0xc000_0201,
            0xc633_6401,
            6,
            (1234 << 16) | 443,
            5,
            6,
            7,
            8,
            9,
            10,
        ];
        let bytes: Vec<u8> = words.iter().flat_map(|w: &u32| w.to_le_bytes()).collect();
        for count in 0..=words.len() {
            assert_eq!(
                xxh32_words(&words[..count], 7),
                xxh32_bytes(&bytes[..count * 4], 7)
            );
        }
    }
}
