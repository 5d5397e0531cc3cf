//! Values the wire cannot carry: each is refused with an error that says why, never written wrong.

use porter_core::wire::{encode_message, Message, SessionContext};
use serde_json::json;

fn update_with(attribute: serde_json::Value) -> serde_json::Value {
    json!({ "type": "update", "withdrawn": [], "attributes": [attribute], "nlri": [] })
}

#[test]
fn refuses_what_does_not_fit() {
    let two_octet = SessionContext {
        four_octet_as: false,
        ..SessionContext::default()
    };
    let standard = SessionContext::default();
    let open = |capability: serde_json::Value| json!({ "type": "open", "version": 4, "myAs": 65001, "holdTime": 90, "bgpId": "192.0.2.1", "capabilities": [capability] });
    let table = [
        (
            update_with(
                json!({ "type": "as-path", "segments": [{ "type": "sequence", "asns": [70000] }] }),
            ),
            &two_octet,
            "as-path: AS 70000 needs 4 octets",
        ),
        (
            update_with(json!({ "type": "aggregator", "asn": 70000, "address": "192.0.2.1" })),
            &two_octet,
            "AGGREGATOR AS 70000 needs 4 octets",
        ),
        (
            update_with(
                json!({ "type": "extended-communities", "values": [{ "type": "raw", "value": "0102" }] }),
            ),
            &standard,
            "is not 8 octets",
        ),
        (
            update_with(
                json!({ "type": "extended-communities", "values": [{ "type": "route-target", "form": "as2", "value": "70000:1" }] }),
            ),
            &standard,
            "route target or origin",
        ),
        (
            update_with(
                json!({ "type": "extended-communities", "values": [{ "type": "link-bandwidth", "transitive": true, "asn": 70000, "bandwidth": 1 }] }),
            ),
            &standard,
            "needs 2 octets",
        ),
        (
            update_with(
                json!({ "type": "mp-reach", "family": "1/300", "nextHopData": "", "nlriData": "" }),
            ),
            &standard,
            "SAFI above 255",
        ),
        (
            update_with(
                json!({ "type": "mp-reach", "family": "ipv4-vpn", "nextHops": ["192.0.2.1"], "nlri": [] }),
            ),
            &standard,
            "no decoded form",
        ),
        (
            update_with(
                json!({ "type": "mp-unreach", "family": "ipv6-unicast", "withdrawn": [{ "prefix": "10.0.0.0/8" }] }),
            ),
            &standard,
            "is not of family ipv6-unicast",
        ),
        (
            json!({ "type": "update", "withdrawn": [{ "prefix": "10.0.0.0/8", "pathId": 1 }], "attributes": [], "nlri": [] }),
            &standard,
            "not in the ADD-PATH context",
        ),
        (
            update_with(
                json!({ "type": "unknown", "code": 99, "flags": 192, "data": "00".repeat(4096) }),
            ),
            &standard,
            "exceeds the 4096-octet limit",
        ),
        (
            open(
                json!({ "type": "graceful-restart", "restarting": false, "notification": false, "restartTime": 5000, "families": [] }),
            ),
            &standard,
            "exceeds 4095 seconds",
        ),
        (
            open(
                json!({ "type": "long-lived-graceful-restart", "families": [{ "family": "ipv4-unicast", "forwarding": true, "staleTime": 16777216 }] }),
            ),
            &standard,
            "exceeds 3 octets",
        ),
        (
            open(json!({ "type": "unknown", "code": 99, "data": "00".repeat(256) })),
            &standard,
            "longer than 255 octets",
        ),
        (
            json!({ "type": "notification", "code": 6, "subcode": 2, "data": "", "shutdownMessage": "x".repeat(256) }),
            &standard,
            "exceeds 255",
        ),
        (
            json!({ "type": "route-refresh", "family": "1/300", "subtype": 0 }),
            &standard,
            "SAFI above 255",
        ),
    ];
    for (value, context, reason) in table {
        let message: Message = serde_json::from_value(value.clone()).expect("message");
        let error = encode_message(&message, context).expect_err(reason);
        assert!(error.0.contains(reason), "{value}: {error}");
    }
}

#[test]
fn refuses_values_outside_their_type() {
    for value in [
        json!({ "type": "open", "version": 4, "myAs": 70000, "holdTime": 90, "bgpId": "192.0.2.1", "capabilities": [] }),
        json!({ "type": "update", "withdrawn": [{ "prefix": "10.0.0.0/33" }], "attributes": [], "nlri": [] }),
        json!({ "type": "update", "withdrawn": [], "attributes": [{ "type": "communities", "values": ["65536:1"] }], "nlri": [] }),
        json!({ "type": "update", "withdrawn": [], "attributes": [{ "type": "origin", "value": "bgp" }], "nlri": [] }),
        json!({ "type": "route-refresh", "family": "ipv7-unicast", "subtype": 0 }),
        json!({ "type": "notification", "code": 6, "subcode": 2, "data": "0g" }),
    ] {
        assert!(
            serde_json::from_value::<Message>(value.clone()).is_err(),
            "{value}"
        );
    }
}
