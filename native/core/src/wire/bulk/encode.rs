//! Bulk encoding: routes as columns into the fewest UPDATE messages, by the rules of
//! docs/wire-model.md ("Bulk encoding") that fix the bytes exactly.
//!
//! Two passes over the routes: the first orders them into groups (one per form of UPDATE and
//! attribute set) and packs each group greedily into messages, so that the output's exact size is
//! known; the second writes every message into one buffer of that size. Each attribute set's
//! octets are encoded once.

use std::net::IpAddr;

use super::columns::{family_of_code, AttributeSet, ColumnsRef, WITHDRAW};
use crate::wire::attribute::{
    AttributeValue, PathAttribute, EXTENDED_LENGTH, MP_REACH_NLRI, MP_UNREACH_NLRI, NEXT_HOP,
    OPTIONAL,
};
use crate::wire::context::SessionContext;
use crate::wire::error::EncodeError;
use crate::wire::family::{Family, IPV4_UNICAST, IPV6_UNICAST};
use crate::wire::header::{MessageType, HEADER_LEN};
use crate::wire::prefix::{max_length, octets_for};

/// Header, Withdrawn Routes Length and Total Path Attribute Length.
const UPDATE_OVERHEAD: usize = HEADER_LEN + 2 + 2;

/// Where an UPDATE puts its prefixes.
#[derive(Clone, Copy, Debug)]
enum Field<'a> {
    /// The Withdrawn Routes field (`ipv4-unicast` withdrawals).
    Withdrawn,
    /// The NLRI field, after the set's attributes with NEXT_HOP.
    Nlri,
    /// MP_UNREACH_NLRI of the family (`afi_safi`), the only attribute.
    MpUnreach { afi_safi: [u8; 3] },
    /// MP_REACH_NLRI of the family with the next hop field, before the set's attributes.
    MpReach {
        afi_safi: [u8; 3],
        next_hop: &'a [u8],
    },
}

/// One group of routes sharing the form of their UPDATEs.
#[derive(Clone, Copy, Debug)]
struct Form<'a> {
    field: Field<'a>,
    /// The set's attributes as written, sorted by type code.
    attributes: &'a [u8],
    path_id: bool,
}

impl Form<'_> {
    /// Octets of the MP attribute's value around the prefixes.
    fn mp_value_base(&self) -> usize {
        match self.field {
            Field::MpUnreach { .. } => 3,
            Field::MpReach { next_hop, .. } => 3 + 1 + next_hop.len() + 1,
            Field::Withdrawn | Field::Nlri => 0,
        }
    }

    /// The exact length of an UPDATE of this form holding `prefixes` octets of prefixes.
    #[inline]
    fn message_length(&self, prefixes: usize) -> usize {
        match self.field {
            Field::Withdrawn | Field::Nlri => UPDATE_OVERHEAD + self.attributes.len() + prefixes,
            Field::MpUnreach { .. } | Field::MpReach { .. } => {
                let value = self.mp_value_base() + prefixes;
                let header = if value > 255 { 4 } else { 3 };
                UPDATE_OVERHEAD + header + value + self.attributes.len()
            }
        }
    }
}

/// One UPDATE to write: routes `order[start..end]` in the group's form.
#[derive(Clone, Copy, Debug)]
struct Planned {
    form: usize,
    start: usize,
    end: usize,
    prefixes: usize,
}

/// An attribute set's octets, encoded once for every UPDATE that carries it.
struct PreparedSet {
    /// The attributes with NEXT_HOP, when the set has exactly one IPv4 next hop.
    nlri_form: Option<Vec<u8>>,
    /// The attributes alone, for UPDATEs with MP_REACH_NLRI.
    attributes: Vec<u8>,
    /// The MP_REACH_NLRI next hop field: one IPv6 address, or global and link-local.
    mp_next_hop: Option<Vec<u8>>,
}

