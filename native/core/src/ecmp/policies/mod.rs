//! The selection policies, one file each, registered here by name (as
//! engine/ecmp/policies/registry.ts). Every policy compiles a group into a table of next-hop
//! indices; a flow with hash `h` goes to `table[h % table.len()]`.

pub mod maglev;
pub mod modulo;
pub mod resilient;

use super::group::CheckedGroup;
use super::EcmpError;

/// The registered policies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicyName {
    Modulo,
    Resilient,
    Maglev,
}

impl PolicyName {
    /// The policy of that name, as the configuration spells it.
    pub fn parse(name: &str) -> Result<Self, EcmpError> {
        match name {
            "modulo" => Ok(Self::Modulo),
            "resilient" => Ok(Self::Resilient),
            "maglev" => Ok(Self::Maglev),
            _ => Err(EcmpError(format!("no ECMP policy named {name}"))),
        }
    }
}

/// A previous table with its group's next-hop names, which resilient rebalancing starts from.
pub struct Previous<'a> {
    pub names: &'a [String],
    pub table: &'a [u32],
}

/// Compiles `group` under `policy`; `size` is the bucket count or Maglev's M (each has a default).
pub fn build_table(
    policy: PolicyName,
    group: &CheckedGroup,
    size: Option<u32>,
    previous: Option<Previous<'_>>,
) -> Result<Vec<u32>, EcmpError> {
    match policy {
        PolicyName::Modulo => modulo::build(group),
        PolicyName::Resilient => {
            resilient::build(group, size.unwrap_or(resilient::DEFAULT_BUCKETS), previous)
        }
        PolicyName::Maglev => maglev::build(group, size.unwrap_or(maglev::DEFAULT_SIZE)),
    }
}
