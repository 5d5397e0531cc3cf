//! Bulk decoding: a burst of UPDATE messages into route columns and interned attribute sets
//! (docs/wire-model.md, "Bulk decoding"), with the checks and errors of the message decoder.
//!
//! Prefixes go straight from the wire into the columns. Announced routes first take a placeholder
//! set, resolved when the message is done: only then is it known whether the message is to be
//! withdrawn, or a family dropped, and which set its attributes intern to.

use std::net::Ipv4Addr;

use rustc_hash::FxHashMap;

use super::columns::{
    code_of_family, AttributeSet, MessageError, RouteColumns, RouteDecodeResult, FAMILY_IPV4,
    WITHDRAW,
};
use crate::wire::attribute::{
    next_hop_addresses, parse_mp_reach, parse_mp_unreach, walk_attributes, AttributeValue,
    Descriptor, Fault, PathAttribute, RawAttribute, EXTENDED_LENGTH, MP_REACH_NLRI,
    MP_UNREACH_NLRI, NEXT_HOP,
};
use crate::wire::context::SessionContext;
use crate::wire::error::{ErrorAction, Reason, Strongest, WireError};
use crate::wire::family::{Family, IPV4_UNICAST};
use crate::wire::header::{MessageType, HEADER_LEN};
use crate::wire::message::read_header;
use crate::wire::prefix::{PrefixReader, RawPrefix};
use crate::wire::update::{escalate, split_update, Presence};

/// Placeholder set of routes of the NLRI field until the message is done.
const PENDING_NLRI: u32 = WITHDRAW - 1;
/// Placeholder set of routes of MP_REACH_NLRI until the message is done.
const PENDING_MP: u32 = WITHDRAW - 2;

/// Attribute sets by their key: next hops, then the octets of the attributes they hold.
#[derive(Default)]
struct Interner {
    ids: FxHashMap<Box<[u8]>, u32>,
    key: Vec<u8>,
}

impl Interner {
    /// The id of the set with these next hop octets and attribute octets, made from `attributes`
    /// when new.
    fn intern(
        &mut self,
        next_hop: &[u8],
        attribute_octets: &[u8],
        attributes: &[PathAttribute],
        sets: &mut Vec<AttributeSet>,
    ) -> u32 {
        self.key.clear();
        self.key.push(next_hop.len() as u8);
        self.key.extend_from_slice(next_hop);
        self.key.extend_from_slice(attribute_octets);
        if let Some(&id) = self.ids.get(self.key.as_slice()) {
            return id;
        }
        let id = sets.len() as u32;
        sets.push(AttributeSet {
            next_hops: next_hop_addresses(next_hop),
            attributes: attributes.to_vec(),
        });
        self.ids.insert(self.key.clone().into_boxed_slice(), id);
        id
    }
}

/// What one UPDATE left for the end of its decoding, reused from message to message.
#[derive(Default)]
struct Scratch<'a> {
    /// Kept attributes other than NEXT_HOP and the MP attributes, decoded, in wire order.
    attributes: Vec<PathAttribute>,
    /// Their octets as received, the interning key.
    attribute_octets: Vec<u8>,
    next_hop: Option<Ipv4Addr>,
    mp_next_hop: &'a [u8],
}

/// Decodes UPDATE messages from offset 0, stopping at a partial message, a message of another
/// type, or one that resets the session.
pub fn decode_routes(bytes: &[u8], context: &SessionContext) -> RouteDecodeResult {
    let mut result = RouteDecodeResult {
        routes: RouteColumns::with_capacity(bytes.len() / 5),
        ..RouteDecodeResult::default()
    };
    let mut interner = Interner::default();
    let mut offset = 0;
    let mut ordinal = 0;
    while let Some(header) = read_header(&bytes[offset..], context) {
        let header = match header {
            Ok(header) => header,
            Err(error) => {
                result.errors.push(MessageError {
                    message: ordinal,
                    offset,
                    error,
                });
                break;
            }
        };
        if header.kind != MessageType::Update {
            break;
        }
        let Some(message) = bytes.get(offset + HEADER_LEN..offset + header.length) else {
            break;
        };
        if let Some(error) = decode_update(message, context, &mut result, &mut interner) {
            let reset = error.action == ErrorAction::SessionReset;
            result.errors.push(MessageError {
                message: ordinal,
                offset,
                error,
            });
            if reset {
                break;
            }
        }
        offset += header.length;
        ordinal += 1;
    }
    result.consumed = offset;
    result
}

