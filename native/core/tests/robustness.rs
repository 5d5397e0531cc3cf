//! Nothing a peer sends makes the codec panic: every shared vector, mutated thousands of ways, goes
//! through every decoder, and whatever decodes without error encodes again.

use std::fs;
use std::path::Path;

use porter_core::wire::bulk::decode_routes;
use porter_core::wire::hex::from_hex;
use porter_core::wire::{decode_message, decode_stream, encode_message, SessionContext};

/// The messages of every vector file and of the malformed table.
fn corpus() -> Vec<Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/wire");
    let mut files: Vec<_> = fs::read_dir(root.join("vectors"))
        .expect("vectors")
        .map(|entry| entry.expect("entry").path())
        .collect();
    files.push(root.join("malformed.jsonl"));
    files
        .iter()
        .filter(|path| path.exists())
        .flat_map(|path| {
            fs::read_to_string(path)
                .expect("read")
                .lines()
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(&line).expect("json line");
            from_hex(value["hex"].as_str().expect("hex")).expect("hex")
        })
        .collect()
}

/// A small deterministic generator, so that a failure replays.
struct Random(u64);

impl Random {
    fn below(&mut self, bound: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % bound.max(1)
    }
}

fn contexts() -> Vec<SessionContext> {
    vec![
        SessionContext::default(),
        SessionContext {
            four_octet_as: false,
            ..SessionContext::default()
        },
        SessionContext {
            add_path: vec![
                "ipv4-unicast".parse().unwrap(),
                "ipv6-unicast".parse().unwrap(),
            ],
            ..SessionContext::default()
        },
        SessionContext {
            extended_message: true,
            ..SessionContext::default()
        },
    ]
}

#[test]
fn mutated_messages_decode_to_values() {
    let corpus = corpus();
    let contexts = contexts();
    let mut random = Random(7);
    for round in 0..40_000 {
        let mut bytes = corpus[random.below(corpus.len())].clone();
        match random.below(4) {
            0 => {
                for _ in 0..=random.below(4) {
                    let at = random.below(bytes.len());
                    bytes[at] = [0, 1, 2, 3, 4, 14, 15, 16, 32, 0x40, 0x80, 0xc0, 0x90, 0xff]
                        [random.below(14)];
                }
            }
            1 => {
                let at = random.below(bytes.len());
                bytes[at] ^= 1 << random.below(8);
            }
            2 => bytes.extend_from_slice(&corpus[random.below(corpus.len())]),
            _ => bytes.truncate(random.below(bytes.len() + 1)),
        }
        if round % 2 == 0 && bytes.len() >= 19 {
            // Keep the length field true to the octets so that bodies, not headers, take the blow.
            let length = (bytes.len() as u16).to_be_bytes();
            bytes[16..18].copy_from_slice(&length);
        }
        let context = &contexts[random.below(contexts.len())];
        let result = decode_message(&bytes, context);
        serde_json::to_string(&result).expect("serialise");
        if let (Some(message), None) = (&result.message, &result.error) {
            let encoded = encode_message(message, context);
            assert!(
                encoded.is_ok() || bytes.len() > 4096,
                "{:?}: {encoded:?}",
                porter_core::wire::hex::to_hex(&bytes)
            );
        }
        decode_stream(&bytes, context);
        decode_routes(&bytes, context);
    }
}
