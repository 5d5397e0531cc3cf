//! Modulo-N (RFC 2992 section 4), as engine/ecmp/policies/modulo.ts: next hop i fills weight_i
//! consecutive slots of the table, weights reduced by their gcd.

use super::super::group::CheckedGroup;
use super::super::{EcmpError, MAX_TABLE_SIZE};

/// The modulo table: index i repeated weight_i times, in group order.
pub fn build(group: &CheckedGroup) -> Result<Vec<u32>, EcmpError> {
    if group.total > u64::from(MAX_TABLE_SIZE) {
        return Err(EcmpError(format!(
            "modulo: weights sum to {} slots after gcd reduction, above {MAX_TABLE_SIZE}",
            group.total
        )));
    }
    let mut entries = Vec::with_capacity(group.total as usize);
    for (index, &weight) in group.weights.iter().enumerate() {
        entries.extend(std::iter::repeat_n(index as u32, weight as usize));
    }
    Ok(entries)
}
