//! MP_REACH_NLRI and MP_UNREACH_NLRI (RFC 4760 sections 3-4), with IPv4 NLRI over an IPv6 next hop
//! (RFC 8950). Only the unicast families have their NLRI decoded; others keep their octets as hex.
//!
//! ```text
//! MP_REACH_NLRI                                MP_UNREACH_NLRI
//! +---------------------------------------------------------+  +-----------------------------------------------+
//! | Address Family Identifier (2 octets)                    |  | Address Family Identifier (2 octets)          |
//! +---------------------------------------------------------+  +-----------------------------------------------+
//! | Subsequent Address Family Identifier (1 octet)          |  | Subsequent Address Family Identifier (1 octet)|
//! +---------------------------------------------------------+  +-----------------------------------------------+
//! | Length of Next Hop Network Address (1 octet)            |  | Withdrawn Routes (variable)                   |
//! +---------------------------------------------------------+  +-----------------------------------------------+
//! | Network Address of Next Hop (variable)                  |
//! +---------------------------------------------------------+
//! | Reserved (1 octet)                                      |
//! +---------------------------------------------------------+
//! | Network Layer Reachability Information (variable)       |
//! +---------------------------------------------------------+
//! ```

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::{Deserialize, Serialize};

use super::{address_octets, wrong_value, AttributeValue, Fault};
use crate::wire::context::SessionContext;
use crate::wire::error::{EncodeError, ErrorAction, Reason};
use crate::wire::family::{Family, IPV4_UNICAST};
use crate::wire::hex::Hex;
use crate::wire::prefix::{read_prefixes, write_prefixes, Prefix};
use crate::wire::reader::Reader;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MpReachBody {
    /// A unicast family: next hops and prefixes.
    Decoded {
        #[serde(rename = "nextHops")]
        next_hops: Vec<IpAddr>,
        nlri: Vec<Prefix>,
    },
    /// Any other family: the octets as received.
    Raw {
        #[serde(rename = "nextHopData")]
        next_hop_data: Hex,
        #[serde(rename = "nlriData")]
        nlri_data: Hex,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum MpUnreachBody {
    Decoded {
        withdrawn: Vec<Prefix>,
    },
    Raw {
        #[serde(rename = "nlriData")]
        nlri_data: Hex,
    },
}

/// An MP_REACH_NLRI split into its fields, the next hop length checked for unicast families.
#[derive(Clone, Copy, Debug)]
pub struct RawMpReach<'a> {
    pub family: Family,
    pub next_hop: &'a [u8],
    pub nlri: &'a [u8],
}

/// Splits an MP_REACH_NLRI. Too short for AFI, SAFI and next hop length resets the session; a next
/// hop overrunning the attribute (reserved octet included), or of a length a unicast family does not
/// allow, disables the family (RFC 7606 section 7.11).
pub fn parse_mp_reach(data: &[u8]) -> Result<RawMpReach<'_>, Fault> {
    let mut reader = Reader::new(data);
    let (Some(afi), Some(safi), Some(next_hop_length)) = (reader.u16(), reader.u8(), reader.u8())
    else {
        return Err(Fault::attr(
            ErrorAction::SessionReset,
            Reason::MalformedMpReach,
        ));
    };
    let family = Family::new(afi, u16::from(safi));
    let disable =
        Fault::attr(ErrorAction::AfiSafiDisable, Reason::MalformedMpReach).in_family(family);
    let next_hop = reader.take(usize::from(next_hop_length)).ok_or(disable)?;
    reader.u8().ok_or(disable)?;
    let allowed: &[usize] = match family {
        IPV4_UNICAST => &[4, 16, 32],
        family if family.is_unicast() => &[16, 32],
        _ => &[next_hop.len()],
    };
    if !allowed.contains(&next_hop.len()) {
        return Err(disable);
    }
    Ok(RawMpReach {
        family,
        next_hop,
        nlri: reader.rest(),
    })
}

/// Splits an MP_UNREACH_NLRI into family and withdrawn routes; shorter than 3 octets resets the
/// session (RFC 7606 section 7.12).
pub fn parse_mp_unreach(data: &[u8]) -> Result<(Family, &[u8]), Fault> {
    let mut reader = Reader::new(data);
    let (Some(afi), Some(safi)) = (reader.u16(), reader.u8()) else {
        return Err(Fault::attr(
            ErrorAction::SessionReset,
            Reason::MalformedMpUnreach,
        ));
    };
    Ok((Family::new(afi, u16::from(safi)), reader.rest()))
}

