//! The descriptor table: one record per known attribute type code, walked by generic code.

use super::aggregator::{decode_aggregator, decode_as4_aggregator, encode_aggregator};
use super::as_path::{decode_as4_path, decode_as_path, encode_as_path};
use super::communities::{decode_communities, decode_large_communities, encode_communities};
use super::extended_communities::{decode_extended_communities, encode_extended_communities};
use super::multiprotocol::{
    decode_mp_reach, decode_mp_unreach, encode_mp_reach, encode_mp_unreach,
};
use super::scalar::{
    decode_atomic_aggregate, decode_cluster_list, decode_local_pref, decode_med, decode_next_hop,
    decode_origin, decode_originator_id, encode_scalar,
};
use super::{AttributeValue, Fault};
use crate::wire::context::SessionContext;
use crate::wire::error::EncodeError;

/// Decodes a value, answering a fault when RFC 7606 calls it malformed.
pub type Decode = fn(&[u8], &SessionContext) -> Result<AttributeValue, Fault>;
/// Appends a value's octets.
pub type Encode = fn(&AttributeValue, &SessionContext, &mut Vec<u8>) -> Result<(), EncodeError>;

pub struct Descriptor {
    pub code: u8,
    pub name: &'static str,
    /// Flags the encoder writes; receipt checks only their Optional and Transitive bits.
    pub flags: u8,
    pub decode: Decode,
    pub encode: Encode,
}

pub static DESCRIPTORS: [Descriptor; 16] = [
    Descriptor {
        code: 1,
        name: "origin",
        flags: 0x40,
        decode: decode_origin,
        encode: encode_scalar,
    },
    Descriptor {
        code: 2,
        name: "as-path",
        flags: 0x40,
        decode: decode_as_path,
        encode: encode_as_path,
    },
    Descriptor {
        code: 3,
        name: "next-hop",
        flags: 0x40,
        decode: decode_next_hop,
        encode: encode_scalar,
    },
    Descriptor {
        code: 4,
        name: "med",
        flags: 0x80,
        decode: decode_med,
        encode: encode_scalar,
    },
    Descriptor {
        code: 5,
        name: "local-pref",
        flags: 0x40,
        decode: decode_local_pref,
        encode: encode_scalar,
    },
    Descriptor {
        code: 6,
        name: "atomic-aggregate",
        flags: 0x40,
        decode: decode_atomic_aggregate,
        encode: encode_scalar,
    },
    Descriptor {
        code: 7,
        name: "aggregator",
        flags: 0xc0,
        decode: decode_aggregator,
        encode: encode_aggregator,
    },
    Descriptor {
        code: 8,
        name: "communities",
        flags: 0xc0,
        decode: decode_communities,
        encode: encode_communities,
    },
    Descriptor {
        code: 9,
        name: "originator-id",
        flags: 0x80,
        decode: decode_originator_id,
        encode: encode_scalar,
    },
    Descriptor {
        code: 10,
        name: "cluster-list",
        flags: 0x80,
        decode: decode_cluster_list,
        encode: encode_scalar,
    },
    Descriptor {
        code: 14,
        name: "mp-reach",
        flags: 0x80,
        decode: decode_mp_reach,
        encode: encode_mp_reach,
    },
    Descriptor {
        code: 15,
        name: "mp-unreach",
        flags: 0x80,
        decode: decode_mp_unreach,
        encode: encode_mp_unreach,
    },
    Descriptor {
        code: 16,
        name: "extended-communities",
        flags: 0xc0,
        decode: decode_extended_communities,
        encode: encode_extended_communities,
    },
    Descriptor {
        code: 17,
        name: "as4-path",
        flags: 0xc0,
        decode: decode_as4_path,
        encode: encode_as_path,
    },
    Descriptor {
        code: 18,
        name: "as4-aggregator",
        flags: 0xc0,
        decode: decode_as4_aggregator,
        encode: encode_aggregator,
    },
    Descriptor {
        code: 32,
        name: "large-communities",
        flags: 0xc0,
        decode: decode_large_communities,
        encode: encode_communities,
    },
];

/// Index into `DESCRIPTORS` by type code, built at compile time so that lookup is one load.
static BY_CODE: [u8; 256] = {
    let mut index = [u8::MAX; 256];
    let mut i = 0;
    while i < DESCRIPTORS.len() {
        index[DESCRIPTORS[i].code as usize] = i as u8;
        i += 1;
    }
    index
};

/// The descriptor of a type code, `None` for an attribute the codec does not know.
pub fn descriptor(code: u8) -> Option<&'static Descriptor> {
    DESCRIPTORS.get(usize::from(BY_CODE[usize::from(code)]))
}
