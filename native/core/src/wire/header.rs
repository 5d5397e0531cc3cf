//! The message header (RFC 4271 section 4.1) and its checks (section 6.1).
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                                                               |
//! +                                                               +
//! |                                                               |
//! +                                                               +
//! |                           Marker                              |
//! +                                                               +
//! |                                                               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |          Length               |      Type     |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```

use super::context::{SessionContext, EXTENDED_MESSAGE_LIMIT, STANDARD_MESSAGE_LIMIT};
use super::error::{EncodeError, Reason, WireError};

pub const HEADER_LEN: usize = 19;
const MARKER: [u8; 16] = [0xff; 16];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MessageType {
    Open = 1,
    Update = 2,
    Notification = 3,
    Keepalive = 4,
    RouteRefresh = 5,
}

impl MessageType {
    fn from_octet(octet: u8) -> Option<MessageType> {
        Some(match octet {
            1 => MessageType::Open,
            2 => MessageType::Update,
            3 => MessageType::Notification,
            4 => MessageType::Keepalive,
            5 => MessageType::RouteRefresh,
            _ => return None,
        })
    }

    /// Shortest valid length of the type (RFC 4271 section 4).
    fn min_length(self) -> usize {
        match self {
            MessageType::Open => 29,
            MessageType::Update => 23,
            MessageType::Notification => 21,
            MessageType::Keepalive | MessageType::RouteRefresh => HEADER_LEN,
        }
    }

    /// Longest valid length: RFC 8654 section 3 leaves OPEN and KEEPALIVE at 4,096 octets.
    pub fn max_length(self, context: &SessionContext) -> usize {
        match self {
            MessageType::Open | MessageType::Keepalive => STANDARD_MESSAGE_LIMIT,
            _ => context.update_limit(),
        }
    }
}

/// A header that passed the checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Header {
    pub kind: MessageType,
    pub length: usize,
}

/// Checks the 19 header octets: marker, then length, then type, then the length the type allows.
/// `size`, when the caller holds exactly one message, is its size, which the length must match.
pub fn check_header(
    header: &[u8; HEADER_LEN],
    size: Option<usize>,
    context: &SessionContext,
) -> Result<Header, WireError> {
    if header[..16] != MARKER {
        return Err(WireError::reset(Reason::BadMarker, &[]));
    }
    let length_field = &header[16..18];
    let length = usize::from(u16::from_be_bytes([header[16], header[17]]));
    let bad_length = || WireError::reset(Reason::BadMessageLength, length_field);
    let limit = if context.extended_message {
        EXTENDED_MESSAGE_LIMIT
    } else {
        STANDARD_MESSAGE_LIMIT
    };
    if length < HEADER_LEN || length > limit || size.is_some_and(|size| size != length) {
        return Err(bad_length());
    }
    let kind = MessageType::from_octet(header[18])
        .ok_or_else(|| WireError::reset(Reason::BadMessageType, &header[18..]))?;
    let fits = length >= kind.min_length() && length <= kind.max_length(context);
    if !fits || (kind == MessageType::Keepalive && length != HEADER_LEN) {
        return Err(bad_length());
    }
    Ok(Header { kind, length })
}

/// Starts a message: the marker, a length to be filled in by `finish_message`, and the type.
pub fn start_message(out: &mut Vec<u8>, kind: MessageType) -> usize {
    let start = out.len();
    out.extend_from_slice(&MARKER);
    out.extend_from_slice(&[0, 0, kind as u8]);
    start
}

/// Writes the length of the message begun at `start`, refusing one longer than the type allows.
pub fn finish_message(
    out: &mut [u8],
    start: usize,
    kind: MessageType,
    context: &SessionContext,
) -> Result<(), EncodeError> {
    let length = out.len() - start;
    let limit = kind.max_length(context);
    if length > limit {
        return Err(EncodeError::new(format!(
            "{kind:?} message of {length} octets exceeds the {limit}-octet limit"
        )));
    }
    out[start + 16..start + 18].copy_from_slice(&(length as u16).to_be_bytes());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::hex::to_hex;

    fn header(length: u16, kind: u8) -> [u8; HEADER_LEN] {
        let mut octets = [0xff; HEADER_LEN];
        octets[16..18].copy_from_slice(&length.to_be_bytes());
        octets[18] = kind;
        octets
    }

    type Expected = Result<(MessageType, usize), (Reason, &'static str)>;

    #[test]
    fn checks_headers() {
        let standard = SessionContext::default();
        let extended = SessionContext {
            extended_message: true,
            ..SessionContext::default()
        };
        let table: &[([u8; HEADER_LEN], &SessionContext, Expected)] = &[
            (header(19, 4), &standard, Ok((MessageType::Keepalive, 19))),
            (
                header(20, 4),
                &standard,
                Err((Reason::BadMessageLength, "0014")),
            ),
            (
                header(18, 4),
                &standard,
                Err((Reason::BadMessageLength, "0012")),
            ),
            (
                header(19, 6),
                &standard,
                Err((Reason::BadMessageType, "06")),
            ),
            (
                header(4097, 2),
                &standard,
                Err((Reason::BadMessageLength, "1001")),
            ),
            (header(4097, 2), &extended, Ok((MessageType::Update, 4097))),
            (
                header(4097, 1),
                &extended,
                Err((Reason::BadMessageLength, "1001")),
            ),
            (
                header(22, 2),
                &standard,
                Err((Reason::BadMessageLength, "0016")),
            ),
            (
                header(28, 1),
                &standard,
                Err((Reason::BadMessageLength, "001c")),
            ),
            (
                header(20, 3),
                &standard,
                Err((Reason::BadMessageLength, "0014")),
            ),
            (
                header(19, 5),
                &standard,
                Ok((MessageType::RouteRefresh, 19)),
            ),
        ];
        for (octets, context, expected) in table {
            let got = check_header(octets, None, context)
                .map(|h| (h.kind, h.length))
                .map_err(|e| (e.reason, to_hex(&e.data.0)));
            assert_eq!(
                got,
                expected.map_err(|(r, d)| (r, d.to_string())),
                "{octets:?}"
            );
        }
        let mut bad_marker = header(19, 4);
        bad_marker[3] = 0;
        assert_eq!(
            check_header(&bad_marker, None, &standard)
                .unwrap_err()
                .reason,
            Reason::BadMarker
        );
    }
}
