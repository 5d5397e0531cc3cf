//! Reading a byte stream of messages (docs/wire-model.md, "Streams").

use serde::Serialize;

use super::context::SessionContext;
use super::error::ErrorAction;
use super::message::{decode_body, read_header, DecodeResult};

/// Messages in order and the offset of the first octet not consumed.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StreamDecodeResult {
    pub results: Vec<DecodeResult>,
    pub consumed: usize,
}

/// Decodes every whole message from offset 0, stopping at a partial message (left unconsumed) or at
/// a message that resets the session (reported, and left unconsumed).
pub fn decode_stream(bytes: &[u8], context: &SessionContext) -> StreamDecodeResult {
    let mut results = Vec::new();
    let mut offset = 0;
    while let Some(header) = read_header(&bytes[offset..], context) {
        let header = match header {
            Ok(header) => header,
            Err(error) => {
                results.push(DecodeResult {
                    message: None,
                    error: Some(error),
                });
                break;
            }
        };
        let Some(message) = bytes.get(offset..offset + header.length) else {
            break;
        };
        let result = decode_body(header.kind, message, context);
        let reset = result
            .error
            .as_ref()
            .is_some_and(|error| error.action == ErrorAction::SessionReset);
        results.push(result);
        if reset {
            break;
        }
        offset += header.length;
    }
    StreamDecodeResult {
        results,
        consumed: offset,
    }
}
