//! NLRI prefixes: the (length, prefix) encoding of RFC 4271 section 4.3, with the ADD-PATH path
//! identifier of RFC 7911 section 3 in front when the family carries one.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::EncodeError;
use super::family::{Family, IPV4_UNICAST, IPV6_UNICAST};
use super::reader::Reader;

/// One NLRI: CIDR text, with the ADD-PATH identifier when the family carries one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Prefix {
    pub prefix: IpPrefix,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_id: Option<u32>,
}

/// An address and a length. The address holds the octets sent on the wire and zeros after; bits
/// past the length are kept so that bytes survive a round trip (docs/wire-model.md).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpPrefix {
    pub address: IpAddr,
    pub length: u8,
}

/// One prefix as it sits on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawPrefix<'a> {
    /// 0 when the family carries no path identifier.
    pub path_id: u32,
    pub length: u8,
    /// The `ceil(length / 8)` address octets.
    pub octets: &'a [u8],
    /// Where the address octets start in the field.
    pub offset: usize,
}

/// Longest prefix of a unicast family, in bits.
pub fn max_length(family: Family) -> u8 {
    if family == IPV6_UNICAST {
        128
    } else {
        32
    }
}

/// Octets a prefix of `length` bits occupies after its length octet.
pub fn octets_for(length: u8) -> usize {
    usize::from(length).div_ceil(8)
}

/// A prefix longer than its family allows or running past its field, or a truncated path identifier.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InvalidPrefix;

/// Walks the prefixes of an NLRI field. A prefix longer than the family allows, or running past the
/// field, or a truncated path identifier, yields one `InvalidPrefix` and ends the walk (RFC 7606 section 5.3).
pub struct PrefixReader<'a> {
    reader: Reader<'a>,
    max_length: u8,
    with_path_id: bool,
}

impl<'a> PrefixReader<'a> {
    pub fn new(field: &'a [u8], family: Family, with_path_id: bool) -> PrefixReader<'a> {
        PrefixReader {
            reader: Reader::new(field),
            max_length: max_length(family),
            with_path_id,
        }
    }

    fn read(&mut self) -> Option<RawPrefix<'a>> {
        let path_id = if self.with_path_id {
            self.reader.u32()?
        } else {
            0
        };
        let length = self.reader.u8()?;
        if length > self.max_length {
            return None;
        }
        let offset = self.reader.position();
        let octets = self.reader.take(octets_for(length))?;
        Some(RawPrefix {
            path_id,
            length,
            octets,
            offset,
        })
    }
}

impl<'a> Iterator for PrefixReader<'a> {
    type Item = Result<RawPrefix<'a>, InvalidPrefix>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.reader.is_empty() {
            return None;
        }
        match self.read() {
            Some(prefix) => Some(Ok(prefix)),
            None => {
                self.reader = Reader::new(&[]);
                Some(Err(InvalidPrefix))
            }
        }
    }
}

/// Reads a whole NLRI field of a unicast family into prefixes.
pub fn read_prefixes(
    field: &[u8],
    family: Family,
    with_path_id: bool,
) -> Result<Vec<Prefix>, InvalidPrefix> {
    PrefixReader::new(field, family, with_path_id)
        .map(|raw| raw.map(|raw| Prefix::from_raw(raw, family, with_path_id)))
        .collect()
}

/// Writes prefixes of a unicast family; the path identifier is written (0 when absent) exactly when
/// the family carries one, and refused when it does not.
pub fn write_prefixes(
    out: &mut Vec<u8>,
    prefixes: &[Prefix],
    family: Family,
    with_path_id: bool,
) -> Result<(), EncodeError> {
    for prefix in prefixes {
        prefix.write(out, family, with_path_id)?;
    }
    Ok(())
}

impl Prefix {
    pub fn from_raw(raw: RawPrefix<'_>, family: Family, with_path_id: bool) -> Prefix {
        let address = if family == IPV4_UNICAST {
            let mut octets = [0; 4];
            octets[..raw.octets.len()].copy_from_slice(raw.octets);
            IpAddr::V4(Ipv4Addr::from(octets))
        } else {
            let mut octets = [0; 16];
            octets[..raw.octets.len()].copy_from_slice(raw.octets);
            IpAddr::V6(Ipv6Addr::from(octets))
        };
        Prefix {
            prefix: IpPrefix {
                address,
                length: raw.length,
            },
            path_id: with_path_id.then_some(raw.path_id),
        }
    }