/// The addresses of a checked unicast next hop: one IPv4, one IPv6, or IPv6 global and link-local.
pub fn next_hop_addresses(next_hop: &[u8]) -> Vec<IpAddr> {
    if let Ok(octets) = <[u8; 4]>::try_from(next_hop) {
        return vec![IpAddr::V4(Ipv4Addr::from(octets))];
    }
    next_hop
        .chunks_exact(16)
        .filter_map(|octets| <[u8; 16]>::try_from(octets).ok())
        .map(|octets| IpAddr::V6(Ipv6Addr::from(octets)))
        .collect()
}

/// The next hop field of a list of addresses.
pub fn next_hop_octets(next_hops: &[IpAddr]) -> Vec<u8> {
    next_hops.iter().flat_map(address_octets).collect()
}

pub fn decode_mp_reach(data: &[u8], context: &SessionContext) -> Result<AttributeValue, Fault> {
    let RawMpReach {
        family,
        next_hop,
        nlri,
    } = parse_mp_reach(data)?;
    if !family.is_unicast() {
        let body = MpReachBody::Raw {
            next_hop_data: Hex(next_hop.to_vec()),
            nlri_data: Hex(nlri.to_vec()),
        };
        return Ok(AttributeValue::MpReach { family, body });
    }
    let nlri = read_prefixes(nlri, family, context.has_path_id(family)).map_err(|_| {
        Fault::attr(ErrorAction::AfiSafiDisable, Reason::MalformedMpReach).in_family(family)
    })?;
    Ok(AttributeValue::MpReach {
        family,
        body: MpReachBody::Decoded {
            next_hops: next_hop_addresses(next_hop),
            nlri,
        },
    })
}

pub fn decode_mp_unreach(data: &[u8], context: &SessionContext) -> Result<AttributeValue, Fault> {
    let (family, withdrawn) = parse_mp_unreach(data)?;
    if !family.is_unicast() {
        return Ok(AttributeValue::MpUnreach {
            family,
            body: MpUnreachBody::Raw {
                nlri_data: Hex(withdrawn.to_vec()),
            },
        });
    }
    let withdrawn =
        read_prefixes(withdrawn, family, context.has_path_id(family)).map_err(|_| {
            Fault::attr(ErrorAction::AfiSafiDisable, Reason::MalformedMpUnreach).in_family(family)
        })?;
    Ok(AttributeValue::MpUnreach {
        family,
        body: MpUnreachBody::Decoded { withdrawn },
    })
}

/// AFI and the one-octet SAFI of a family.
fn write_family(out: &mut Vec<u8>, family: Family) -> Result<(), EncodeError> {
    let safi = family
        .safi_octet()
        .ok_or_else(|| EncodeError::new(format!("family {family} has a SAFI above 255")))?;
    out.extend_from_slice(&family.afi.to_be_bytes());
    out.push(safi);
    Ok(())
}

fn decoded_family(family: Family) -> Result<(), EncodeError> {
    if family.is_unicast() {
        return Ok(());
    }
    Err(EncodeError::new(format!(
        "family {family} has no decoded form: give nextHopData and nlriData"
    )))
}

pub fn encode_mp_reach(
    value: &AttributeValue,
    context: &SessionContext,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let AttributeValue::MpReach { family, body } = value else {
        return Err(wrong_value("MP_REACH_NLRI"));
    };
    write_family(out, *family)?;
    let next_hop = match body {
        MpReachBody::Decoded { next_hops, .. } => next_hop_octets(next_hops),
        MpReachBody::Raw { next_hop_data, .. } => next_hop_data.0.clone(),
    };
    let length = u8::try_from(next_hop.len())
        .map_err(|_| EncodeError::new("MP_REACH_NLRI next hop longer than 255 octets"))?;
    out.push(length);
    out.extend_from_slice(&next_hop);
    out.push(0);
    match body {
        MpReachBody::Decoded { nlri, .. } => {
            decoded_family(*family)?;
            write_prefixes(out, nlri, *family, context.has_path_id(*family))
        }
        MpReachBody::Raw { nlri_data, .. } => {
            out.extend_from_slice(&nlri_data.0);
            Ok(())
        }
    }
}

pub fn encode_mp_unreach(
    value: &AttributeValue,
    context: &SessionContext,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let AttributeValue::MpUnreach { family, body } = value else {
        return Err(wrong_value("MP_UNREACH_NLRI"));
    };
    write_family(out, *family)?;
    match body {
        MpUnreachBody::Decoded { withdrawn } => {
            decoded_family(*family)?;
            write_prefixes(out, withdrawn, *family, context.has_path_id(*family))
        }
        MpUnreachBody::Raw { nlri_data } => {
            out.extend_from_slice(&nlri_data.0);
            Ok(())
        }
    }
}
