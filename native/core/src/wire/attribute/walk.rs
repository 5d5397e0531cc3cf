//! The generic walk over an UPDATE's path attributes and the generic attribute writer.
//!
//! ```text
//! +---------------------------+-----------------+-------------------------------+
//! | flags (1) | type code (1) | length (1 or 2) | value (length octets)         |
//! +---------------------------+-----------------+-------------------------------+
//! ```

use super::{
    descriptor, Descriptor, Fault, EXTENDED_LENGTH, MP_REACH_NLRI, MP_UNREACH_NLRI, OPTIONAL,
    TRANSITIVE,
};
use crate::wire::error::{EncodeError, ErrorAction, Reason, Strongest, WireError};
use crate::wire::reader::Reader;

/// One attribute as received.
#[derive(Clone, Copy, Debug)]
pub struct RawAttribute<'a> {
    pub flags: u8,
    pub code: u8,
    pub value: &'a [u8],
    /// Flags, type, length and value: the NOTIFICATION data of most attribute errors.
    pub whole: &'a [u8],
}

/// Walks the path attributes in wire order, applying the checks every attribute shares: overrun
/// (RFC 7606 section 4), repetition (section 3g), unrecognized well-known codes (RFC 4271 section
/// 6.3) and the Optional/Transitive flags (RFC 7606 section 3c). `visit` gets each attribute that
/// passes, with its descriptor (`None` for an unknown optional one), and answers a fault for a
/// malformed value. Errors go to `errors`; the walk stops at an overrun or a session reset.
pub fn walk_attributes<'a>(
    field: &'a [u8],
    errors: &mut Strongest,
    mut visit: impl FnMut(Option<&'static Descriptor>, RawAttribute<'a>) -> Result<(), Fault>,
) {
    let mut reader = Reader::new(field);
    let mut seen = [false; 256];
    while !reader.is_empty() {
        let start = reader.position();
        let Some(raw) = read_attribute(&mut reader, field, start) else {
            let mut overrun =
                WireError::new(ErrorAction::TreatAsWithdraw, Reason::AttributeOverrun, &[]);
            overrun.attribute = field.get(start + 1).copied();
            errors.add(overrun);
            return;
        };
        let repeated = std::mem::replace(&mut seen[usize::from(raw.code)], true);
        if repeated {
            if raw.code == MP_REACH_NLRI || raw.code == MP_UNREACH_NLRI {
                errors.add(
                    WireError::reset(Reason::DuplicateMpAttribute, &[]).with_attribute(raw.code),
                );
                return;
            }
            errors.add(
                WireError::new(
                    ErrorAction::AttributeDiscard,
                    Reason::DuplicateAttribute,
                    &[],
                )
                .with_attribute(raw.code),
            );
            continue;
        }
        let known = descriptor(raw.code);
        match known {
            None if raw.flags & OPTIONAL == 0 => {
                errors.add(
                    WireError::reset(Reason::UnrecognizedWellKnownAttribute, raw.whole)
                        .with_attribute(raw.code),
                );
                return;
            }
            Some(descriptor) if (raw.flags ^ descriptor.flags) & (OPTIONAL | TRANSITIVE) != 0 => {
                let action = if raw.code == MP_REACH_NLRI || raw.code == MP_UNREACH_NLRI {
                    ErrorAction::SessionReset
                } else {
                    ErrorAction::TreatAsWithdraw
                };
                errors.add(
                    WireError::new(action, Reason::AttributeFlags, raw.whole)
                        .with_attribute(raw.code),
                );
            }
            _ => {
                if let Err(fault) = visit(known, raw) {
                    errors.add(fault.into_error(&raw));
                }
            }
        }
        if errors.is_reset() {
            return;
        }
    }
}

/// What RFC 7606 section 5.2 asks of an attributes field: whether it holds an MP_REACH_NLRI, and
/// whether it holds anything besides MP_UNREACH_NLRI (a truncated header counts as something).
pub fn reach_and_other(field: &[u8]) -> (bool, bool) {
    let mut reader = Reader::new(field);
    let (mut reach, mut other) = (false, false);
    while !reader.is_empty() {
        let start = reader.position();
        match read_attribute(&mut reader, field, start) {
            Some(raw) => {
                reach |= raw.code == MP_REACH_NLRI;
                other |= raw.code != MP_UNREACH_NLRI;
            }
            None => {
                let code = field.get(start + 1).copied();
                reach |= code == Some(MP_REACH_NLRI);
                other |= code != Some(MP_UNREACH_NLRI);
                break;
            }
        }
    }
    (reach, other)
}

fn read_attribute<'a>(
    reader: &mut Reader<'a>,
    field: &'a [u8],
    start: usize,
) -> Option<RawAttribute<'a>> {
    let flags = reader.u8()?;
    let code = reader.u8()?;
    let length = if flags & EXTENDED_LENGTH != 0 {
        reader.u16()?
    } else {
        u16::from(reader.u8()?)
    };
    let value = reader.take(usize::from(length))?;
    Some(RawAttribute {
        flags,
        code,
        value,
        whole: &field[start..reader.position()],
    })
}

/// Writes one attribute: `flags` as given, plus Extended Length when the value needs it.
pub fn write_attribute(
    out: &mut Vec<u8>,
    flags: u8,
    code: u8,
    write_value: impl FnOnce(&mut Vec<u8>) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    let start = out.len();
    out.extend_from_slice(&[flags, code, 0, 0]);
    write_value(out)?;
    let length = out.len() - start - 4;
    let length = u16::try_from(length)
        .map_err(|_| EncodeError::new(format!("attribute {code} longer than 65,535 octets")))?;
    if length > 255 || flags & EXTENDED_LENGTH != 0 {
        out[start] = flags | EXTENDED_LENGTH;
        out[start + 2..start + 4].copy_from_slice(&length.to_be_bytes());
    } else {
        out[start + 2] = length as u8;
        out.remove(start + 3);
    }
    Ok(())
}
