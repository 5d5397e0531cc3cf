//! The fixed-form attributes: ORIGIN, NEXT_HOP, MULTI_EXIT_DISC, LOCAL_PREF, ATOMIC_AGGREGATE
//! (RFC 4271 section 5.1), ORIGINATOR_ID and CLUSTER_LIST (RFC 4456 section 8).

use super::{ipv4, wrong_value, AttributeValue, Fault, Origin};
use crate::wire::context::SessionContext;
use crate::wire::error::{EncodeError, ErrorAction, Reason};

/// A length RFC 7606 sections 7.1-7.5 and 7.9-7.10 answer with treat-as-withdraw.
fn withdraw_length() -> Fault {
    Fault::attr(ErrorAction::TreatAsWithdraw, Reason::AttributeLength)
}

fn four_octets(data: &[u8]) -> Result<u32, Fault> {
    let octets: [u8; 4] = data.try_into().map_err(|_| withdraw_length())?;
    Ok(u32::from_be_bytes(octets))
}

pub fn decode_origin(data: &[u8], _: &SessionContext) -> Result<AttributeValue, Fault> {
    let value = match data {
        [0] => Origin::Igp,
        [1] => Origin::Egp,
        [2] => Origin::Incomplete,
        [_] => {
            return Err(Fault::attr(
                ErrorAction::TreatAsWithdraw,
                Reason::InvalidOrigin,
            ))
        }
        _ => return Err(withdraw_length()),
    };
    Ok(AttributeValue::Origin { value })
}

pub fn decode_next_hop(data: &[u8], _: &SessionContext) -> Result<AttributeValue, Fault> {
    four_octets(data)?;
    Ok(AttributeValue::NextHop { value: ipv4(data) })
}

pub fn decode_med(data: &[u8], _: &SessionContext) -> Result<AttributeValue, Fault> {
    Ok(AttributeValue::Med {
        value: four_octets(data)?,
    })
}

pub fn decode_local_pref(data: &[u8], _: &SessionContext) -> Result<AttributeValue, Fault> {
    Ok(AttributeValue::LocalPref {
        value: four_octets(data)?,
    })
}

/// RFC 7606 section 7.6: a wrong length discards the attribute.
pub fn decode_atomic_aggregate(data: &[u8], _: &SessionContext) -> Result<AttributeValue, Fault> {
    if !data.is_empty() {
        return Err(Fault::attr(
            ErrorAction::AttributeDiscard,
            Reason::AttributeLength,
        ));
    }
    Ok(AttributeValue::AtomicAggregate {})
}

pub fn decode_originator_id(data: &[u8], _: &SessionContext) -> Result<AttributeValue, Fault> {
    four_octets(data)?;
    Ok(AttributeValue::OriginatorId { value: ipv4(data) })
}

/// RFC 7606 section 7.10: a non-zero multiple of four octets.
pub fn decode_cluster_list(data: &[u8], _: &SessionContext) -> Result<AttributeValue, Fault> {
    if data.is_empty() || !data.len().is_multiple_of(4) {
        return Err(withdraw_length());
    }
    Ok(AttributeValue::ClusterList {
        values: data.chunks_exact(4).map(ipv4).collect(),
    })
}

pub fn encode_scalar(
    value: &AttributeValue,
    _: &SessionContext,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    match value {
        AttributeValue::Origin { value } => out.push(*value as u8),
        AttributeValue::NextHop { value } | AttributeValue::OriginatorId { value } => {
            out.extend_from_slice(&value.octets())
        }
        AttributeValue::Med { value } | AttributeValue::LocalPref { value } => {
            out.extend_from_slice(&value.to_be_bytes())
        }
        AttributeValue::AtomicAggregate {} => {}
        AttributeValue::ClusterList { values } => values
            .iter()
            .for_each(|id| out.extend_from_slice(&id.octets())),
        _ => return Err(wrong_value("fixed-form")),
    }
    Ok(())
}
