//! The bulk forms: exact bytes of small cases, greedy packing at the size limit, and the round
//! trip through `decode_routes`, which must agree with `decode_message` on every message.

use std::net::IpAddr;

use porter_core::wire::bulk::{
    decode_routes, encode_routes, AttributeSet, RouteColumns, FAMILY_IPV4, FAMILY_IPV6, WITHDRAW,
};
use porter_core::wire::hex::{from_hex, to_hex};
use porter_core::wire::prefix::IpPrefix;
use porter_core::wire::{decode_message, decode_stream, SessionContext};
use serde_json::json;

/// Columns from (prefix, path id, set) rows.
fn columns(rows: &[(&str, u32, u32)]) -> RouteColumns {
    let mut routes = RouteColumns::default();
    for &(text, path_id, set) in rows {
        let prefix: IpPrefix = text.parse().expect("prefix");
        let (family, octets) = match prefix.address {
            IpAddr::V4(address) => (FAMILY_IPV4, address.octets().to_vec()),
            IpAddr::V6(address) => (FAMILY_IPV6, address.octets().to_vec()),
        };
        routes.push(family, prefix.length, &octets, path_id, set);
    }
    routes
}

fn sets(value: serde_json::Value) -> Vec<AttributeSet> {
    serde_json::from_value(value).expect("attribute sets")
}

fn basic_sets() -> Vec<AttributeSet> {
    sets(json!([
        { "nextHops": ["192.0.2.1"], "attributes": [
            { "type": "as-path", "segments": [{ "type": "sequence", "asns": [65001] }] },
            { "type": "origin", "value": "igp" },
        ] },
        { "nextHops": ["2001:db8::1"], "attributes": [
            { "type": "origin", "value": "igp" },
            { "type": "as-path", "segments": [] },
        ] },
    ]))
}

/// Splits a stream of messages, checking each decodes alone without error.
fn messages(bytes: &[u8], context: &SessionContext) -> Vec<String> {
    let stream = decode_stream(bytes, context);
    assert_eq!(stream.consumed, bytes.len());
    let mut offset = 0;
    stream
        .results
        .iter()
        .map(|result| {
            assert!(result.error.is_none(), "{:?}", result.error);
            let length = usize::from(u16::from_be_bytes([bytes[offset + 16], bytes[offset + 17]]));
            let message = &bytes[offset..offset + length];
            assert_eq!(decode_message(message, context), *result);
            offset += length;
            to_hex(&message[19..])
        })
        .collect()
}

#[test]
fn encodes_each_form_in_order() {
    let routes = columns(&[
        ("2001:db8:1::/48", 0, 1),
        ("198.51.100.0/24", 0, 0),
        ("2001:db8:2::/48", 0, WITHDRAW),
        ("203.0.113.0/24", 0, WITHDRAW),
        ("10.0.0.0/8", 0, 1),
        ("192.0.2.128/25", 0, 0),
    ]);
    let context = SessionContext::default();
    let bytes = encode_routes(routes.as_ref(), &basic_sets(), &context).unwrap();
    let expected = [
        // IPv4 withdrawals in the Withdrawn Routes field.
        "0004 18cb0071 0000",
        // IPv6 withdrawals in a lone MP_UNREACH_NLRI.
        "0000 000d 800f0a 000201 3020010db80002",
        // Set 0: IPv4 in the NLRI field, NEXT_HOP added, attributes by type code.
        "0000 0014 40010100 4002060201 0000fde9 400304c0000201 18c63364 19c0000280",
        // Set 1, IPv4 over an IPv6 next hop (RFC 8950): MP_REACH_NLRI first.
        "0000 0021 800e17 000101 10 20010db8000000000000000000000001 00 080a 40010100 400200",
        // Set 1, IPv6.
        "0000 0026 800e1c 000201 10 20010db8000000000000000000000001 00 3020010db80001 40010100 400200",
    ];
    assert_eq!(
        messages(&bytes, &context),
        expected.map(|hex| hex.replace(' ', ""))
    );
}

/// The UPDATE lengths in a stream.
fn lengths(bytes: &[u8]) -> Vec<usize> {
    let mut lengths = Vec::new();
    let mut offset = 0;
    while offset < bytes.len() {
        let length = usize::from(u16::from_be_bytes([bytes[offset + 16], bytes[offset + 17]]));
        lengths.push(length);
        offset += length;
    }
    lengths
}