    pub fn write(
        &self,
        out: &mut Vec<u8>,
        family: Family,
        with_path_id: bool,
    ) -> Result<(), EncodeError> {
        let IpPrefix { address, length } = self.prefix;
        let octets = match (address, family) {
            (IpAddr::V4(address), IPV4_UNICAST) => address.octets().to_vec(),
            (IpAddr::V6(address), IPV6_UNICAST) => address.octets().to_vec(),
            _ => {
                return Err(EncodeError::new(format!(
                    "prefix {} is not of family {family}",
                    self.prefix
                )))
            }
        };
        if length > max_length(family) {
            return Err(EncodeError::new(format!(
                "prefix {} is longer than {family} allows",
                self.prefix
            )));
        }
        match (with_path_id, self.path_id) {
            (true, path_id) => out.extend_from_slice(&path_id.unwrap_or(0).to_be_bytes()),
            (false, Some(_)) => {
                return Err(EncodeError::new(format!(
                    "{}: a path identifier, but {family} is not in the ADD-PATH context",
                    self.prefix
                )))
            }
            (false, None) => {}
        }
        out.push(length);
        out.extend_from_slice(&octets[..octets_for(length)]);
        Ok(())
    }
}

impl fmt::Display for IpPrefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.address, self.length)
    }
}

impl FromStr for IpPrefix {
    type Err = String;

    fn from_str(text: &str) -> Result<IpPrefix, String> {
        let invalid = || format!("{text:?} is not a prefix");
        let (address, length) = text.split_once('/').ok_or_else(invalid)?;
        let address: IpAddr = address.parse().map_err(|_| invalid())?;
        let length: u8 = length.parse().map_err(|_| invalid())?;
        let max = if address.is_ipv4() { 32 } else { 128 };
        if length > max {
            return Err(invalid());
        }
        Ok(IpPrefix { address, length })
    }
}

impl Serialize for IpPrefix {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for IpPrefix {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<IpPrefix, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(
        field: &[u8],
        family: Family,
        with_path_id: bool,
    ) -> Result<Vec<String>, InvalidPrefix> {
        let prefixes = read_prefixes(field, family, with_path_id)?;
        Ok(prefixes
            .iter()
            .map(|p| serde_json::to_string(p).unwrap())
            .collect())
    }

    #[test]
    fn reads_and_writes_prefixes() {
        let table: &[(&[u8], Family, bool, &[&str])] = &[
            (&[], IPV4_UNICAST, false, &[]),
            (&[0], IPV4_UNICAST, false, &[r#"{"prefix":"0.0.0.0/0"}"#]),
            (
                &[24, 192, 0, 2, 32, 10, 0, 0, 1],
                IPV4_UNICAST,
                false,
                &[
                    r#"{"prefix":"192.0.2.0/24"}"#,
                    r#"{"prefix":"10.0.0.1/32"}"#,
                ],
            ),
            (
                &[7, 0xff],
                IPV4_UNICAST,
                false,
                &[r#"{"prefix":"255.0.0.0/7"}"#],
            ),
            (
                &[0, 0, 0, 0, 8, 10],
                IPV4_UNICAST,
                true,
                &[r#"{"prefix":"10.0.0.0/8","pathId":0}"#],
            ),
            (
                &[32, 0x20, 0x01, 0x0d, 0xb8],
                IPV6_UNICAST,
                false,
                &[r#"{"prefix":"2001:db8::/32"}"#],
            ),
            (
                &[
                    0, 0, 1, 0, 128, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 192, 0, 2, 1,
                ],
                IPV6_UNICAST,
                true,
                &[r#"{"prefix":"::ffff:192.0.2.1/128","pathId":256}"#],
            ),
        ];
        for &(field, family, with_path_id, expected) in table {
            assert_eq!(
                text(field, family, with_path_id),
                Ok(expected.iter().map(|s| s.to_string()).collect()),
                "{field:?}"
            );
            let prefixes = read_prefixes(field, family, with_path_id).unwrap();
            let mut out = Vec::new();
            write_prefixes(&mut out, &prefixes, family, with_path_id).unwrap();
            assert_eq!(out, field);
        }
    }

    #[test]
    fn rejects_bad_prefixes() {
        let table: &[(&[u8], Family, bool)] = &[
            (&[33, 1, 2, 3, 4, 5], IPV4_UNICAST, false),
            (&[24, 192, 0], IPV4_UNICAST, false),
            (&[0, 0, 0], IPV4_UNICAST, true),
            (&[129], IPV6_UNICAST, false),
            (&[8, 10, 8], IPV4_UNICAST, false),
        ];
        for &(field, family, with_path_id) in table {
            assert_eq!(
                read_prefixes(field, family, with_path_id),
                Err(InvalidPrefix),
                "{field:?}"
            );
        }
    }
}
