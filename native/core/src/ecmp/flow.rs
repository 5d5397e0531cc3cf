//! The flow record of a batch (docs/ecmp.md, "Flow layout"), as engine/ecmp/flow-layout.ts: IPv4
//! records are 4 words (src, dst, proto, sport << 16 | dport), IPv6 ones 10 (src and dst as 4 words
//! each, proto, ports). The L3 key is the record's start, the 5-tuple key the whole record.

/// Words per IPv4 flow record.
pub const IPV4_STRIDE: usize = 4;
/// Words per IPv6 flow record.
pub const IPV6_STRIDE: usize = 10;

/// Words hashed per flow from the record's start: the whole record, or the two addresses.
pub fn key_words(stride: usize, five_tuple: bool) -> usize {
    match (stride, five_tuple) {
        (_, true) => stride,
        (IPV4_STRIDE, false) => 2,
        _ => 8,
    }
}