#[test]
fn packs_greedily_up_to_the_limit() {
    let rows: Vec<(String, u32, u32)> = (0..3000u32)
        .map(|i| (format!("10.{}.{}.0/24", i / 256, i % 256), i, 0))
        .collect();
    let rows: Vec<(&str, u32, u32)> = rows
        .iter()
        .map(|(p, id, set)| (p.as_str(), *id, *set))
        .collect();
    let routes = columns(&rows);
    let table = [
        // 4,096 - 23 - 20 octets of attributes leave room for 1,013 prefixes of 4 octets.
        (SessionContext::default(), vec![4095, 4095, 3939]),
        // With path identifiers each prefix takes 8 octets: 506 per message.
        (
            SessionContext {
                add_path: vec!["ipv4-unicast".parse().unwrap()],
                ..SessionContext::default()
            },
            vec![4091; 5].into_iter().chain([3803]).collect(),
        ),
        // Extended messages hold all 3,000 in one.
        (
            SessionContext {
                extended_message: true,
                ..SessionContext::default()
            },
            vec![12043],
        ),
    ];
    for (context, expected) in table {
        let bytes = encode_routes(routes.as_ref(), &basic_sets(), &context).unwrap();
        assert_eq!(lengths(&bytes), expected);
        let decoded = decode_routes(&bytes, &context);
        assert_eq!(
            decoded.routes,
            routes_with_path_ids(&routes, !context.add_path.is_empty())
        );
        assert_eq!(decoded.consumed, bytes.len());
    }
}

/// The columns as decoded: path identifiers read as 0 where the family carries none.
fn routes_with_path_ids(routes: &RouteColumns, carried: bool) -> RouteColumns {
    let mut expected = routes.clone();
    if !carried {
        expected.path_id.iter_mut().for_each(|id| *id = 0);
    }
    expected
}

#[test]
fn mp_attribute_takes_the_extended_length_past_255_octets() {
    let rows: Vec<String> = (0..40u32).map(|i| format!("2001:db8:{i:x}::/64")).collect();
    let rows: Vec<(&str, u32, u32)> = rows.iter().map(|p| (p.as_str(), 0, 1)).collect();
    let context = SessionContext::default();
    let bytes = encode_routes(columns(&rows[..26]).as_ref(), &basic_sets(), &context).unwrap();
    // 26 prefixes of 9 octets: a value of 21 + 234 = 255 octets keeps the 1-octet length.
    assert_eq!(&to_hex(&bytes[19..26]), "00000109800eff");
    let bytes = encode_routes(columns(&rows[..27]).as_ref(), &basic_sets(), &context).unwrap();
    assert_eq!(&to_hex(&bytes[19..27]), "00000113900e0108");
    messages(&bytes, &context);
}

/// A deterministic mix of families, withdrawals and sets.
fn mixed_routes(count: u32) -> RouteColumns {
    let mut routes = RouteColumns::default();
    let mut state = 12345u32;
    for _ in 0..count {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
        let family = (state >> 8) as u8 & 1;
        let length = if family == FAMILY_IPV4 {
            (state >> 16) as u8 % 33
        } else {
            (state >> 16) as u8 % 129
        };
        let set = match (state >> 24) % 5 {
            0 => WITHDRAW,
            pick if family == FAMILY_IPV4 => pick % 3,
            pick => 1 + pick % 2,
        };
        let mut address = [0u8; 16];
        for (i, octet) in address
            .iter_mut()
            .enumerate()
            .take(usize::from(length).div_ceil(8))
        {
            *octet = (state.rotate_left(i as u32 * 3) & 0xff) as u8;
        }
        routes.push(family, length, &address, state % 7, set);
    }
    routes
}

fn mixed_sets() -> Vec<AttributeSet> {
    let mut sets = basic_sets();
    sets.extend(self::sets(json!([{ "nextHops": ["2001:db8::2", "fe80::2"], "attributes": [
        { "type": "large-communities", "values": ["65000:1:2"] },
        { "type": "origin", "value": "incomplete" },
        { "type": "as-path", "segments": [{ "type": "sequence", "asns": [65002, 4_200_000_000u32] }] },
        { "type": "extended-communities", "values": [{ "type": "link-bandwidth", "transitive": false, "asn": 65002, "bandwidth": 125000000 }] },
        { "type": "med", "value": 10 },
    ] }])));
    sets
}

