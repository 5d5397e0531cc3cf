//! BGP-4 wire codec (RFC 4271 and extensions); see docs/wire-model.md and docs/wire-errors.md.
//!
//! One file per message, path attributes and capabilities as descriptor tables, decode errors as
//! values. Nothing a peer sends makes the codec panic.

pub mod attribute;
pub mod bulk;
pub mod capability;
pub mod context;
pub mod error;
pub mod family;
pub mod header;
pub mod hex;
pub mod message;
pub mod notification;
pub mod open;
pub mod prefix;
pub mod reader;
pub mod route_refresh;
pub mod stream;
pub mod update;

pub use context::SessionContext;
pub use error::{EncodeError, ErrorAction, WireError};
pub use message::{decode_message, encode_message, DecodeResult, Message};
pub use stream::{decode_stream, StreamDecodeResult};
