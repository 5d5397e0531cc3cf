//! napi-rs binding of porter_core::ecmp: next-hop tables and batch selection. Names travel as a
//! string array, weights, tables and flow records as Uint32Array; the batch writes into the
//! caller's output array, so the hot path allocates nothing.

use napi::bindgen_prelude::Uint32Array;
use napi::{Error, Result, Status};
use napi_derive::napi;
use porter_core::ecmp::policies::Previous;
use porter_core::ecmp::policies::maglev;
use porter_core::ecmp::{self, EcmpError, PolicyName};

fn invalid(error: EcmpError) -> Error {
    Error::new(Status::InvalidArg, error.0)
}

/// Compiles a next-hop group (names and integer weights, in order) under `policy` ("modulo",
/// "resilient" or "maglev") into a table of next-hop indices. `size` is the bucket count or
/// Maglev's M; a resilient table is rebalanced from `previousTable`, whose entries index
/// `previousNames`. Throws an Error saying why when the group or size cannot be used.
#[napi]
pub fn ecmp_build_table(
    policy: String,
    names: Vec<String>,
    weights: &[u32],
    size: Option<u32>,
    previous_names: Option<Vec<String>>,
    previous_table: Option<Uint32Array>,
) -> Result<Uint32Array> {
    let policy = PolicyName::parse(&policy).map_err(invalid)?;
    let group = ecmp::check_group(&names, weights).map_err(invalid)?;
    let previous = match (&previous_names, &previous_table) {
        (Some(names), Some(table)) => Some(Previous {
            names,
            table: table.as_ref(),
        }),
        (None, None) => None,
        _ => {
            return Err(Error::new(
                Status::InvalidArg,
                "previousNames and previousTable go together",
            ))
        }
    };
    let table = ecmp::build_table(policy, &group, size, previous).map_err(invalid)?;
    Ok(Uint32Array::new(table))
}

/// Splits `joined` into names of `lengths[i]` UTF-16 code units each, JavaScript's `name.length`;
/// `None` when the lengths do not add up to the string.
fn split_names<'a>(joined: &'a str, lengths: &[u32]) -> Option<Vec<&'a str>> {
    let mut names = Vec::with_capacity(lengths.len());
    let mut rest = joined;
    for &length in lengths {
        let mut units = 0;
        let end = rest
            .char_indices()
            .find_map(|(at, c)| {
                let reached = (units == length as usize).then_some(at);
                units += c.len_utf16();
                reached
            })
            .or((units == length as usize).then_some(rest.len()))?;
        names.push(&rest[..end]);
        rest = &rest[end..];
    }
    rest.is_empty().then_some(names)
}

/// Writes the Maglev table of a next-hop group into `out`, whose length is M (a prime). The names
/// come concatenated in `joinedNames`, name i being `nameLengths[i]` UTF-16 code units long, so
/// that one string crosses the boundary instead of one per next hop. Throws an Error saying why
/// when the group or size cannot be used.
#[napi]
pub fn ecmp_build_maglev_into(
    joined_names: String,
    name_lengths: &[u32],
    weights: &[u32],
    mut out: Uint32Array,
) -> Result<()> {
    let names = split_names(&joined_names, name_lengths).ok_or_else(|| {
        Error::new(
            Status::InvalidArg,
            "nameLengths do not add up to joinedNames",
        )
    })?;
    let (weights, _) = ecmp::check_weights(&names, weights).map_err(invalid)?;
    // SAFETY: the call is synchronous and JavaScript cannot touch `out` until it returns; no other
    // Rust reference to its memory exists.
    let out = unsafe { out.as_mut() };
    maglev::build_into(&names, &weights, out).map_err(invalid)
}

/// Writes the next-hop index of each of `count` flows into `out`: flow i is the `stride`-word
/// record at `words[i * stride]`, its first `keyWords` words are hashed with XXH32 and `seed`,
/// and the hash modulo the table's length picks the entry of `entries`. Throws when the arrays
/// are too short for `count`.
#[napi]
pub fn ecmp_select_batch(
    words: &[u32],
    stride: u32,
    key_words: u32,
    count: u32,
    seed: u32,
    entries: &[u32],
    mut out: Uint32Array,
) -> Result<()> {
    // SAFETY: the call is synchronous and JavaScript cannot touch `out` until it returns; no other
    // Rust reference to its memory exists.
    let out = unsafe { out.as_mut() };
    ecmp::select_batch(
        words,
        stride as usize,
        key_words as usize,
        count as usize,
        seed,
        entries,
        out,
    )
    .map_err(invalid)
}
