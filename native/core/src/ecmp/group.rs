//! Checks a next-hop group and reduces its weights by their gcd, as engine/ecmp/next-hop-group.ts.

use std::collections::HashSet;

use super::EcmpError;

/// A checked group: unique names, weights divided by their gcd, summing to `total` < 2^32.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedGroup {
    pub names: Vec<String>,
    pub weights: Vec<u32>,
    pub total: u64,
}

fn gcd(mut a: u32, mut b: u32) -> u32 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn error<T>(message: String) -> Result<T, EcmpError> {
    Err(EcmpError(message))
}

/// Checks a group given as names and weights; names must be unique and non-empty, weights from 1.
pub fn check_group(names: &[String], weights: &[u32]) -> Result<CheckedGroup, EcmpError> {
    let borrowed: Vec<&str> = names.iter().map(String::as_str).collect();
    let (weights, total) = check_weights(&borrowed, weights)?;
    Ok(CheckedGroup {
        names: names.to_vec(),
        weights,
        total,
    })
}

/// The checks of `check_group` on borrowed names, for callers that need no owned copy: the
/// weights divided by their gcd, and their sum.
pub fn check_weights(names: &[&str], weights: &[u32]) -> Result<(Vec<u32>, u64), EcmpError> {
    if names.len() != weights.len() {
        return error(format!(
            "{} next-hop names but {} weights",
            names.len(),
            weights.len()
        ));
    }
    if names.is_empty() {
        return error("a next-hop group needs at least one next hop".into());
    }
    let mut seen = HashSet::with_capacity(names.len());
    let mut divisor = 0;
    for (&name, &weight) in names.iter().zip(weights) {
        if name.is_empty() {
            return error("a next hop needs a name".into());
        }
        if !seen.insert(name) {
            return error(format!("next hop {name} appears twice"));
        }
        if weight == 0 {
            return error(format!(
                "next hop {name}: weight must be an integer from 1 to {}, not 0",
                u32::MAX
            ));
        }
        divisor = gcd(weight, divisor);
    }
    let weights: Vec<u32> = weights.iter().map(|weight| weight / divisor).collect();
    let total: u64 = weights.iter().map(|&weight| u64::from(weight)).sum();
    if total > u64::from(u32::MAX) {
        return error(format!(
            "weights divided by their gcd ({divisor}) still sum to {total}, above {}",
            u32::MAX
        ));
    }
    Ok((weights, total))
}
