//! AS_PATH (RFC 4271 section 4.3, RFC 5065 for the confederation segments) and AS4_PATH
//! (RFC 6793 section 3): a sequence of segments.
//!
//! ```text
//! +-----------------+-----------------+--------------------------------+
//! | segment type    | segment length  | segment value: length AS       |
//! | (1 octet)       | (1 octet, ASNs) | numbers of 2 or 4 octets each  |
//! +-----------------+-----------------+--------------------------------+
//! ```

use serde::{Deserialize, Serialize};

use super::{wrong_value, AttributeValue, Fault};
use crate::wire::context::SessionContext;
use crate::wire::error::{EncodeError, ErrorAction, Reason};
use crate::wire::reader::Reader;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SegmentType {
    Set = 1,
    Sequence = 2,
    ConfedSequence = 3,
    ConfedSet = 4,
}

impl SegmentType {
    fn from_octet(octet: u8) -> Option<SegmentType> {
        Some(match octet {
            1 => SegmentType::Set,
            2 => SegmentType::Sequence,
            3 => SegmentType::ConfedSequence,
            4 => SegmentType::ConfedSet,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AsPathSegment {
    #[serde(rename = "type")]
    pub kind: SegmentType,
    pub asns: Vec<u32>,
}

/// Reads the segments; `None` for the malformations of RFC 7606 section 7.2: an unknown segment
/// type, a zero-length segment, a segment overrunning, or a single octet left over.
fn read_segments(data: &[u8], as_size: usize) -> Option<Vec<AsPathSegment>> {
    let mut reader = Reader::new(data);
    let mut segments = Vec::new();
    while !reader.is_empty() {
        let kind = SegmentType::from_octet(reader.u8()?)?;
        let count = usize::from(reader.u8()?);
        if count == 0 {
            return None;
        }
        let asns = reader.take(count * as_size)?;
        let asns = asns
            .chunks_exact(as_size)
            .map(|asn| {
                asn.iter()
                    .fold(0u32, |value, &octet| value << 8 | u32::from(octet))
            })
            .collect();
        segments.push(AsPathSegment { kind, asns });
    }
    Some(segments)
}

pub fn decode_as_path(data: &[u8], context: &SessionContext) -> Result<AttributeValue, Fault> {
    let segments = read_segments(data, context.as_size())
        .ok_or_else(|| Fault::empty(ErrorAction::TreatAsWithdraw, Reason::MalformedAsPath))?;
    Ok(AttributeValue::AsPath { segments })
}

/// RFC 6793 section 6: a malformed AS4_PATH is discarded; so is an empty one, which carries no AS
/// number (RFC 7606 section 4 lets only AS_PATH and ATOMIC_AGGREGATE be empty).
pub fn decode_as4_path(data: &[u8], _: &SessionContext) -> Result<AttributeValue, Fault> {
    let segments = read_segments(data, 4)
        .filter(|segments| !segments.is_empty())
        .ok_or_else(|| Fault::attr(ErrorAction::AttributeDiscard, Reason::MalformedAs4Path))?;
    Ok(AttributeValue::As4Path { segments })
}

/// Writes the segments, splitting one of more than 255 ASNs into several of the same type.
pub fn encode_as_path(
    value: &AttributeValue,
    context: &SessionContext,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let (segments, as_size) = match value {
        AttributeValue::AsPath { segments } => (segments, context.as_size()),
        AttributeValue::As4Path { segments } => (segments, 4),
        _ => return Err(wrong_value("AS path")),
    };
    for segment in segments {
        if segment.asns.is_empty() {
            out.extend_from_slice(&[segment.kind as u8, 0]);
        }
        for chunk in segment.asns.chunks(255) {
            out.extend_from_slice(&[segment.kind as u8, chunk.len() as u8]);
            for &asn in chunk {
                if as_size == 2 {
                    let asn = u16::try_from(asn)
                        .map_err(|_| EncodeError::new(format!("AS {asn} needs 4 octets")))?;
                    out.extend_from_slice(&asn.to_be_bytes());
                } else {
                    out.extend_from_slice(&asn.to_be_bytes());
                }
            }
        }
    }
    Ok(())
}