/// Encodes routes into UPDATE messages, concatenated.
pub fn encode_routes(
    routes: ColumnsRef<'_>,
    sets: &[AttributeSet],
    context: &SessionContext,
) -> Result<Vec<u8>, EncodeError> {
    let count = routes.count()?;
    let (order, groups) = order_routes(routes, count, sets.len())?;
    let mut prepared: Vec<Option<PreparedSet>> = (0..sets.len()).map(|_| None).collect();
    for &(key, _, _) in &groups {
        if let Some(set) = key.checked_sub(2).map(|announce| announce / 2) {
            if prepared[set].is_none() {
                prepared[set] = Some(prepare_set(&sets[set], set, context)?);
            }
        }
    }
    let mut forms = Vec::with_capacity(groups.len());
    for &(key, _, _) in &groups {
        forms.push(form_of(key, &prepared, sets, context)?);
    }
    let limit = context.update_limit();
    let mut plan = Vec::new();
    let mut total = 0;
    for (form_index, &(_, start, end)) in groups.iter().enumerate() {
        let form = &forms[form_index];
        let mut next = start;
        while next < end {
            let first = next;
            let mut prefixes = 0;
            while next < end {
                let size = prefix_size(routes, order[next] as usize, form.path_id);
                if form.message_length(prefixes + size) > limit {
                    break;
                }
                prefixes += size;
                next += 1;
            }
            if next == first {
                return Err(EncodeError::new(format!(
                    "route {} does not fit in an UPDATE of {limit} octets with its attributes",
                    order[first]
                )));
            }
            total += form.message_length(prefixes);
            plan.push(Planned {
                form: form_index,
                start: first,
                end: next,
                prefixes,
            });
        }
    }
    let mut out = Vec::with_capacity(total);
    for planned in &plan {
        write_update(
            &mut out,
            routes,
            &order[planned.start..planned.end],
            &forms[planned.form],
            planned.prefixes,
        );
    }
    Ok(out)
}

/// Octets of route `index` in an NLRI field: path identifier, length, address octets.
#[inline]
fn prefix_size(routes: ColumnsRef<'_>, index: usize, path_id: bool) -> usize {
    usize::from(path_id) * 4 + 1 + octets_for(routes.prefix_length[index])
}

/// Checks each route and orders them into groups by a counting sort on the group key: 0 for
/// `ipv4-unicast` withdrawals, 1 for `ipv6-unicast` ones, then `2 + 2 * set + family` for
/// announcements. Answers the route indices in group order and each group's (key, start, end).
#[allow(clippy::type_complexity)]
fn order_routes(
    routes: ColumnsRef<'_>,
    count: usize,
    sets: usize,
) -> Result<(Vec<u32>, Vec<(usize, usize, usize)>), EncodeError> {
    let keys = 2 + 2 * sets;
    let mut starts = vec![0usize; keys + 1];
    for index in 0..count {
        let code = routes.family[index];
        let family = family_of_code(code)
            .ok_or_else(|| EncodeError::new(format!("route {index} has family code {code}")))?;
        let length = routes.prefix_length[index];
        if length > max_length(family) {
            return Err(EncodeError::new(format!(
                "route {index} has a {family} prefix length of {length}"
            )));
        }
        let set = routes.attribute_set[index];
        if set != WITHDRAW && set as usize >= sets {
            return Err(EncodeError::new(format!(
                "route {index} names attribute set {set} of {sets}"
            )));
        }
        starts[group_key(code, set) + 1] += 1;
    }
    for key in 0..keys {
        starts[key + 1] += starts[key];
    }
    let groups = (0..keys)
        .filter(|&key| starts[key + 1] > starts[key])
        .map(|key| (key, starts[key], starts[key + 1]))
        .collect();
    let mut order = vec![0u32; count];
    for index in 0..count {
        let slot = &mut starts[group_key(routes.family[index], routes.attribute_set[index])];
        order[*slot] = index as u32;
        *slot += 1;
    }
    Ok((order, groups))
}

#[inline]
fn group_key(family: u8, set: u32) -> usize {
    if set == WITHDRAW {
        usize::from(family)
    } else {
        2 + 2 * set as usize + usize::from(family)
    }
}

fn form_of<'a>(
    key: usize,
    prepared: &'a [Option<PreparedSet>],
    sets: &[AttributeSet],
    context: &SessionContext,
) -> Result<Form<'a>, EncodeError> {
    let afi_safi = |family: Family| {
        let [high, low] = family.afi.to_be_bytes();
        [high, low, family.safi as u8]
    };
    let family = if key.is_multiple_of(2) {
        IPV4_UNICAST
    } else {
        IPV6_UNICAST
    };
    let path_id = context.has_path_id(family);
    if key < 2 {
        let field = if family == IPV4_UNICAST {
            Field::Withdrawn
        } else {
            Field::MpUnreach {
                afi_safi: afi_safi(family),
            }
        };
        return Ok(Form {
            field,
            attributes: &[],
            path_id,
        });
    }
    let set = (key - 2) / 2;
    let Some(prepared_set) = &prepared[set] else {
        return Err(EncodeError::new(format!(
            "attribute set {set} was not prepared"
        )));
    };
    if family == IPV4_UNICAST {
        if let Some(attributes) = &prepared_set.nlri_form {
            return Ok(Form {
                field: Field::Nlri,
                attributes,
                path_id,
            });
        }
    }
    let next_hop = prepared_set.mp_next_hop.as_deref().ok_or_else(|| {
        let next_hops: Vec<String> = sets[set].next_hops.iter().map(IpAddr::to_string).collect();
        EncodeError::new(format!(
            "attribute set {set}: next hops [{}] cannot carry {family} routes (one IPv4 address for ipv4-unicast, or one IPv6 address, or global and link-local IPv6)",
            next_hops.join(", ")
        ))
    })?;
    Ok(Form {
        field: Field::MpReach {
            afi_safi: afi_safi(family),
            next_hop,
        },
        attributes: &prepared_set.attributes,
        path_id,
    })
}

