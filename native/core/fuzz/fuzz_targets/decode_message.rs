//! `decode_message` on arbitrary octets: never panics, a session reset comes without a message,
//! and the result serialises to the JSON the binding hands to Node.
#![no_main]

use libfuzzer_sys::fuzz_target;
use porter_core::wire::{decode_message, ErrorAction};
use porter_core_fuzz::split;

fuzz_target!(|data: &[u8]| {
    let (context, bytes) = split(data);
    let result = decode_message(bytes, &context);
    let reset = result.error.as_ref().is_some_and(|error| error.action == ErrorAction::SessionReset);
    assert_eq!(result.message.is_none(), reset, "a message exactly when the session survives");
    serde_json::to_string(&result).expect("a decode result always serialises");
});
