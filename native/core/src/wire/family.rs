//! Address families (AFI/SAFI) and their text names (docs/wire-model.md, "Text forms").

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An AFI/SAFI pair. The SAFI is 16 bits wide because the extended next hop capability carries it
/// in two octets (RFC 8950 section 3); everywhere else it is one octet.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Family {
    pub afi: u16,
    pub safi: u16,
}

pub const IPV4_UNICAST: Family = Family { afi: 1, safi: 1 };
pub const IPV6_UNICAST: Family = Family { afi: 2, safi: 1 };

/// The families with a name; any other prints as "afi/safi".
const NAMES: &[(Family, &str)] = &[
    (IPV4_UNICAST, "ipv4-unicast"),
    (IPV6_UNICAST, "ipv6-unicast"),
    (Family { afi: 1, safi: 2 }, "ipv4-multicast"),
    (Family { afi: 2, safi: 2 }, "ipv6-multicast"),
    (Family { afi: 1, safi: 4 }, "ipv4-labeled-unicast"),
    (Family { afi: 2, safi: 4 }, "ipv6-labeled-unicast"),
    (Family { afi: 1, safi: 128 }, "ipv4-vpn"),
    (Family { afi: 2, safi: 128 }, "ipv6-vpn"),
    (Family { afi: 25, safi: 70 }, "l2vpn-evpn"),
    (Family { afi: 1, safi: 133 }, "ipv4-flowspec"),
    (Family { afi: 2, safi: 133 }, "ipv6-flowspec"),
    (
        Family {
            afi: 16388,
            safi: 71,
        },
        "bgp-ls",
    ),
];

impl Family {
    pub fn new(afi: u16, safi: u16) -> Family {
        Family { afi, safi }
    }

    /// The family's SAFI as the single octet most encodings use.
    pub fn safi_octet(self) -> Option<u8> {
        u8::try_from(self.safi).ok()
    }

    /// Whether this is one of the two families whose NLRI the codec decodes.
    pub fn is_unicast(self) -> bool {
        self == IPV4_UNICAST || self == IPV6_UNICAST
    }
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match NAMES.iter().find(|(family, _)| family == self) {
            Some((_, name)) => f.write_str(name),
            None => write!(f, "{}/{}", self.afi, self.safi),
        }
    }
}

impl FromStr for Family {
    type Err = String;

    fn from_str(text: &str) -> Result<Family, String> {
        if let Some((family, _)) = NAMES.iter().find(|(_, name)| *name == text) {
            return Ok(*family);
        }
        let (afi, safi) = text
            .split_once('/')
            .ok_or_else(|| format!("unknown family {text:?}"))?;
        match (afi.parse(), safi.parse()) {
            (Ok(afi), Ok(safi)) => Ok(Family { afi, safi }),
            _ => Err(format!("unknown family {text:?}")),
        }
    }
}

impl Serialize for Family {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Family {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Family, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_pairs() {
        let table = [
            (Family::new(1, 1), "ipv4-unicast"),
            (Family::new(2, 1), "ipv6-unicast"),
            (Family::new(16388, 71), "bgp-ls"),
            (Family::new(1, 5), "1/5"),
            (Family::new(2, 300), "2/300"),
        ];
        for (family, name) in table {
            assert_eq!(family.to_string(), name);
            assert_eq!(name.parse::<Family>(), Ok(family));
        }
        assert!("ipv5-unicast".parse::<Family>().is_err());
        assert!("1/x".parse::<Family>().is_err());
    }
}
