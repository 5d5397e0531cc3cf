//! `decode_routes` on arbitrary octets: never panics, fills columns that agree with each other,
//! and stops and reports errors exactly where the stream decoder says.
#![no_main]

use libfuzzer_sys::fuzz_target;
use porter_core::wire::bulk::{decode_routes, FAMILY_IPV4, FAMILY_IPV6, WITHDRAW};
use porter_core::wire::error::Reason;
use porter_core::wire::{decode_stream, ErrorAction};
use porter_core_fuzz::split;

const UPDATE: u8 = 2;

fuzz_target!(|data: &[u8]| {
    let (context, bytes) = split(data);
    let decoded = decode_routes(bytes, &context);
    let routes = &decoded.routes;
    let count = routes.family.len();
    assert_eq!(routes.prefix_length.len(), count);
    assert_eq!(routes.path_id.len(), count);
    assert_eq!(routes.attribute_set.len(), count);
    assert_eq!(routes.address.len(), count * 16);
    for row in 0..count {
        let bits = match routes.family[row] {
            FAMILY_IPV4 => 32,
            FAMILY_IPV6 => 128,
            other => panic!("family code {other}"),
        };
        let length = usize::from(routes.prefix_length[row]);
        assert!(length <= bits, "prefix length {length} of {bits} bits");
        let address = &routes.address[row * 16..row * 16 + 16];
        assert!(address[length.div_ceil(8)..].iter().all(|&octet| octet == 0), "octets past the prefix are zero");
        let set = routes.attribute_set[row];
        assert!(set == WITHDRAW || (set as usize) < decoded.attribute_sets.len(), "attribute set {set} exists");
    }

    // The stream decoder reads the same messages; the bulk decoder stops at the first that is not
    // an UPDATE or that resets the session, and reports the same errors under the same ordinals.
    let stream = decode_stream(bytes, &context);
    let length_at = |offset: usize| usize::from(u16::from_be_bytes([bytes[offset + 16], bytes[offset + 17]]));
    let mut offset = 0;
    let mut expected = Vec::new();
    for (ordinal, result) in stream.results.iter().enumerate() {
        let header_error = result
            .error
            .as_ref()
            .is_some_and(|error| matches!(error.reason, Reason::BadMarker | Reason::BadMessageLength | Reason::BadMessageType));
        if !header_error && bytes[offset + 18] != UPDATE {
            break;
        }
        if let Some(error) = &result.error {
            expected.push((ordinal, offset, error.clone()));
        }
        if result.error.as_ref().is_some_and(|error| error.action == ErrorAction::SessionReset) {
            break;
        }
        offset += length_at(offset);
    }
    let found: Vec<_> = decoded.errors.iter().map(|error| (error.message, error.offset, error.error.clone())).collect();
    assert_eq!(found, expected, "errors as the stream decoder finds them");
    assert_eq!(decoded.consumed, offset, "stops where the stream decoder says");
    serde_json::to_string(&decoded).expect("a route decode result always serialises");
});
