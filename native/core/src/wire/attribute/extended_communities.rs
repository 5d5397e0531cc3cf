//! EXTENDED_COMMUNITIES (RFC 4360): 8-octet values. Route targets and route origins (RFC 4360
//! sections 4-5, RFC 5668) and link bandwidth (draft-ietf-idr-link-bandwidth) are decoded; every
//! other value stays raw.
//!
//! ```text
//! +--------+---------+--------------------------------------+
//! | type   | subtype | value (6 octets)                     |
//! +--------+---------+--------------------------------------+
//! ```

use std::net::Ipv4Addr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{wrong_value, AttributeValue, Fault};
use crate::wire::context::SessionContext;
use crate::wire::error::{EncodeError, ErrorAction, Reason};
use crate::wire::hex::{to_hex, Hex};

const ROUTE_TARGET: u8 = 0x02;
const ROUTE_ORIGIN: u8 = 0x03;
const LINK_BANDWIDTH: u8 = 0x04;
/// Type octet of the non-transitive two-octet-AS form (RFC 4360 section 3.1).
const NON_TRANSITIVE_AS2: u8 = 0x40;

/// The global administrator's form: the type octet 0x00, 0x01 or 0x02.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EcForm {
    As2 = 0,
    Ipv4 = 1,
    As4 = 2,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum ExtendedCommunity {
    RouteTarget {
        form: EcForm,
        value: String,
    },
    RouteOrigin {
        form: EcForm,
        value: String,
    },
    LinkBandwidth {
        transitive: bool,
        asn: u32,
        #[serde(
            serialize_with = "serialize_bandwidth",
            deserialize_with = "deserialize_bandwidth"
        )]
        bandwidth: f32,
    },
    Raw {
        value: Hex,
    },
}

impl ExtendedCommunity {
    fn decode(octets: [u8; 8]) -> ExtendedCommunity {
        let [kind, subtype, a, b, c, d, e, f] = octets;
        let form = match kind {
            0x00 => Some(EcForm::As2),
            0x01 => Some(EcForm::Ipv4),
            0x02 => Some(EcForm::As4),
            _ => None,
        };
        match (form, subtype) {
            (Some(form), ROUTE_TARGET | ROUTE_ORIGIN) => {
                let value = match form {
                    EcForm::As2 => format!(
                        "{}:{}",
                        u16::from_be_bytes([a, b]),
                        u32::from_be_bytes([c, d, e, f])
                    ),
                    EcForm::Ipv4 => format!(
                        "{}:{}",
                        Ipv4Addr::new(a, b, c, d),
                        u16::from_be_bytes([e, f])
                    ),
                    EcForm::As4 => format!(
                        "{}:{}",
                        u32::from_be_bytes([a, b, c, d]),
                        u16::from_be_bytes([e, f])
                    ),
                };
                if subtype == ROUTE_TARGET {
                    ExtendedCommunity::RouteTarget { form, value }
                } else {
                    ExtendedCommunity::RouteOrigin { form, value }
                }
            }
            _ if subtype == LINK_BANDWIDTH
                && (kind == 0x00 || kind == NON_TRANSITIVE_AS2)
                && has_json_number([c, d, e, f]) =>
            {
                ExtendedCommunity::LinkBandwidth {
                    transitive: kind == 0x00,
                    asn: u32::from(u16::from_be_bytes([a, b])),
                    bandwidth: f32::from_be_bytes([c, d, e, f]),
                }
            }
            _ => ExtendedCommunity::Raw {
                value: Hex(octets.to_vec()),
            },
        }
    }