/// Decodes one UPDATE body into rows; answers the error to report. Rows of a message that resets
/// the session are taken back.
fn decode_update(
    body: &[u8],
    context: &SessionContext,
    result: &mut RouteDecodeResult,
    interner: &mut Interner,
) -> Option<WireError> {
    let first_row = result.routes.len();
    let fields = match split_update(body) {
        Ok(fields) => fields,
        Err(error) => return Some(error),
    };
    let routes = &mut result.routes;
    let v4_path_id = context.has_path_id(IPV4_UNICAST);
    if push_prefixes(routes, fields.withdrawn, IPV4_UNICAST, v4_path_id, WITHDRAW).is_err() {
        routes.truncate(first_row);
        return Some(WireError::reset(Reason::InvalidNetworkField, &[]));
    }
    let mut errors = Strongest::default();
    let mut presence = Presence::default();
    let mut scratch = Scratch::default();
    let mut end_of_rib = None;
    let lone_attribute = is_lone_attribute(fields.attributes);
    walk_attributes(fields.attributes, &mut errors, |descriptor, raw| {
        match raw.code {
            MP_REACH_NLRI => {
                let reach = parse_mp_reach(raw.value)?;
                let disable = Fault::attr(ErrorAction::AfiSafiDisable, Reason::MalformedMpReach)
                    .in_family(reach.family);
                push_mp_prefixes(
                    routes,
                    reach.nlri,
                    reach.family,
                    context,
                    PENDING_MP,
                    disable,
                )?;
                scratch.mp_next_hop = reach.next_hop;
            }
            MP_UNREACH_NLRI => {
                let (family, withdrawn) = parse_mp_unreach(raw.value)?;
                let disable = Fault::attr(ErrorAction::AfiSafiDisable, Reason::MalformedMpUnreach)
                    .in_family(family);
                push_mp_prefixes(routes, withdrawn, family, context, WITHDRAW, disable)?;
                if withdrawn.is_empty() && lone_attribute && fields.withdrawn.is_empty() {
                    end_of_rib = Some(family);
                }
            }
            _ => keep_attribute(descriptor, raw, context, &mut scratch)?,
        }
        presence.note(raw.code);
        Ok(())
    });
    if !errors.is_reset()
        && push_prefixes(routes, fields.nlri, IPV4_UNICAST, v4_path_id, PENDING_NLRI).is_err()
    {
        errors.add(WireError::reset(Reason::InvalidNetworkField, &[]));
    }
    if let Some(missing) = presence.missing_error(!fields.nlri.is_empty()) {
        errors.add(missing);
    }
    if let Some(error) = &mut errors.error {
        escalate(error, &fields);
    }
    let error = errors.error;
    match &error {
        Some(error) if error.action == ErrorAction::SessionReset => {
            routes.truncate(first_row);
            return Some(error.clone());
        }
        Some(WireError {
            action: ErrorAction::AfiSafiDisable,
            family: Some(family),
            ..
        }) => {
            if let Some(code) = code_of_family(*family) {
                routes.remove_family(first_row, code);
            }
        }
        _ => {}
    }
    if error.is_none() {
        if body.len() == 4 {
            end_of_rib = Some(IPV4_UNICAST);
        }
        result.end_of_rib.extend(end_of_rib);
    }
    let withdraw = error
        .as_ref()
        .is_some_and(|error| error.action == ErrorAction::TreatAsWithdraw);
    resolve_sets(result, first_row, withdraw, &scratch, interner);
    error
}

/// Whether the attributes field holds exactly one attribute, which End-of-RIB needs (RFC 4724
/// section 2: an UPDATE with a lone MP_UNREACH_NLRI and no withdrawn routes or NLRI; with NLRI, the
/// message would lack its well-known attributes and not be decoded without error).
fn is_lone_attribute(field: &[u8]) -> bool {
    let (Some(&flags), Some(&length)) = (field.first(), field.get(2)) else {
        return false;
    };
    let size = if flags & EXTENDED_LENGTH != 0 {
        field
            .get(3)
            .map(|&low| 4 + (usize::from(length) << 8 | usize::from(low)))
    } else {
        Some(3 + usize::from(length))
    };
    size == Some(field.len())
}

