//! The bulk forms of the codec: routes as columns, encoded into the fewest UPDATE messages and
//! decoded from a burst of them (docs/wire-model.md, "Bulk encoding" and "Bulk decoding").

mod columns;
mod decode;
mod encode;

pub use columns::{
    AttributeSet, ColumnsRef, MessageError, RouteColumns, RouteDecodeResult, FAMILY_IPV4,
    FAMILY_IPV6, WITHDRAW,
};
pub use decode::decode_routes;
pub use encode::encode_routes;