/// Encodes a set's attributes sorted by type code (stable), with and without NEXT_HOP.
fn prepare_set(
    set: &AttributeSet,
    index: usize,
    context: &SessionContext,
) -> Result<PreparedSet, EncodeError> {
    if let Some(attribute) = set
        .attributes
        .iter()
        .find(|a| matches!(a.value.code(), NEXT_HOP | MP_REACH_NLRI | MP_UNREACH_NLRI))
    {
        return Err(EncodeError::new(format!(
            "attribute set {index} holds attribute {}: next hops belong in nextHops, and the encoder writes the NLRI",
            attribute.value.code()
        )));
    }
    let mut sorted: Vec<&PathAttribute> = set.attributes.iter().collect();
    sorted.sort_by_key(|attribute| attribute.value.code());
    let mut attributes = Vec::new();
    for attribute in &sorted {
        attribute.encode(&mut attributes, context)?;
    }
    let nlri_form = match set.next_hops[..] {
        [IpAddr::V4(address)] => {
            let next_hop = PathAttribute::new(AttributeValue::NextHop { value: address });
            let split = sorted.partition_point(|attribute| attribute.value.code() < NEXT_HOP);
            let mut octets = Vec::with_capacity(attributes.len() + 7);
            for attribute in sorted[..split]
                .iter()
                .copied()
                .chain([&next_hop])
                .chain(sorted[split..].iter().copied())
            {
                attribute.encode(&mut octets, context)?;
            }
            Some(octets)
        }
        _ => None,
    };
    let mp_next_hop = match set.next_hops[..] {
        [IpAddr::V6(global)] => Some(global.octets().to_vec()),
        [IpAddr::V6(global), IpAddr::V6(link_local)] => {
            Some([global.octets(), link_local.octets()].concat())
        }
        _ => None,
    };
    Ok(PreparedSet {
        nlri_form,
        attributes,
        mp_next_hop,
    })
}

/// Writes one UPDATE of `form` holding the routes `indices`, whose prefixes take `prefixes` octets.
fn write_update(
    out: &mut Vec<u8>,
    routes: ColumnsRef<'_>,
    indices: &[u32],
    form: &Form<'_>,
    prefixes: usize,
) {
    let length = form.message_length(prefixes) as u16;
    out.extend_from_slice(&[0xff; 16]);
    out.extend_from_slice(&length.to_be_bytes());
    out.push(MessageType::Update as u8);
    match form.field {
        Field::Withdrawn => {
            out.extend_from_slice(&(prefixes as u16).to_be_bytes());
            write_prefixes(out, routes, indices, form.path_id);
            out.extend_from_slice(&[0, 0]);
        }
        Field::Nlri => {
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(&(form.attributes.len() as u16).to_be_bytes());
            out.extend_from_slice(form.attributes);
            write_prefixes(out, routes, indices, form.path_id);
        }
        Field::MpUnreach { afi_safi } | Field::MpReach { afi_safi, .. } => {
            let code = if matches!(form.field, Field::MpReach { .. }) {
                MP_REACH_NLRI
            } else {
                MP_UNREACH_NLRI
            };
            let value = form.mp_value_base() + prefixes;
            let header = if value > 255 { 4 } else { 3 };
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(&((header + value + form.attributes.len()) as u16).to_be_bytes());
            if value > 255 {
                out.extend_from_slice(&[OPTIONAL | EXTENDED_LENGTH, code]);
                out.extend_from_slice(&(value as u16).to_be_bytes());
            } else {
                out.extend_from_slice(&[OPTIONAL, code, value as u8]);
            }
            out.extend_from_slice(&afi_safi);
            if let Field::MpReach { next_hop, .. } = form.field {
                out.push(next_hop.len() as u8);
                out.extend_from_slice(next_hop);
                out.push(0);
            }
            write_prefixes(out, routes, indices, form.path_id);
            out.extend_from_slice(form.attributes);
        }
    }
}

#[inline]
fn write_prefixes(out: &mut Vec<u8>, routes: ColumnsRef<'_>, indices: &[u32], path_id: bool) {
    for &index in indices {
        let index = index as usize;
        if path_id {
            out.extend_from_slice(&routes.path_id[index].to_be_bytes());
        }
        let length = routes.prefix_length[index];
        out.push(length);
        let address = index * 16;
        out.extend_from_slice(&routes.address[address..address + octets_for(length)]);
    }
}