#[test]
fn decodes_what_it_encodes() {
    let routes = mixed_routes(5000);
    let sets = mixed_sets();
    for context in [
        SessionContext::default(),
        SessionContext {
            add_path: vec![
                "ipv4-unicast".parse().unwrap(),
                "ipv6-unicast".parse().unwrap(),
            ],
            ..SessionContext::default()
        },
    ] {
        let bytes = encode_routes(routes.as_ref(), &sets, &context).unwrap();
        messages(&bytes, &context);
        let decoded = decode_routes(&bytes, &context);
        assert!(decoded.errors.is_empty());
        assert_eq!(decoded.consumed, bytes.len());
        // Rows come back grouped: IPv4 then IPv6 withdrawals, then by set, IPv4 before IPv6.
        let key = |i: usize| match routes.attribute_set[i] {
            WITHDRAW => u64::from(routes.family[i]),
            set => 2 + 2 * u64::from(set) + u64::from(routes.family[i]),
        };
        let mut order: Vec<usize> = (0..routes.len()).collect();
        order.sort_by_key(|&i| key(i));
        let mut expected = RouteColumns::default();
        for i in order {
            let path_id = if context.add_path.is_empty() {
                0
            } else {
                routes.path_id[i]
            };
            let octets =
                &routes.address[i * 16..i * 16 + usize::from(routes.prefix_length[i]).div_ceil(8)];
            expected.push(
                routes.family[i],
                routes.prefix_length[i],
                octets,
                path_id,
                routes.attribute_set[i],
            );
        }
        assert_eq!(decoded.routes, expected);
        // The sets are interned in order of first appearance, attributes in wire order.
        let mut wire_order = sets.clone();
        wire_order
            .iter_mut()
            .for_each(|set| set.attributes.sort_by_key(|a| a.value.code()));
        assert_eq!(decoded.attribute_sets, wire_order);
    }
}

fn update(value: serde_json::Value) -> Vec<u8> {
    let message = serde_json::from_value(value).expect("message");
    porter_core::wire::encode_message(&message, &SessionContext::default()).expect("encode")
}

#[test]
fn reports_errors_end_of_rib_and_where_it_stopped() {
    let good = update(
        json!({ "type": "update", "withdrawn": [{ "prefix": "203.0.113.0/24" }], "attributes": [
        { "type": "origin", "value": "igp" },
        { "type": "as-path", "segments": [] },
        { "type": "next-hop", "value": "192.0.2.1" },
        { "type": "med", "value": 5 },
    ], "nlri": [{ "prefix": "198.51.100.0/24" }] }),
    );
    let missing_as_path = update(json!({ "type": "update", "withdrawn": [], "attributes": [
        { "type": "origin", "value": "igp" },
        { "type": "next-hop", "value": "192.0.2.1" },
    ], "nlri": [{ "prefix": "192.0.2.0/24" }] }));
    let end_of_rib_v4 =
        update(json!({ "type": "update", "withdrawn": [], "attributes": [], "nlri": [] }));
    let end_of_rib_v6 = update(json!({ "type": "update", "withdrawn": [], "attributes": [
        { "type": "mp-unreach", "family": "ipv6-unicast", "withdrawn": [] },
    ], "nlri": [] }));
    let end_of_rib_vpn = update(json!({ "type": "update", "withdrawn": [], "attributes": [
        { "type": "mp-unreach", "family": "ipv4-vpn", "nlriData": "" },
    ], "nlri": [] }));
    let disabled_v6 = update(json!({ "type": "update", "withdrawn": [], "attributes": [
        { "type": "mp-reach", "family": "ipv6-unicast", "nextHopData": "c0000201", "nlriData": "3020010db8000a" },
        { "type": "origin", "value": "igp" },
        { "type": "as-path", "segments": [] },
        { "type": "next-hop", "value": "192.0.2.9" },
    ], "nlri": [{ "prefix": "10.0.0.0/8" }] }));
    let keepalive = from_hex("ffffffffffffffffffffffffffffffff001304").unwrap();
    let burst = [
        &end_of_rib_v4[..],
        &good,
        &missing_as_path,
        &end_of_rib_v6,
        &disabled_v6,
        &end_of_rib_vpn,
        &keepalive,
        &good,
    ]
    .concat();
    let decoded = decode_routes(&burst, &SessionContext::default());
    let stop = burst.len() - keepalive.len() - good.len();
    assert_eq!(decoded.consumed, stop);
    assert_eq!(
        decoded.routes,
        columns(&[
            ("203.0.113.0/24", 0, WITHDRAW),
            ("198.51.100.0/24", 0, 0),
            ("192.0.2.0/24", 0, WITHDRAW),
            ("10.0.0.0/8", 0, 1)
        ])
    );
    let missing_offset = end_of_rib_v4.len() + good.len();
    let disabled_offset = missing_offset + missing_as_path.len() + end_of_rib_v6.len();
    assert_eq!(
        serde_json::to_value(&decoded).unwrap(),
        json!({
            "attributeSets": [
                { "nextHops": ["192.0.2.1"], "attributes": [
                    { "type": "origin", "value": "igp" }, { "type": "as-path", "segments": [] }, { "type": "med", "value": 5 },
                ] },
                { "nextHops": ["192.0.2.9"], "attributes": [
                    { "type": "origin", "value": "igp" }, { "type": "as-path", "segments": [] },
                ] },
            ],
            "endOfRib": ["ipv4-unicast", "ipv6-unicast", "ipv4-vpn"],
            "errors": [
                { "message": 2, "offset": missing_offset, "error": {
                    "action": "treat-as-withdraw", "code": 3, "subcode": 3, "reason": "missing-well-known-attribute", "data": "02", "attribute": 2 } },
                { "message": 4, "offset": disabled_offset, "error": {
                    "action": "afi-safi-disable", "code": 3, "subcode": 9, "reason": "malformed-mp-reach",
                    "data": "800e10000201".to_owned() + "04c000020100" + "3020010db8000a", "attribute": 14, "family": "ipv6-unicast" } },
            ],
            "consumed": stop,
        })
    );
}

