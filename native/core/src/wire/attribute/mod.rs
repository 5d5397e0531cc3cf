//! Path attributes (RFC 4271 section 4.3 and extensions): the decoded values, the descriptor table
//! that knows each type code, and the walker shared by the message and bulk decoders.

mod aggregator;
mod as_path;
mod communities;
mod descriptor;
mod extended_communities;
mod multiprotocol;
mod scalar;
mod walk;

use std::net::{IpAddr, Ipv4Addr};

use serde::{Deserialize, Serialize};

use super::context::SessionContext;
use super::error::{EncodeError, ErrorAction, Reason, WireError};
use super::family::Family;
use super::hex::Hex;

pub use as_path::{AsPathSegment, SegmentType};
pub use communities::{Community, LargeCommunity};
pub use descriptor::{descriptor, Descriptor};
pub use extended_communities::{EcForm, ExtendedCommunity};
pub use multiprotocol::{
    next_hop_addresses, next_hop_octets, parse_mp_reach, parse_mp_unreach, MpReachBody,
    MpUnreachBody, RawMpReach,
};
pub use walk::{reach_and_other, walk_attributes, write_attribute, RawAttribute};

/// Flag bits of RFC 4271 section 4.3.
pub const OPTIONAL: u8 = 0x80;
pub const TRANSITIVE: u8 = 0x40;
pub const PARTIAL: u8 = 0x20;
pub const EXTENDED_LENGTH: u8 = 0x10;

/// Type codes the codecs treat specially.
pub const ORIGIN: u8 = 1;
pub const AS_PATH: u8 = 2;
pub const NEXT_HOP: u8 = 3;
pub const MP_REACH_NLRI: u8 = 14;
pub const MP_UNREACH_NLRI: u8 = 15;

/// One path attribute with the flag deviations a decoder saw (docs/wire-model.md, "Path attributes").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PathAttribute {
    #[serde(flatten)]
    pub value: AttributeValue,
    /// The Partial bit was set.
    #[serde(default, skip_serializing_if = "is_false")]
    pub partial: bool,
    /// The Extended Length bit was set on a value that fits in 255 octets.
    #[serde(default, skip_serializing_if = "is_false")]
    pub extended_length: bool,
}

