//! napi-rs binding of porter-core. Logic lives in porter-core; this crate only converts.

use napi_derive::napi;

/// Version of the native addon, to report which implementation is loaded.
#[napi]
pub fn native_version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
