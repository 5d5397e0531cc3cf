//! Routes as columns: one entry per route in each column, no per-route objects.

use std::net::IpAddr;

use serde::{Deserialize, Serialize};

use crate::wire::attribute::PathAttribute;
use crate::wire::error::{EncodeError, WireError};
use crate::wire::family::{Family, IPV4_UNICAST, IPV6_UNICAST};

/// Column family code of `ipv4-unicast`.
pub const FAMILY_IPV4: u8 = 0;
/// Column family code of `ipv6-unicast`.
pub const FAMILY_IPV6: u8 = 1;
/// `attribute_set` of a withdrawn route.
pub const WITHDRAW: u32 = u32::MAX;

/// The family of a column code.
pub fn family_of_code(code: u8) -> Option<Family> {
    match code {
        FAMILY_IPV4 => Some(IPV4_UNICAST),
        FAMILY_IPV6 => Some(IPV6_UNICAST),
        _ => None,
    }
}

/// The column code of a family, for the two that have one.
pub fn code_of_family(family: Family) -> Option<u8> {
    match family {
        IPV4_UNICAST => Some(FAMILY_IPV4),
        IPV6_UNICAST => Some(FAMILY_IPV6),
        _ => None,
    }
}

/// Owned columns, as the bulk decoder fills them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RouteColumns {
    pub family: Vec<u8>,
    pub prefix_length: Vec<u8>,
    /// 16 octets per route in network order; an IPv4 address fills the first 4.
    pub address: Vec<u8>,
    /// ADD-PATH identifier per route, 0 where the family carries none.
    pub path_id: Vec<u32>,
    /// Index into the attribute sets, or `WITHDRAW`.
    pub attribute_set: Vec<u32>,
}

impl RouteColumns {
    pub fn with_capacity(routes: usize) -> RouteColumns {
        RouteColumns {
            family: Vec::with_capacity(routes),
            prefix_length: Vec::with_capacity(routes),
            address: Vec::with_capacity(routes * 16),
            path_id: Vec::with_capacity(routes),
            attribute_set: Vec::with_capacity(routes),
        }
    }

    pub fn len(&self) -> usize {
        self.family.len()
    }

    pub fn is_empty(&self) -> bool {
        self.family.is_empty()
    }

    /// Appends one route; `octets` are the prefix's wire octets (at most 16).
    #[inline]
    pub fn push(
        &mut self,
        family: u8,
        length: u8,
        octets: &[u8],
        path_id: u32,
        attribute_set: u32,
    ) {
        let mut address = [0u8; 16];
        let count = octets.len().min(16);
        address[..count].copy_from_slice(&octets[..count]);
        self.push_address(family, length, address, path_id, attribute_set);
    }

    /// Appends one route whose address is already in its 16-octet column form.
    #[inline]
    pub fn push_address(
        &mut self,
        family: u8,
        length: u8,
        address: [u8; 16],
        path_id: u32,
        attribute_set: u32,
    ) {
        self.family.push(family);
        self.prefix_length.push(length);
        self.address.extend_from_slice(&address);
        self.path_id.push(path_id);
        self.attribute_set.push(attribute_set);
    }

    /// Drops every route from `row` on.
    pub fn truncate(&mut self, row: usize) {
        self.family.truncate(row);
        self.prefix_length.truncate(row);
        self.address.truncate(row * 16);
        self.path_id.truncate(row);
        self.attribute_set.truncate(row);
    }

    /// Drops the routes of family `code` from `row` on, keeping the others in order.
    pub fn remove_family(&mut self, row: usize, code: u8) {
        let mut kept = row;
        for index in row..self.len() {
            if self.family[index] == code {
                continue;
            }
            self.family[kept] = self.family[index];
            self.prefix_length[kept] = self.prefix_length[index];
            self.address
                .copy_within(index * 16..index * 16 + 16, kept * 16);
            self.path_id[kept] = self.path_id[index];
            self.attribute_set[kept] = self.attribute_set[index];
            kept += 1;
        }
        self.truncate(kept);
    }

    pub fn as_ref(&self) -> ColumnsRef<'_> {
        ColumnsRef {
            family: &self.family,
            prefix_length: &self.prefix_length,
            address: &self.address,
            path_id: &self.path_id,
            attribute_set: &self.attribute_set,
        }
    }
}

/// Borrowed columns, as the bulk encoder reads them.
#[derive(Clone, Copy, Debug)]
pub struct ColumnsRef<'a> {
    pub family: &'a [u8],
    pub prefix_length: &'a [u8],
    pub address: &'a [u8],
    pub path_id: &'a [u32],
    pub attribute_set: &'a [u32],
}

impl ColumnsRef<'_> {
    /// The number of routes, once every column agrees on it.
    pub fn count(&self) -> Result<usize, EncodeError> {
        let count = self.family.len();
        let agree = self.prefix_length.len() == count
            && self.path_id.len() == count
            && self.attribute_set.len() == count
            && self.address.len() == count * 16;
        if !agree {
            return Err(EncodeError::new(format!(
                "route columns disagree: {} families, {} prefix lengths, {} address octets, {} path ids, {} attribute sets",
                count,
                self.prefix_length.len(),
                self.address.len(),
                self.path_id.len(),
                self.attribute_set.len()
            )));
        }
        Ok(count)
    }
}

/// Path attributes shared by many routes; NEXT_HOP and the MP attributes are not among them: the
/// next hops say where the routes go, and the encoder chooses the form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttributeSet {
    pub next_hops: Vec<IpAddr>,
    pub attributes: Vec<PathAttribute>,
}

/// An error of one message of a burst.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MessageError {
    /// The message's ordinal in the burst.
    pub message: usize,
    /// Its first octet.
    pub offset: usize,
    pub error: WireError,
}

/// Outcome of the bulk decode: the columns, and the rest as it serialises to JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RouteDecodeResult {
    #[serde(skip)]
    pub routes: RouteColumns,
    pub attribute_sets: Vec<AttributeSet>,
    /// Families whose End-of-RIB marker was seen, in order.
    pub end_of_rib: Vec<Family>,
    pub errors: Vec<MessageError>,
    /// Offset of the first octet not consumed.
    pub consumed: usize,
}
