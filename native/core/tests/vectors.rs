//! Runs the shared vectors of testdata/wire: every `vectors/*.jsonl` line decodes to its `result`
//! and, when that result has no error, its message encodes back to the same bytes; every
//! `malformed.jsonl` line decodes to its `error`.

use std::fs;
use std::path::{Path, PathBuf};

use porter_core::wire::hex::{from_hex, to_hex};
use porter_core::wire::{decode_message, encode_message, Message, SessionContext};
use serde_json::Value;

fn testdata() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../testdata/wire")
}

/// The lines of a JSON-lines file, with their line numbers.
fn lines(path: &Path) -> Vec<(usize, Value)> {
    let text = fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), index + 1));
            (index + 1, value)
        })
        .collect()
}

fn context_of(line: &Value) -> SessionContext {
    match line.get("context") {
        None | Some(Value::Null) => SessionContext::default(),
        Some(context) => serde_json::from_value(context.clone()).expect("context"),
    }
}

fn bytes_of(line: &Value) -> Vec<u8> {
    from_hex(line["hex"].as_str().expect("hex")).expect("hex")
}

#[test]
fn vectors_decode_and_encode() {
    let mut files: Vec<PathBuf> = fs::read_dir(testdata().join("vectors"))
        .expect("testdata/wire/vectors")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "jsonl"))
        .collect();
    files.sort();
    let mut failures = Vec::new();
    let mut count = 0;
    for file in &files {
        for (number, line) in lines(file) {
            count += 1;
            let place = format!(
                "{}:{number} {}",
                file.file_name().unwrap_or_default().to_string_lossy(),
                line["name"]
            );
            let context = context_of(&line);
            let bytes = bytes_of(&line);
            let decoded =
                serde_json::to_value(decode_message(&bytes, &context)).expect("serialise");
            if decoded != line["result"] {
                failures.push(format!(
                    "{place}: decoded\n  {decoded}\nexpected\n  {}",
                    line["result"]
                ));
                continue;
            }
            if line["result"].get("error").is_some() {
                continue;
            }
            let message: Message = match serde_json::from_value(line["result"]["message"].clone()) {
                Ok(message) => message,
                Err(error) => {
                    failures.push(format!("{place}: message does not parse: {error}"));
                    continue;
                }
            };
            match encode_message(&message, &context) {
                Ok(encoded) if encoded == bytes => {}
                Ok(encoded) => failures.push(format!(
                    "{place}: encoded\n  {}\nexpected\n  {}",
                    to_hex(&encoded),
                    to_hex(&bytes)
                )),
                Err(error) => failures.push(format!("{place}: encode failed: {error}")),
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn malformed_messages_give_their_error() {
    let path = testdata().join("malformed.jsonl");
    if !path.exists() {
        return;
    }
    let mut failures = Vec::new();
    let all = lines(&path);
    for (number, line) in &all {
        let bytes = bytes_of(line);
        let result =
            serde_json::to_value(decode_message(&bytes, &context_of(line))).expect("serialise");
        if result.get("error") != Some(&line["error"]) {
            failures.push(format!(
                "malformed.jsonl:{number} {}: got {result}, expected error {}",
                line["name"], line["error"]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} malformed messages failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}
