//! ECMP next-hop selection, the Rust twin of engine/ecmp (docs/ecmp.md): next-hop groups compiled
//! by a policy into a table of next-hop indices, and flows hashed with XXH32 in batches. Shared
//! vectors (testdata/ecmp) keep both implementations identical.

pub mod flow;
pub mod group;
pub mod policies;
pub mod select;
pub mod xxh32;

use std::fmt;

/// An expected failure: a group, size or batch that cannot be used, with the same words as the
/// TypeScript reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EcmpError(pub String);

impl fmt::Display for EcmpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EcmpError {}

/// Largest table of any policy; with 32-bit total weights, bucket arithmetic stays exact.
pub const MAX_TABLE_SIZE: u32 = 1 << 20;

pub use group::{check_group, check_weights, CheckedGroup};
pub use policies::{build_table, PolicyName};
pub use select::{hash_batch, select_batch};
