//! napi-rs binding of porter-core. Logic lives in porter-core; this crate only converts.
//!
//! Structured values cross the boundary as JSON strings (the shapes of engine/wire/types.ts), bytes
//! and route columns as typed arrays, which are read in place. Encoded bytes are returned without a
//! copy; decoded route columns are copied once into the JavaScript engine's memory, so they can move
//! between threads.

use napi::bindgen_prelude::{Buffer, Uint32ArraySlice, Uint8ArraySlice};
use napi::{Env, Error, Result, Status};
use napi_derive::napi;
use porter_core::wire::bulk::{self, AttributeSet, ColumnsRef};
use porter_core::wire::{self, Message, SessionContext};
use serde::de::DeserializeOwned;
use std::cell::RefCell;
use std::rc::Rc;

mod ecmp;
mod sockopt;

/// Version of the native addon, to report which implementation is loaded.
#[napi]
pub fn native_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}

fn parse<T: DeserializeOwned>(json: &str, what: &str) -> Result<T> {
    serde_json::from_str(json)
        .map_err(|error| Error::new(Status::InvalidArg, format!("invalid {what}: {error}")))
}

fn context_of(json: Option<String>) -> Result<SessionContext> {
    json.map_or_else(
        || Ok(SessionContext::default()),
        |json| parse(&json, "session context"),
    )
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value)
        .map_err(|error| Error::new(Status::GenericFailure, error.to_string()))
}

/// Decodes exactly one message (header included). `context` is a SessionContext as JSON; the
/// result is a DecodeResult as JSON. Nothing in `bytes` makes it throw.
#[napi]
pub fn decode_message(bytes: &[u8], context: Option<String>) -> Result<String> {
    to_json(&wire::decode_message(bytes, &context_of(context)?))
}

/// Decodes every whole message of a byte stream; the result is a StreamDecodeResult as JSON.
#[napi]
pub fn decode_stream(bytes: &[u8], context: Option<String>) -> Result<String> {
    to_json(&wire::decode_stream(bytes, &context_of(context)?))
}

/// Encodes one message given as JSON. Throws an Error whose message says why when the value
/// cannot be put on the wire.
#[napi]
pub fn encode_message(message: String, context: Option<String>) -> Result<Buffer> {
    let message: Message = parse(&message, "message")?;
    let bytes = wire::encode_message(&message, &context_of(context)?)
        .map_err(|error| Error::new(Status::InvalidArg, error.to_string()))?;
    Ok(bytes.into())
}

/// Encodes route columns into the fewest UPDATE messages, concatenated. `attributeSets` is the
/// AttributeSet array as JSON. Throws when a route or set cannot be encoded.
#[napi]
pub fn encode_routes(
    family: &[u8],
    prefix_length: &[u8],
    address: &[u8],
    path_id: &[u32],
    attribute_set: &[u32],
    attribute_sets: String,
    context: Option<String>,
) -> Result<Buffer> {
    let sets = parsed_sets(attribute_sets)?;
    let routes = ColumnsRef {
        family,
        prefix_length,
        address,
        path_id,
        attribute_set,
    };
    let bytes = bulk::encode_routes(routes, &sets, &context_of(context)?)
        .map_err(|error| Error::new(Status::InvalidArg, error.to_string()))?;
    Ok(bytes.into())
}

/// How many attribute set lists `parsed_sets` keeps.
const PARSED_SETS_KEPT: usize = 4;

thread_local! {
    /// The attribute set lists parsed last, by their JSON text, most recent first.
    static PARSED_SETS: RefCell<Vec<(String, Rc<Vec<AttributeSet>>)>> = const { RefCell::new(Vec::new()) };
}

/// The attribute sets of this JSON text. Callers encode routes of the same sets call after call,
/// and parsing their JSON costs more than encoding the routes once there are thousands of sets:
/// the lists parsed last are kept by their text, which only the same sets produce.
fn parsed_sets(json: String) -> Result<Rc<Vec<AttributeSet>>> {
    let kept = PARSED_SETS.with_borrow_mut(|kept| {
        let index = kept.iter().position(|(text, _)| *text == json)?;
        let entry = kept.remove(index);
        let sets = Rc::clone(&entry.1);
        kept.insert(0, entry);
        Some(sets)
    });
    if let Some(sets) = kept {
        return Ok(sets);
    }
    let sets: Rc<Vec<AttributeSet>> = Rc::new(parse(&json, "attribute sets")?);
    PARSED_SETS.with_borrow_mut(|kept| {
        kept.truncate(PARSED_SETS_KEPT - 1);
        kept.insert(0, (json, Rc::clone(&sets)));
    });
    Ok(sets)
}

/// The bulk decode of a burst of UPDATE messages: the route columns, and the rest of the
/// RouteDecodeResult (attributeSets, endOfRib, errors, consumed) as JSON. The columns are arrays
/// of the JavaScript engine's own memory, so a worker thread can move them to another thread; an
/// array over the addon's memory would be copied on the way.
#[napi(object)]
pub struct DecodedRoutes<'env> {
    /// Column family code per route (0 ipv4-unicast, 1 ipv6-unicast).
    pub family: Uint8ArraySlice<'env>,
    pub prefix_length: Uint8ArraySlice<'env>,
    /// 16 octets per route in network order.
    pub address: Uint8ArraySlice<'env>,
    /// ADD-PATH identifier per route, 0 where the family carries none.
    pub path_id: Uint32ArraySlice<'env>,
    /// Index into the attribute sets, or 0xffffffff for a withdrawal.
    pub attribute_set: Uint32ArraySlice<'env>,
    /// `{ attributeSets, endOfRib, errors, consumed }` as JSON.
    pub rest: String,
}

/// Decodes a burst of UPDATE messages into route columns and interned attribute sets. Nothing in
/// `bytes` makes it throw.
#[napi]
pub fn decode_routes<'env>(
    env: &'env Env,
    bytes: &[u8],
    context: Option<String>,
) -> Result<DecodedRoutes<'env>> {
    let result = bulk::decode_routes(bytes, &context_of(context)?);
    let rest = to_json(&result)?;
    let routes = result.routes;
    Ok(DecodedRoutes {
        family: Uint8ArraySlice::copy_from(env, routes.family)?,
        prefix_length: Uint8ArraySlice::copy_from(env, routes.prefix_length)?,
        address: Uint8ArraySlice::copy_from(env, routes.address)?,
        path_id: Uint32ArraySlice::copy_from(env, routes.path_id)?,
        attribute_set: Uint32ArraySlice::copy_from(env, routes.attribute_set)?,
        rest,
    })
}
