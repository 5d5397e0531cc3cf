//! OPEN (RFC 4271 section 4.2), with capabilities in optional parameters (RFC 5492) and the
//! extended optional parameters length of RFC 9072.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+
//! |    Version    |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     My Autonomous System      |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |           Hold Time           |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                         BGP Identifier                        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! | Opt Parm Len  |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |             Optional Parameters (variable)                    |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//!
//! RFC 9072 extended form: Opt Parm Len non-zero (255 when written), then
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |Non-Ext OP Type|  Extended Opt. Parm. Length   |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! with Non-Ext OP Type 255 and each parameter's length on two octets.
//! ```

use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::capability::Capability;
use super::error::{EncodeError, Reason, WireError};
use super::reader::Reader;

/// Optional parameter type of capabilities (RFC 5492 section 4).
const CAPABILITIES: u8 = 2;
/// The Opt Parm Len and Non-Ext OP Type that announce the extended form (RFC 9072 section 2).
const EXTENDED_MARK: u8 = 255;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenMessage {
    pub version: u8,
    pub my_as: u16,
    pub hold_time: u16,
    pub bgp_id: Ipv4Addr,
    pub capabilities: Vec<Capability>,
    /// Each capability came in its own optional parameter.
    #[serde(default, skip_serializing_if = "is_false")]
    pub param_per_capability: bool,
    /// The optional parameters used the RFC 9072 extended length encoding.
    #[serde(default, skip_serializing_if = "is_false")]
    pub extended_parameters: bool,
}

fn is_false(flag: &bool) -> bool {
    !*flag
}

impl OpenMessage {
    /// Decodes the body (after the header), checking in the order of RFC 4271 section 6.2.
    pub fn decode(body: &[u8]) -> Result<OpenMessage, WireError> {
        let mut reader = Reader::new(body);
        let malformed = || WireError::reset(Reason::MalformedOpen, &[]);
        let (Some(version), Some(my_as), Some(hold_time), Some(bgp_id), Some(length)) = (
            reader.u8(),
            reader.u16(),
            reader.u16(),
            reader.array::<4>(),
            reader.u8(),
        ) else {
            return Err(malformed());
        };
        if version != 4 {
            return Err(WireError::reset(Reason::UnsupportedVersion, &[0, 4]));
        }
        if hold_time == 1 || hold_time == 2 {
            return Err(WireError::reset(Reason::UnacceptableHoldTime, &[]));
        }
        if bgp_id == [0; 4] {
            return Err(WireError::reset(Reason::BadBgpIdentifier, &[]));
        }
        // RFC 9072 section 2: a non-zero Opt Parm Len followed by a Non-Ext OP Type of 255 announces
        // the extended form, whatever the Opt Parm Len value.
        let extended = length != 0 && reader.rest().first() == Some(&EXTENDED_MARK);
        let length = if extended {
            reader.u8();
            reader.u16().ok_or_else(malformed)?
        } else {
            u16::from(length)
        };
        if usize::from(length) != reader.remaining() {
            return Err(malformed());
        }
        let mut capabilities = Vec::new();
        let mut parameters = 0;
        let mut one_each = true;
        while !reader.is_empty() {
            let kind = reader.u8().ok_or_else(malformed)?;
            let size = if extended {
                reader.u16()
            } else {
                reader.u8().map(u16::from)
            };
            let value = size
                .and_then(|size| reader.take(usize::from(size)))
                .ok_or_else(malformed)?;
            if kind != CAPABILITIES {
                return Err(WireError::reset(Reason::UnsupportedOptionalParameter, &[]));
            }
            let before = capabilities.len();
            read_capabilities(value, &mut capabilities)?;
            parameters += 1;
            one_each &= capabilities.len() - before == 1;
        }
        Ok(OpenMessage {
            version,
            my_as,
            hold_time,
            bgp_id: Ipv4Addr::from(bgp_id),
            capabilities,
            param_per_capability: parameters > 1 && one_each,
            extended_parameters: extended,
        })
    }

    /// Appends the body. Parameters take the RFC 9072 form when asked or when they exceed 255 octets.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.version);
        out.extend_from_slice(&self.my_as.to_be_bytes());
        out.extend_from_slice(&self.hold_time.to_be_bytes());
        out.extend_from_slice(&self.bgp_id.octets());
        let groups: Vec<&[Capability]> = if self.param_per_capability {
            self.capabilities.chunks(1).collect()
        } else if self.capabilities.is_empty() {
            Vec::new()
        } else {
            vec![&self.capabilities[..]]
        };
        let mut values = Vec::with_capacity(groups.len());
        for group in groups {
            let mut value = Vec::new();
            for capability in group {
                capability.encode(&mut value)?;
            }
            values.push(value);
        }
        let short_length: usize = values.iter().map(|value| 2 + value.len()).sum();
        let extended = self.extended_parameters
            || short_length > 255
            || values.iter().any(|value| value.len() > 255);
        if extended {
            let long_length = values.iter().map(|value| 3 + value.len()).sum::<usize>();
            let long_length = u16::try_from(long_length)
                .map_err(|_| EncodeError::new("OPEN optional parameters exceed 65,535 octets"))?;
            out.extend_from_slice(&[EXTENDED_MARK, EXTENDED_MARK]);
            out.extend_from_slice(&long_length.to_be_bytes());
        } else {
            out.push(short_length as u8);
        }
        for value in values {
            out.push(CAPABILITIES);
            if extended {
                out.extend_from_slice(&(value.len() as u16).to_be_bytes());
            } else {
                out.push(value.len() as u8);
            }
            out.extend_from_slice(&value);
        }
        Ok(())
    }
}

/// Reads the capabilities of one parameter (RFC 5492 section 4).
fn read_capabilities(value: &[u8], capabilities: &mut Vec<Capability>) -> Result<(), WireError> {
    let mut reader = Reader::new(value);
    while !reader.is_empty() {
        let (Some(code), Some(length)) = (reader.u8(), reader.u8()) else {
            return Err(WireError::reset(Reason::MalformedOpen, &[]));
        };
        let value = reader
            .take(usize::from(length))
            .ok_or_else(|| WireError::reset(Reason::MalformedOpen, &[]))?;
        let capability = Capability::decode(code, value)
            .ok_or_else(|| WireError::reset(Reason::MalformedCapability, &[]))?;
        capabilities.push(capability);
    }
    Ok(())
}