    fn encode(&self) -> Result<[u8; 8], EncodeError> {
        let mut octets = [0u8; 8];
        match self {
            ExtendedCommunity::RouteTarget { form, value }
            | ExtendedCommunity::RouteOrigin { form, value } => {
                let subtype = if matches!(self, ExtendedCommunity::RouteTarget { .. }) {
                    ROUTE_TARGET
                } else {
                    ROUTE_ORIGIN
                };
                let invalid = || {
                    EncodeError::new(format!(
                        "{value:?} is not a {form:?} route target or origin"
                    ))
                };
                let (global, local) = value.rsplit_once(':').ok_or_else(invalid)?;
                octets[0] = *form as u8;
                octets[1] = subtype;
                match form {
                    EcForm::As2 => {
                        octets[2..4].copy_from_slice(
                            &global.parse::<u16>().map_err(|_| invalid())?.to_be_bytes(),
                        );
                        octets[4..8].copy_from_slice(
                            &local.parse::<u32>().map_err(|_| invalid())?.to_be_bytes(),
                        );
                    }
                    EcForm::Ipv4 => {
                        octets[2..6].copy_from_slice(
                            &global.parse::<Ipv4Addr>().map_err(|_| invalid())?.octets(),
                        );
                        octets[6..8].copy_from_slice(
                            &local.parse::<u16>().map_err(|_| invalid())?.to_be_bytes(),
                        );
                    }
                    EcForm::As4 => {
                        octets[2..6].copy_from_slice(
                            &global.parse::<u32>().map_err(|_| invalid())?.to_be_bytes(),
                        );
                        octets[6..8].copy_from_slice(
                            &local.parse::<u16>().map_err(|_| invalid())?.to_be_bytes(),
                        );
                    }
                }
            }
            ExtendedCommunity::LinkBandwidth {
                transitive,
                asn,
                bandwidth,
            } => {
                let asn = u16::try_from(*asn).map_err(|_| {
                    EncodeError::new(format!("link bandwidth AS {asn} needs 2 octets"))
                })?;
                octets[0] = if *transitive {
                    0x00
                } else {
                    NON_TRANSITIVE_AS2
                };
                octets[1] = LINK_BANDWIDTH;
                octets[2..4].copy_from_slice(&asn.to_be_bytes());
                octets[4..8].copy_from_slice(&bandwidth.to_be_bytes());
            }
            ExtendedCommunity::Raw { value } => {
                octets = value.0.as_slice().try_into().map_err(|_| {
                    EncodeError::new(format!(
                        "raw extended community {} is not 8 octets",
                        to_hex(&value.0)
                    ))
                })?;
            }
        }
        Ok(octets)
    }
}

/// Whether a float32 survives the trip through a JSON number: NaN and the infinities have none, and
/// negative zero prints as 0. A link bandwidth with any other float stays `raw`.
fn has_json_number(octets: [u8; 4]) -> bool {
    f32::from_be_bytes(octets).is_finite() && octets != (-0.0f32).to_be_bytes()
}

/// RFC 7606 section 7.14: a non-zero multiple of eight octets.
pub fn decode_extended_communities(
    data: &[u8],
    _: &SessionContext,
) -> Result<AttributeValue, Fault> {
    if data.is_empty() || !data.len().is_multiple_of(8) {
        return Err(Fault::attr(
            ErrorAction::TreatAsWithdraw,
            Reason::AttributeLength,
        ));
    }
    let values = data
        .chunks_exact(8)
        .map(|octets| {
            ExtendedCommunity::decode([
                octets[0], octets[1], octets[2], octets[3], octets[4], octets[5], octets[6],
                octets[7],
            ])
        })
        .collect();
    Ok(AttributeValue::ExtendedCommunities { values })
}

pub fn encode_extended_communities(
    value: &AttributeValue,
    _: &SessionContext,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let AttributeValue::ExtendedCommunities { values } = value else {
        return Err(wrong_value("extended communities"));
    };
    for community in values {
        out.extend_from_slice(&community.encode()?);
    }
    Ok(())
}

/// The float32 widened to float64 (exact). A whole number prints without a fraction, as JavaScript
/// prints it, so both codecs give the same JSON.
fn serialize_bandwidth<S: Serializer>(bandwidth: &f32, serializer: S) -> Result<S::Ok, S::Error> {
    let wide = f64::from(*bandwidth);
    if wide.fract() == 0.0 && (0.0..18446744073709551616.0).contains(&wide) {
        return serializer.serialize_u64(wide as u64);
    }
    if wide.fract() == 0.0 && (-9223372036854775808.0..0.0).contains(&wide) {
        return serializer.serialize_i64(wide as i64);
    }
    serializer.serialize_f64(wide)
}

/// Rounds to the nearest float32, as JavaScript's `Math.fround` does.
fn deserialize_bandwidth<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f32, D::Error> {
    Ok(f64::deserialize(deserializer)? as f32)
}
