//! What the fuzz targets share: the session context chosen by an input's first octet.

use porter_core::wire::family::{IPV4_UNICAST, IPV6_UNICAST};
use porter_core::wire::SessionContext;

/// Splits a fuzz input into a session context and the bytes to decode. The first octet's low
/// bits choose the context, so every corpus entry pins the rules its bytes are read under:
/// 0x01 2-octet AS, 0x02 extended messages, 0x04 ADD-PATH for ipv4-unicast, 0x08 for ipv6-unicast.
pub fn split(data: &[u8]) -> (SessionContext, &[u8]) {
    let Some((&flags, bytes)) = data.split_first() else {
        return (SessionContext::default(), data);
    };
    let mut add_path = Vec::new();
    if flags & 0x04 != 0 {
        add_path.push(IPV4_UNICAST);
    }
    if flags & 0x08 != 0 {
        add_path.push(IPV6_UNICAST);
    }
    let context = SessionContext {
        four_octet_as: flags & 0x01 == 0,
        add_path,
        extended_message: flags & 0x02 != 0,
    };
    (context, bytes)
}
