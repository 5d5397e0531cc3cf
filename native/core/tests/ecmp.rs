//! Runs the shared ECMP vectors of testdata/ecmp (written by engine/ecmp/generate-vectors.ts from
//! the TypeScript reference) through the Rust core: XXH32 values, Maglev permutations, tables of
//! every policy across group changes (resilient tables rebuilt from the previous step), and the
//! next-hop index of every flow of the selection batches.

use std::fs;
use std::path::{Path, PathBuf};

use porter_core::ecmp::flow::{key_words, IPV4_STRIDE, IPV6_STRIDE};
use porter_core::ecmp::policies::{maglev, Previous};
use porter_core::ecmp::xxh32::{xxh32_bytes, xxh32_words};
use porter_core::ecmp::{build_table, check_group, hash_batch, select_batch, PolicyName};
use porter_core::wire::hex::from_hex;
use serde_json::Value;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/ecmp")
}

fn lines(name: &str) -> Vec<Value> {
    let path = testdata().join(name);
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{name}: {e}")))
        .collect()
}

fn u32s(value: &Value) -> Vec<u32> {
    value
        .as_array()
        .expect("array")
        .iter()
        .map(|n| n.as_u64().expect("number") as u32)
        .collect()
}

fn group_of(value: &Value) -> (Vec<String>, Vec<u32>) {
    value["nextHops"]
        .as_array()
        .expect("nextHops")
        .iter()
        .map(|hop| {
            let name = hop["name"].as_str().expect("name").to_string();
            (name, hop["weight"].as_u64().expect("weight") as u32)
        })
        .unzip()
}

fn config_of(value: &Value) -> (PolicyName, Option<u32>) {
    let policy = PolicyName::parse(value["policy"].as_str().expect("policy")).expect("policy");
    (
        policy,
        value
            .get("size")
            .map(|size| size.as_u64().expect("size") as u32),
    )
}

fn table_for(
    group: &Value,
    config: &Value,
    previous: Option<Previous<'_>>,
) -> Result<Vec<u32>, String> {
    let (names, weights) = group_of(group);
    let (policy, size) = config_of(config);
    let checked = check_group(&names, &weights).map_err(|e| e.0)?;
    build_table(policy, &checked, size, previous).map_err(|e| e.0)
}

#[test]
fn xxh32_matches_the_vectors() {
    let vectors = lines("xxh32.jsonl");
    assert!(vectors.len() >= 30);
    for vector in vectors {
        let bytes = from_hex(vector["hex"].as_str().expect("hex")).expect("hex");
        let seed = vector["seed"].as_u64().expect("seed") as u32;
        assert_eq!(
            u64::from(xxh32_bytes(&bytes, seed)),
            vector["hash"].as_u64().expect("hash"),
            "{vector}"
        );
    }
}

#[test]
fn maglev_permutations_match_the_vectors() {
    for vector in lines("maglev-permutations.jsonl") {
        let size = vector["size"].as_u64().expect("size") as u32;
        let (offset, skip) = maglev::permutation_of(vector["name"].as_str().expect("name"), size);
        assert_eq!(
            (u64::from(offset), u64::from(skip)),
            (
                vector["offset"].as_u64().unwrap(),
                vector["skip"].as_u64().unwrap()
            ),
            "{vector}"
        );
    }
}

#[test]
fn tables_match_the_vectors_step_by_step() {
    let vectors = lines("tables.jsonl");
    assert_eq!(vectors.len(), 12);
    for vector in vectors {
        let name = vector["name"].as_str().expect("name");
        let mut previous: Option<(Vec<String>, Vec<u32>)> = None;
        for (number, step) in vector["steps"]
            .as_array()
            .expect("steps")
            .iter()
            .enumerate()
        {
            let place = format!("{name}, step {number}");
            let built = table_for(
                &step["group"],
                &vector["config"],
                previous
                    .as_ref()
                    .map(|(names, table)| Previous { names, table }),
            );
            if let Some(error) = step.get("error") {
                assert_eq!(
                    built,
                    Err(error.as_str().expect("error").to_string()),
                    "{place}"
                );
                continue;
            }
            let table = built.unwrap_or_else(|e| panic!("{place}: {e}"));
            assert_eq!(
                table.len() as u64,
                step["length"].as_u64().unwrap(),
                "{place}"
            );
            assert_eq!(
                table[..table.len().min(32)],
                u32s(&step["head"])[..],
                "{place}"
            );
            let mut counts = vec![0u32; u32s(&step["counts"]).len()];
            for &entry in &table {
                counts[entry as usize] += 1;
            }
            assert_eq!(counts, u32s(&step["counts"]), "{place}");
            assert_eq!(
                u64::from(xxh32_words(&table, 0)),
                step["xxh32"].as_u64().unwrap(),
                "{place}"
            );
            previous = Some((group_of(&step["group"]).0, table));
        }
    }
}

#[test]
fn selection_matches_the_vectors() {
    let vectors = lines("selection.jsonl");
    assert_eq!(vectors.len(), 24);
    for vector in vectors {
        let name = vector["name"].as_str().expect("name");
        let stride = if vector["family"] == "ipv4" {
            IPV4_STRIDE
        } else {
            IPV6_STRIDE
        };
        let key = key_words(stride, vector["hash"]["fields"] == "five-tuple");
        let seed = vector["hash"]["seed"].as_u64().expect("seed") as u32;
        let words = u32s(&vector["words"]);
        let count = words.len() / stride;
        let table = table_for(&vector["group"], &vector["config"], None).expect(name);

        let mut hashes = vec![0; count];
        hash_batch(&words, stride, key, count, seed, &mut hashes).expect(name);
        assert_eq!(hashes, u32s(&vector["hashes"]), "{name}");
        let mut indices = vec![0; count];
        select_batch(&words, stride, key, count, seed, &table, &mut indices).expect(name);
        assert_eq!(indices, u32s(&vector["indices"]), "{name}");
    }
}

#[test]
fn maglev_fills_the_paper_example() {
    // Eisenbud et al. 2016, Table 1: offsets 3, 0, 3 and skips 4, 2, 1 in a table of 7. Without
    // B1, its entries 0 and 2 go to B0, and entry 6 moves from B0 to B2: the disruption beyond a
    // removed backend's own entries that the paper describes.
    assert_eq!(
        maglev::fill(&[3, 0, 3], &[4, 2, 1], &[1, 1, 1], 7),
        [1, 0, 1, 0, 2, 2, 0]
    );
    assert_eq!(
        maglev::fill(&[3, 3], &[4, 1], &[1, 1], 7),
        [0, 0, 0, 0, 1, 1, 1]
    );
}

#[test]
fn batches_too_short_are_refused() {
    let mut out = vec![0; 3];
    assert!(select_batch(&[0; 8], 4, 4, 3, 0, &[0], &mut out).is_err());
    assert!(select_batch(&[0; 12], 4, 4, 3, 0, &[], &mut out).is_err());
    assert!(select_batch(&[0; 12], 4, 5, 3, 0, &[0], &mut out).is_err());
    assert!(select_batch(&[0; 12], 4, 4, 4, 0, &[0], &mut out).is_err());
}
