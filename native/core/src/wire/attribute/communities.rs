//! COMMUNITIES (RFC 1997) and LARGE_COMMUNITY (RFC 8092): lists of fixed-size values.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{wrong_value, AttributeValue, Fault};
use crate::wire::context::SessionContext;
use crate::wire::error::{EncodeError, ErrorAction, Reason};

/// A community, printed "high:low" as two decimal 16-bit halves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Community(pub u32);

/// A large community, printed "global:local1:local2".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LargeCommunity(pub [u32; 3]);

/// The octets split into 32-bit words, once RFC 7606 section 7.8 (communities) or RFC 8092
/// section 6 (large communities) accept the length: a non-zero multiple of `size`.
fn words(data: &[u8], size: usize) -> Result<impl Iterator<Item = u32> + '_, Fault> {
    if data.is_empty() || !data.len().is_multiple_of(size) {
        return Err(Fault::attr(
            ErrorAction::TreatAsWithdraw,
            Reason::AttributeLength,
        ));
    }
    Ok(data
        .chunks_exact(4)
        .map(|word| u32::from_be_bytes([word[0], word[1], word[2], word[3]])))
}

pub fn decode_communities(data: &[u8], _: &SessionContext) -> Result<AttributeValue, Fault> {
    Ok(AttributeValue::Communities {
        values: words(data, 4)?.map(Community).collect(),
    })
}

pub fn decode_large_communities(data: &[u8], _: &SessionContext) -> Result<AttributeValue, Fault> {
    let words: Vec<u32> = words(data, 12)?.collect();
    let values = words
        .chunks_exact(3)
        .map(|w| LargeCommunity([w[0], w[1], w[2]]))
        .collect();
    Ok(AttributeValue::LargeCommunities { values })
}

pub fn encode_communities(
    value: &AttributeValue,
    _: &SessionContext,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    match value {
        AttributeValue::Communities { values } => values
            .iter()
            .for_each(|c| out.extend_from_slice(&c.0.to_be_bytes())),
        AttributeValue::LargeCommunities { values } => values
            .iter()
            .flat_map(|c| c.0)
            .for_each(|word| out.extend_from_slice(&word.to_be_bytes())),
        _ => return Err(wrong_value("communities")),
    }
    Ok(())
}

impl fmt::Display for Community {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.0 >> 16, self.0 & 0xffff)
    }
}

impl FromStr for Community {
    type Err = String;

    fn from_str(text: &str) -> Result<Community, String> {
        let parsed = text
            .split_once(':')
            .and_then(|(high, low)| Some((high.parse::<u16>().ok()?, low.parse::<u16>().ok()?)));
        let (high, low) = parsed.ok_or_else(|| format!("{text:?} is not a community"))?;
        Ok(Community(u32::from(high) << 16 | u32::from(low)))
    }
}

impl fmt::Display for LargeCommunity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [global, local1, local2] = self.0;
        write!(f, "{global}:{local1}:{local2}")
    }
}

impl FromStr for LargeCommunity {
    type Err = String;

    fn from_str(text: &str) -> Result<LargeCommunity, String> {
        let parts: Vec<Option<u32>> = text.split(':').map(|part| part.parse().ok()).collect();
        match parts[..] {
            [Some(global), Some(local1), Some(local2)] => {
                Ok(LargeCommunity([global, local1, local2]))
            }
            _ => Err(format!("{text:?} is not a large community")),
        }
    }
}

macro_rules! text_serde {
    ($type:ty) => {
        impl Serialize for $type {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.collect_str(self)
            }
        }

        impl<'de> Deserialize<'de> for $type {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<$type, D::Error> {
                String::deserialize(deserializer)?
                    .parse()
                    .map_err(serde::de::Error::custom)
            }
        }
    };
}

text_serde!(Community);
text_serde!(LargeCommunity);
