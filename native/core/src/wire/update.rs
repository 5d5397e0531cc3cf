//! UPDATE (RFC 4271 section 4.3) with the error handling of RFC 7606.
//!
//! ```text
//! +-----------------------------------------------------+
//! |   Withdrawn Routes Length (2 octets)                |
//! +-----------------------------------------------------+
//! |   Withdrawn Routes (variable)                       |
//! +-----------------------------------------------------+
//! |   Total Path Attribute Length (2 octets)            |
//! +-----------------------------------------------------+
//! |   Path Attributes (variable)                        |
//! +-----------------------------------------------------+
//! |   Network Layer Reachability Information (variable) |
//! +-----------------------------------------------------+
//! ```

use serde::{Deserialize, Serialize};

use super::attribute::{
    reach_and_other, walk_attributes, PathAttribute, AS_PATH, MP_REACH_NLRI, NEXT_HOP, ORIGIN,
};
use super::context::SessionContext;
use super::error::{EncodeError, ErrorAction, Reason, Strongest, WireError};
use super::family::IPV4_UNICAST;
use super::prefix::{read_prefixes, write_prefixes, Prefix};
use super::reader::Reader;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UpdateMessage {
    pub withdrawn: Vec<Prefix>,
    pub attributes: Vec<PathAttribute>,
    pub nlri: Vec<Prefix>,
}

/// The three fields of an UPDATE body.
#[derive(Clone, Copy, Debug)]
pub struct UpdateFields<'a> {
    pub withdrawn: &'a [u8],
    pub attributes: &'a [u8],
    pub nlri: &'a [u8],
}

/// Splits the body into its fields; lengths that overrun the message leave the NLRI impossible to
/// locate, which resets the session (RFC 7606 section 4).
pub fn split_update(body: &[u8]) -> Result<UpdateFields<'_>, WireError> {
    let mut reader = Reader::new(body);
    let malformed = || WireError::reset(Reason::MalformedAttributeList, &[]);
    let withdrawn_length = reader.u16().ok_or_else(malformed)?;
    let withdrawn = reader
        .take(usize::from(withdrawn_length))
        .ok_or_else(malformed)?;
    let attributes_length = reader.u16().ok_or_else(malformed)?;
    let attributes = reader
        .take(usize::from(attributes_length))
        .ok_or_else(malformed)?;
    Ok(UpdateFields {
        withdrawn,
        attributes,
        nlri: reader.rest(),
    })
}

/// Which well-known attributes an UPDATE holds, for RFC 7606 section 3d.
#[derive(Clone, Copy, Debug, Default)]
pub struct Presence {
    pub origin: bool,
    pub as_path: bool,
    pub next_hop: bool,
    pub mp_reach: bool,
}

impl Presence {
    pub fn note(&mut self, code: u8) {
        match code {
            ORIGIN => self.origin = true,
            AS_PATH => self.as_path = true,
            NEXT_HOP => self.next_hop = true,
            MP_REACH_NLRI => self.mp_reach = true,
            _ => {}
        }
    }

    /// The first missing of ORIGIN, AS_PATH, NEXT_HOP in an UPDATE that carries NLRI.
    pub fn missing_error(&self, has_nlri_field: bool) -> Option<WireError> {
        if !has_nlri_field && !self.mp_reach {
            return None;
        }
        let missing = [
            (ORIGIN, self.origin),
            (AS_PATH, self.as_path),
            (NEXT_HOP, self.next_hop || !has_nlri_field),
        ]
        .into_iter()
        .find(|(_, present)| !present)?
        .0;
        Some(
            WireError::new(
                ErrorAction::TreatAsWithdraw,
                Reason::MissingWellKnownAttribute,
                &[missing],
            )
            .with_attribute(missing),
        )
    }
}

/// RFC 7606 section 5.2: an UPDATE that reaches nothing (empty NLRI field, no MP_REACH_NLRI) but
/// holds attributes other than MP_UNREACH_NLRI cannot be treated as a withdrawal of what it carries,
/// so a treat-as-withdraw or afi-safi-disable error resets the session instead. Only the action changes.
pub fn escalate(error: &mut WireError, fields: &UpdateFields<'_>) {
    if !matches!(
        error.action,
        ErrorAction::TreatAsWithdraw | ErrorAction::AfiSafiDisable
    ) || !fields.nlri.is_empty()
    {
        return;
    }
    let (reach, other) = reach_and_other(fields.attributes);
    if !reach && other {
        error.action = ErrorAction::SessionReset;
    }
}

fn invalid_network_field() -> WireError {
    WireError::reset(Reason::InvalidNetworkField, &[])
}

impl UpdateMessage {
    /// Decodes the body: the message as it is to be used, and the strongest error found.
    pub fn decode(
        body: &[u8],
        context: &SessionContext,
    ) -> (Option<UpdateMessage>, Option<WireError>) {
        let fields = match split_update(body) {
            Ok(fields) => fields,
            Err(error) => return (None, Some(error)),
        };
        let with_path_id = context.has_path_id(IPV4_UNICAST);
        let Ok(withdrawn) = read_prefixes(fields.withdrawn, IPV4_UNICAST, with_path_id) else {
            return (None, Some(invalid_network_field()));
        };
        let mut errors = Strongest::default();
        let mut attributes = Vec::new();
        let mut presence = Presence::default();
        walk_attributes(fields.attributes, &mut errors, |descriptor, raw| {
            let attribute = PathAttribute::decode(descriptor, raw, context)?;
            presence.note(raw.code);
            attributes.push(attribute);
            Ok(())
        });
        if errors.is_reset() {
            return (None, errors.error);
        }
        let Ok(nlri) = read_prefixes(fields.nlri, IPV4_UNICAST, with_path_id) else {
            return (None, Some(invalid_network_field()));
        };
        if let Some(missing) = presence.missing_error(!fields.nlri.is_empty()) {
            errors.add(missing);
        }
        if let Some(error) = &mut errors.error {
            escalate(error, &fields);
        }
        if errors.is_reset() {
            return (None, errors.error);
        }
        (
            Some(UpdateMessage {
                withdrawn,
                attributes,
                nlri,
            }),
            errors.error,
        )
    }

    pub fn encode(&self, out: &mut Vec<u8>, context: &SessionContext) -> Result<(), EncodeError> {
        let with_path_id = context.has_path_id(IPV4_UNICAST);
        let withdrawn_start = out.len();
        out.extend_from_slice(&[0, 0]);
        write_prefixes(out, &self.withdrawn, IPV4_UNICAST, with_path_id)?;
        write_length(out, withdrawn_start)?;
        let attributes_start = out.len();
        out.extend_from_slice(&[0, 0]);
        for attribute in &self.attributes {
            attribute.encode(out, context)?;
        }
        write_length(out, attributes_start)?;
        write_prefixes(out, &self.nlri, IPV4_UNICAST, with_path_id)
    }
}

/// Fills the 2-octet length at `start` with the length of what follows it.
fn write_length(out: &mut [u8], start: usize) -> Result<(), EncodeError> {
    let length = u16::try_from(out.len() - start - 2)
        .map_err(|_| EncodeError::new("UPDATE field longer than 65,535 octets"))?;
    out[start..start + 2].copy_from_slice(&length.to_be_bytes());
    Ok(())
}
