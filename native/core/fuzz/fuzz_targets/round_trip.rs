//! Decode, encode, decode: a message that decodes without an error (or with only attributes
//! discarded) encodes, its encoding decodes cleanly to the same JSON, and encodes to the same octets.
#![no_main]

use libfuzzer_sys::fuzz_target;
use porter_core::wire::{decode_message, encode_message, ErrorAction};
use porter_core_fuzz::split;

fuzz_target!(|data: &[u8]| {
    let (context, bytes) = split(data);
    let decoded = decode_message(bytes, &context);
    let Some(message) = decoded.message else {
        return;
    };
    if decoded.error.is_some_and(|error| error.action != ErrorAction::AttributeDiscard) {
        return;
    }
    let encoded = encode_message(&message, &context).expect("a decoded message encodes");
    let again = decode_message(&encoded, &context);
    assert_eq!(again.error, None, "the encoding of a decoded message is well formed");
    let again = again.message.expect("no error, so a message");
    // JSON is the contract's form of a value (and compares float NaN by its text).
    assert_eq!(
        serde_json::to_string(&again).unwrap(),
        serde_json::to_string(&message).unwrap(),
        "decode(encode(m)) == m"
    );
    assert_eq!(encode_message(&again, &context).expect("encodes again"), encoded, "encoding is a fixpoint");
});