/// Keeps a path attribute other than the MP ones once it decodes.
fn keep_attribute(
    descriptor: Option<&'static Descriptor>,
    raw: RawAttribute<'_>,
    context: &SessionContext,
    scratch: &mut Scratch<'_>,
) -> Result<(), Fault> {
    let attribute = PathAttribute::decode(descriptor, raw, context)?;
    if raw.code == NEXT_HOP {
        if let AttributeValue::NextHop { value } = attribute.value {
            scratch.next_hop = Some(value);
        }
        return Ok(());
    }
    scratch.attribute_octets.extend_from_slice(raw.whole);
    scratch.attributes.push(attribute);
    Ok(())
}

/// Gives the message's placeholder rows their set, or `WITHDRAW` for a treat-as-withdraw message.
fn resolve_sets(
    result: &mut RouteDecodeResult,
    first_row: usize,
    withdraw: bool,
    scratch: &Scratch<'_>,
    interner: &mut Interner,
) {
    let mut nlri_set = None;
    let mut mp_set = None;
    for row in first_row..result.routes.len() {
        let set = result.routes.attribute_set[row];
        let resolved = match set {
            _ if set != PENDING_NLRI && set != PENDING_MP => continue,
            _ if withdraw => WITHDRAW,
            PENDING_NLRI => *nlri_set.get_or_insert_with(|| {
                let next_hop = scratch.next_hop.map(|address| address.octets());
                interner.intern(
                    next_hop.as_ref().map_or(&[][..], |octets| &octets[..]),
                    &scratch.attribute_octets,
                    &scratch.attributes,
                    &mut result.attribute_sets,
                )
            }),
            _ => *mp_set.get_or_insert_with(|| {
                interner.intern(
                    scratch.mp_next_hop,
                    &scratch.attribute_octets,
                    &scratch.attributes,
                    &mut result.attribute_sets,
                )
            }),
        };
        result.routes.attribute_set[row] = resolved;
    }
}

/// Appends the prefixes of an NLRI field of a unicast family as rows with set `set`.
#[inline]
fn push_prefixes(
    routes: &mut RouteColumns,
    field: &[u8],
    family: Family,
    path_id: bool,
    set: u32,
) -> Result<(), ()> {
    let code = code_of_family(family).unwrap_or(FAMILY_IPV4);
    for prefix in PrefixReader::new(field, family, path_id) {
        let prefix = prefix.map_err(|_| ())?;
        let address = column_address(field, &prefix);
        routes.push_address(code, prefix.length, address, prefix.path_id, set);
    }
    Ok(())
}

/// The 16-octet column address of a prefix: when 16 octets of the field start at its address, one
/// fixed-size load with the octets past the prefix masked off, else a copy of its octets.
#[inline]
fn column_address(field: &[u8], prefix: &RawPrefix<'_>) -> [u8; 16] {
    let count = prefix.octets.len().min(16);
    let window = field
        .get(prefix.offset..prefix.offset + 16)
        .and_then(|w| <[u8; 16]>::try_from(w).ok());
    match window {
        Some(window) if count > 0 => {
            let mask = u128::MAX << (128 - 8 * count);
            (u128::from_be_bytes(window) & mask).to_be_bytes()
        }
        _ => {
            let mut address = [0u8; 16];
            address[..count].copy_from_slice(&prefix.octets[..count]);
            address
        }
    }
}

/// Appends the prefixes of an MP attribute: rows for the unicast families, nothing for the others.
/// A malformed field takes back its own rows and answers `fault`.
fn push_mp_prefixes(
    routes: &mut RouteColumns,
    field: &[u8],
    family: Family,
    context: &SessionContext,
    set: u32,
    fault: Fault,
) -> Result<(), Fault> {
    if code_of_family(family).is_none() {
        return Ok(());
    }
    let first_row = routes.len();
    push_prefixes(routes, field, family, context.has_path_id(family), set).map_err(|()| {
        routes.truncate(first_row);
        fault
    })
}
