//! Bulk encoding: routes as columns into the fewest UPDATE messages, by the rules of
//! docs/wire-model.md ("Bulk encoding") that fix the bytes exactly.
//!
//! Routes fall into groups, one per form of UPDATE and attribute set; each group's prefixes are
//! packed greedily into messages. Each attribute set's octets are encoded once.

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
    /// The most octets of prefixes an UPDATE of this form holds within `limit` (the message length
    /// grows with the prefixes, so a binary search finds it).
    fn capacity(&self, limit: usize) -> usize {
        let (mut fits, mut too_many) = (0, limit + 1);
        if self.message_length(0) > limit {
            return 0;
        }
        while too_many - fits > 1 {
            let middle = (fits + too_many) / 2;
            if self.message_length(middle) <= limit {
                fits = middle;
            } else {
                too_many = middle;
            }
        }
        fits
    }
}

/// One UPDATE to write: the prefixes `staging[start..end]` in the form of group `form`.
#[derive(Clone, Copy, Debug)]
struct Planned {
    form: usize,
    start: usize,
    end: usize,
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
///
/// Three passes: the first checks every route and counts the octets each group's prefixes take;
/// the second writes every prefix in its wire form into its group's region of a staging buffer
/// (a counting sort by group that moves the octets themselves, so that later passes read memory in
/// order); the third packs each region greedily into messages and copies each message's prefixes
/// with one copy, into an output buffer of the exact size.
pub fn encode_routes(
    routes: ColumnsRef<'_>,
    sets: &[AttributeSet],
    context: &SessionContext,
) -> Result<Vec<u8>, EncodeError> {
    let count = routes.count()?;
    let path_id = [
        context.has_path_id(IPV4_UNICAST),
        context.has_path_id(IPV6_UNICAST),
    ];
    let regions = region_sizes(routes, count, sets.len(), path_id)?;
    let mut starts = Vec::with_capacity(regions.len() + 1);
    starts.push(0);
    for size in &regions {
        starts.push(starts[starts.len() - 1] + size);
    }
    let staging = stage_prefixes(routes, count, path_id, &starts);

    let groups: Vec<usize> = (0..regions.len()).filter(|&key| regions[key] > 0).collect();
    let mut prepared: Vec<Option<PreparedSet>> = (0..sets.len()).map(|_| None).collect();
    for &key in &groups {
        if let Some(set) = key.checked_sub(2).map(|announce| announce / 2) {
            if prepared[set].is_none() {
                prepared[set] = Some(prepare_set(&sets[set], set, context)?);
            }
        }
    }
    let mut forms = Vec::with_capacity(groups.len());
    for &key in &groups {
        forms.push(form_of(key, &prepared, sets, context)?);
    }

    let limit = context.update_limit();
    let mut plan = Vec::new();
    let mut total = 0;
    for (form_index, &key) in groups.iter().enumerate() {
        let form = &forms[form_index];
        let stride = usize::from(form.path_id) * 4;
        let capacity = form.capacity(limit);
        let (mut next, end) = (starts[key], starts[key + 1]);
        while next < end {
            let first = next;
            let last = first.saturating_add(capacity).min(end);
            while next < end {
                let size = stride + 1 + octets_for(staging[next + stride]);
                if next + size > last {
                    break;
                }
                next += size;
            }
            if next == first {
                return Err(EncodeError::new(format!(
                    "a prefix of group {} does not fit in an UPDATE of {limit} octets with its attributes",
                    describe_group(key)
                )));
            }
            total += form.message_length(next - first);
            plan.push(Planned {
                form: form_index,
                start: first,
                end: next,
            });
        }
    }
    let mut out = Vec::with_capacity(total);
    for planned in &plan {
        write_update(
            &mut out,
            &staging[planned.start..planned.end],
            &forms[planned.form],
        );
    }
    Ok(out)
}

/// Checks each route and answers the octets of prefixes per group key: 0 for `ipv4-unicast`
/// withdrawals, 1 for `ipv6-unicast` ones, then `2 + 2 * set + family` for announcements.
fn region_sizes(
    routes: ColumnsRef<'_>,
    count: usize,
    sets: usize,
    path_id: [bool; 2],
) -> Result<Vec<usize>, EncodeError> {
    let mut sizes = vec![0usize; 2 + 2 * sets];
    let max_lengths = [max_length(IPV4_UNICAST), max_length(IPV6_UNICAST)];
    let path_id_sizes = path_id.map(|carried| usize::from(carried) * 4);
    // Runs of routes in one group add up in a register: adding to `sizes` in memory route after
    // route would chain every route on the one before it.
    let (mut run_key, mut run) = (0, 0);
    for index in 0..count {
        let code = routes.family[index];
        let length = routes.prefix_length[index];
        let set = routes.attribute_set[index];
        let valid = usize::from(code) < 2
            && length <= max_lengths[usize::from(code) & 1]
            && (set == WITHDRAW || (set as usize) < sets);
        if !valid {
            return Err(invalid_route(routes, index, sets));
        }
        let key = group_key(code, set);
        if key != run_key {
            sizes[run_key] += run;
            (run_key, run) = (key, 0);
        }
        run += path_id_sizes[usize::from(code)] + 1 + octets_for(length);
    }
    sizes[run_key] += run;
    Ok(sizes)
}

/// Why route `index` cannot be encoded.
fn invalid_route(routes: ColumnsRef<'_>, index: usize, sets: usize) -> EncodeError {
    let code = routes.family[index];
    let Some(family) = family_of_code(code) else {
        return EncodeError::new(format!("route {index} has family code {code}"));
    };
    let length = routes.prefix_length[index];
    if length > max_length(family) {
        return EncodeError::new(format!(
            "route {index} has a {family} prefix length of {length}"
        ));
    }
    let set = routes.attribute_set[index];
    EncodeError::new(format!("route {index} names attribute set {set} of {sets}"))
}

/// Octets copied per address, whatever the prefix length, when the region has room after it: a
/// copy of fixed size is one move, and the octets past the prefix are overwritten by the next one.
const ADDRESS: usize = 16;

/// Writes every prefix in its wire form (path identifier, length, address octets) into its group's
/// region, in input order within each group. `starts` holds each region's first octet.
fn stage_prefixes(
    routes: ColumnsRef<'_>,
    count: usize,
    path_id: [bool; 2],
    starts: &[usize],
) -> Vec<u8> {
    let total = starts[starts.len() - 1];
    let mut staging = vec![0u8; total];
    let mut next: Vec<usize> = starts.to_vec();
    // The cursor of the current run of one group stays in a register, as in `region_sizes`.
    let (mut run_key, mut at, mut end) = (0, starts[0], starts[1]);
    for index in 0..count {
        let code = routes.family[index];
        let key = group_key(code, routes.attribute_set[index]);
        if key != run_key {
            next[run_key] = at;
            (run_key, at, end) = (key, next[key], starts[key + 1]);
        }
        if path_id[usize::from(code)] {
            staging[at..at + 4].copy_from_slice(&routes.path_id[index].to_be_bytes());
            at += 4;
        }
        let length = routes.prefix_length[index];
        staging[at] = length;
        at += 1;
        let octets = octets_for(length);
        let address = &routes.address[index * 16..index * 16 + 16];
        if at + ADDRESS <= end {
            staging[at..at + ADDRESS].copy_from_slice(address);
        } else {
            staging[at..at + octets].copy_from_slice(&address[..octets]);
        }
        at += octets;
    }
    staging
}

#[inline]
fn group_key(family: u8, set: u32) -> usize {
    if set == WITHDRAW {
        usize::from(family)
    } else {
        2 + 2 * set as usize + usize::from(family)
    }
}

fn describe_group(key: usize) -> String {
    let family = if key.is_multiple_of(2) {
        IPV4_UNICAST
    } else {
        IPV6_UNICAST
    };
    match key.checked_sub(2) {
        None => format!("{family} withdrawals"),
        Some(announce) => format!("{family} routes of attribute set {}", announce / 2),
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

/// Writes one UPDATE of `form` holding `prefixes`, already in their wire form.
fn write_update(out: &mut Vec<u8>, prefixes: &[u8], form: &Form<'_>) {
    let length = form.message_length(prefixes.len()) as u16;
    out.extend_from_slice(&[0xff; 16]);
    out.extend_from_slice(&length.to_be_bytes());
    out.push(MessageType::Update as u8);
    match form.field {
        Field::Withdrawn => {
            out.extend_from_slice(&(prefixes.len() as u16).to_be_bytes());
            out.extend_from_slice(prefixes);
            out.extend_from_slice(&[0, 0]);
        }
        Field::Nlri => {
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(&(form.attributes.len() as u16).to_be_bytes());
            out.extend_from_slice(form.attributes);
            out.extend_from_slice(prefixes);
        }
        Field::MpUnreach { afi_safi } | Field::MpReach { afi_safi, .. } => {
            let code = if matches!(form.field, Field::MpReach { .. }) {
                MP_REACH_NLRI
            } else {
                MP_UNREACH_NLRI
            };
            let value = form.mp_value_base() + prefixes.len();
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
            out.extend_from_slice(prefixes);
            out.extend_from_slice(form.attributes);
        }
    }
}
