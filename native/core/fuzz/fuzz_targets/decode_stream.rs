//! `decode_stream` on arbitrary octets: never panics, consumes whole messages only, and stops at
//! the first session reset.
#![no_main]

use libfuzzer_sys::fuzz_target;
use porter_core::wire::{decode_message, decode_stream, ErrorAction};
use porter_core_fuzz::split;

fuzz_target!(|data: &[u8]| {
    let (context, bytes) = split(data);
    let stream = decode_stream(bytes, &context);
    assert!(stream.consumed <= bytes.len());
    let resets = stream
        .results
        .iter()
        .filter(|result| result.error.as_ref().is_some_and(|error| error.action == ErrorAction::SessionReset))
        .count();
    let stopped_at_reset = stream
        .results
        .last()
        .and_then(|result| result.error.as_ref())
        .is_some_and(|error| error.action == ErrorAction::SessionReset);
    assert!(resets == 0 || (resets == 1 && stopped_at_reset), "a reset ends the stream");

    // The consumed messages, decoded one by one, give the same results.
    let mut offset = 0;
    for result in stream.results.iter().take(stream.results.len() - usize::from(stopped_at_reset)) {
        let length = usize::from(u16::from_be_bytes([bytes[offset + 16], bytes[offset + 17]]));
        let alone = decode_message(&bytes[offset..offset + length], &context);
        // Compared as JSON, the contract's form (a float NaN equals itself there).
        assert_eq!(serde_json::to_string(&alone).unwrap(), serde_json::to_string(result).unwrap());
        offset += length;
    }
    assert_eq!(offset, stream.consumed);
    serde_json::to_string(&stream).expect("a stream result always serialises");
});
