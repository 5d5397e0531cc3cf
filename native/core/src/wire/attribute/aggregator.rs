//! AGGREGATOR (RFC 4271 section 5.1.7) and AS4_AGGREGATOR (RFC 6793 section 3).
//!
//! ```text
//! +---------------------------------+
//! | AS number (2 or 4 octets)       |
//! +---------------------------------+
//! | IPv4 address of the aggregator  |
//! +---------------------------------+
//! ```

use super::{ipv4, wrong_value, AttributeValue, Fault};
use crate::wire::context::SessionContext;
use crate::wire::error::{EncodeError, ErrorAction, Reason};
use crate::wire::reader::Reader;

/// Reads "AS, address" with an AS of `as_size` octets; a wrong length discards the attribute
/// (RFC 7606 section 7.7, RFC 6793 section 6).
fn read(data: &[u8], as_size: usize) -> Result<(u32, std::net::Ipv4Addr), Fault> {
    if data.len() != as_size + 4 {
        return Err(Fault::attr(
            ErrorAction::AttributeDiscard,
            Reason::AttributeLength,
        ));
    }
    let mut reader = Reader::new(data);
    let asn = if as_size == 4 {
        reader.u32()
    } else {
        reader.u16().map(u32::from)
    };
    Ok((asn.unwrap_or_default(), ipv4(reader.rest())))
}

pub fn decode_aggregator(data: &[u8], context: &SessionContext) -> Result<AttributeValue, Fault> {
    let (asn, address) = read(data, context.as_size())?;
    Ok(AttributeValue::Aggregator { asn, address })
}

pub fn decode_as4_aggregator(data: &[u8], _: &SessionContext) -> Result<AttributeValue, Fault> {
    let (asn, address) = read(data, 4)?;
    Ok(AttributeValue::As4Aggregator { asn, address })
}

pub fn encode_aggregator(
    value: &AttributeValue,
    context: &SessionContext,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let (asn, address, as_size) = match value {
        AttributeValue::Aggregator { asn, address } => (*asn, address, context.as_size()),
        AttributeValue::As4Aggregator { asn, address } => (*asn, address, 4),
        _ => return Err(wrong_value("aggregator")),
    };
    if as_size == 2 {
        let asn = u16::try_from(asn)
            .map_err(|_| EncodeError::new(format!("AGGREGATOR AS {asn} needs 4 octets")))?;
        out.extend_from_slice(&asn.to_be_bytes());
    } else {
        out.extend_from_slice(&asn.to_be_bytes());
    }
    out.extend_from_slice(&address.octets());
    Ok(())
}