#[test]
fn stops_at_a_session_reset_and_takes_its_rows_back() {
    let good = update(
        json!({ "type": "update", "withdrawn": [{ "prefix": "203.0.113.0/24" }], "attributes": [], "nlri": [] }),
    );
    let mut bad = update(
        json!({ "type": "update", "withdrawn": [{ "prefix": "198.51.100.0/24" }], "attributes": [], "nlri": [{ "prefix": "10.0.0.0/8" }] }),
    );
    // NLRI of 33 bits: the withdrawal before it must not stay.
    let last = bad.len() - 2;
    bad[last] = 33;
    let burst = [&good[..], &bad, &good].concat();
    let decoded = decode_routes(&burst, &SessionContext::default());
    assert_eq!(decoded.routes, columns(&[("203.0.113.0/24", 0, WITHDRAW)]));
    assert_eq!(decoded.consumed, good.len());
    assert_eq!(decoded.errors.len(), 1);
    assert_eq!(
        (decoded.errors[0].message, decoded.errors[0].offset),
        (1, good.len())
    );
    assert_eq!(
        decoded.errors[0].error,
        decode_message(&bad, &SessionContext::default())
            .error
            .unwrap()
    );
    // A partial message is left for later, without error.
    let decoded = decode_routes(&burst[..good.len() + 10], &SessionContext::default());
    assert_eq!((decoded.consumed, decoded.errors.len()), (good.len(), 0));
}

#[test]
fn refuses_routes_it_cannot_encode() {
    let context = SessionContext::default();
    let cases: Vec<(RouteColumns, Vec<AttributeSet>, &str)> = vec![
        (
            columns(&[("2001:db8::/32", 0, 0)]),
            basic_sets(),
            "cannot carry ipv6-unicast routes",
        ),
        (
            columns(&[("10.0.0.0/8", 0, 2)]),
            basic_sets(),
            "names attribute set 2 of 2",
        ),
        (
            columns(&[("10.0.0.0/8", 0, 0)]),
            sets(
                json!([{ "nextHops": ["192.0.2.1"], "attributes": [{ "type": "next-hop", "value": "192.0.2.1" }] }]),
            ),
            "next hops belong in nextHops",
        ),
    ];
    for (routes, sets, message) in cases {
        let error = encode_routes(routes.as_ref(), &sets, &context).unwrap_err();
        assert!(error.0.contains(message), "{error}");
    }
    let mut bad_family = columns(&[("10.0.0.0/8", 0, 0)]);
    bad_family.family[0] = 7;
    assert!(encode_routes(bad_family.as_ref(), &basic_sets(), &context).is_err());
    let mut bad_length = columns(&[("10.0.0.0/8", 0, 0)]);
    bad_length.prefix_length[0] = 33;
    assert!(encode_routes(bad_length.as_ref(), &basic_sets(), &context).is_err());
    let mut short = columns(&[("10.0.0.0/8", 0, 0)]);
    short.address.pop();
    assert!(encode_routes(short.as_ref(), &basic_sets(), &context).is_err());
}