fn is_false(flag: &bool) -> bool {
    !*flag
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Origin {
    Igp,
    Egp,
    Incomplete,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum AttributeValue {
    Origin {
        value: Origin,
    },
    AsPath {
        segments: Vec<AsPathSegment>,
    },
    NextHop {
        value: Ipv4Addr,
    },
    Med {
        value: u32,
    },
    LocalPref {
        value: u32,
    },
    AtomicAggregate {},
    Aggregator {
        asn: u32,
        address: Ipv4Addr,
    },
    Communities {
        values: Vec<Community>,
    },
    OriginatorId {
        value: Ipv4Addr,
    },
    ClusterList {
        values: Vec<Ipv4Addr>,
    },
    MpReach {
        family: Family,
        #[serde(flatten)]
        body: MpReachBody,
    },
    MpUnreach {
        family: Family,
        #[serde(flatten)]
        body: MpUnreachBody,
    },
    ExtendedCommunities {
        values: Vec<ExtendedCommunity>,
    },
    As4Path {
        segments: Vec<AsPathSegment>,
    },
    As4Aggregator {
        asn: u32,
        address: Ipv4Addr,
    },
    LargeCommunities {
        values: Vec<LargeCommunity>,
    },
    /// An attribute this codec does not know: flags and value octets kept verbatim.
    Unknown {
        code: u8,
        flags: u8,
        data: Hex,
    },
}

impl AttributeValue {
    /// The attribute type code.
    pub fn code(&self) -> u8 {
        match self {
            AttributeValue::Origin { .. } => ORIGIN,
            AttributeValue::AsPath { .. } => AS_PATH,
            AttributeValue::NextHop { .. } => NEXT_HOP,
            AttributeValue::Med { .. } => 4,
            AttributeValue::LocalPref { .. } => 5,
            AttributeValue::AtomicAggregate {} => 6,
            AttributeValue::Aggregator { .. } => 7,
            AttributeValue::Communities { .. } => 8,
            AttributeValue::OriginatorId { .. } => 9,
            AttributeValue::ClusterList { .. } => 10,
            AttributeValue::MpReach { .. } => MP_REACH_NLRI,
            AttributeValue::MpUnreach { .. } => MP_UNREACH_NLRI,
            AttributeValue::ExtendedCommunities { .. } => 16,
            AttributeValue::As4Path { .. } => 17,
            AttributeValue::As4Aggregator { .. } => 18,
            AttributeValue::LargeCommunities { .. } => 32,
            AttributeValue::Unknown { code, .. } => *code,
        }
    }
}

impl PathAttribute {
    pub fn new(value: AttributeValue) -> PathAttribute {
        PathAttribute {
            value,
            partial: false,
            extended_length: false,
        }
    }

    /// Decodes a raw attribute whose flags the walker has checked.
    pub fn decode(
        descriptor: Option<&Descriptor>,
        raw: RawAttribute<'_>,
        context: &SessionContext,
    ) -> Result<PathAttribute, Fault> {
        let Some(descriptor) = descriptor else {
            let value = AttributeValue::Unknown {
                code: raw.code,
                flags: raw.flags,
                data: Hex(raw.value.to_vec()),
            };
            return Ok(PathAttribute::new(value));
        };
        Ok(PathAttribute {
            value: (descriptor.decode)(raw.value, context)?,
            partial: raw.flags & PARTIAL != 0,
            extended_length: raw.flags & EXTENDED_LENGTH != 0 && raw.value.len() <= 255,
        })
    }

    /// Writes the attribute: the descriptor's flags plus the deviations, or an unknown one's own flags.
    pub fn encode(&self, out: &mut Vec<u8>, context: &SessionContext) -> Result<(), EncodeError> {
        if let AttributeValue::Unknown { code, flags, data } = &self.value {
            return write_attribute(out, *flags, *code, |out| {
                out.extend_from_slice(&data.0);
                Ok(())
            });
        }
        let code = self.value.code();
        let descriptor = descriptor(code)
            .ok_or_else(|| EncodeError::new(format!("no descriptor for attribute {code}")))?;
        let mut flags = descriptor.flags;
        if self.partial {
            flags |= PARTIAL;
        }
        if self.extended_length {
            flags |= EXTENDED_LENGTH;
        }
        write_attribute(out, flags, code, |out| {
            (descriptor.encode)(&self.value, context, out)
                .map_err(|error| EncodeError::new(format!("{}: {error}", descriptor.name)))
        })
    }
}

/// What a descriptor found wrong with a value; the walker turns it into a `WireError`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fault {
    pub action: ErrorAction,
    pub reason: Reason,
    /// Whether the NOTIFICATION data is the whole attribute (else empty).
    pub with_attribute_data: bool,
    /// The family to disable, for `afi-safi-disable`.
    pub family: Option<Family>,
}

impl Fault {
    /// A fault whose data is the whole attribute as received.
    pub fn attr(action: ErrorAction, reason: Reason) -> Fault {
        Fault {
            action,
            reason,
            with_attribute_data: true,
            family: None,
        }
    }

    /// A fault with empty data.
    pub fn empty(action: ErrorAction, reason: Reason) -> Fault {
        Fault {
            action,
            reason,
            with_attribute_data: false,
            family: None,
        }
    }

    pub fn in_family(mut self, family: Family) -> Fault {
        self.family = Some(family);
        self
    }

    pub fn into_error(self, raw: &RawAttribute<'_>) -> WireError {
        let data = if self.with_attribute_data {
            raw.whole
        } else {
            &[]
        };
        let mut error = WireError::new(self.action, self.reason, data).with_attribute(raw.code);
        error.family = self.family;
        error
    }
}

/// The mismatch of a value handed to the wrong descriptor's encoder.
fn wrong_value(name: &str) -> EncodeError {
    EncodeError::new(format!("value is not a {name} attribute"))
}

/// The IPv4 address in the first four octets of a value whose length was checked.
fn ipv4(octets: &[u8]) -> Ipv4Addr {
    let mut address = [0; 4];
    let count = octets.len().min(4);
    address[..count].copy_from_slice(&octets[..count]);
    Ipv4Addr::from(address)
}

/// The wire octets of an address: 4 for IPv4, 16 for IPv6.
pub fn address_octets(address: &IpAddr) -> Vec<u8> {
    match address {
        IpAddr::V4(v4) => v4.octets().to_vec(),
        IpAddr::V6(v6) => v6.octets().to_vec(),
    }
}
