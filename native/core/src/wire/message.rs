//! A whole message: the header's checks, then the body by type. KEEPALIVE (RFC 4271 section 4.4)
//! is the header alone and needs nothing more.

use serde::{Deserialize, Serialize};

use super::context::SessionContext;
use super::error::{EncodeError, Reason, WireError};
use super::header::{check_header, finish_message, start_message, Header, MessageType, HEADER_LEN};
use super::notification::NotificationMessage;
use super::open::OpenMessage;
use super::route_refresh::RouteRefreshMessage;
use super::update::UpdateMessage;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "kebab-case")]
pub enum Message {
    Open(OpenMessage),
    Update(UpdateMessage),
    Notification(NotificationMessage),
    Keepalive,
    RouteRefresh(RouteRefreshMessage),
}

/// One message's outcome: a `session-reset` error has no message; weaker errors come with the
/// message as it is to be used.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct DecodeResult {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Message>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<WireError>,
}

impl DecodeResult {
    fn failed(error: WireError) -> DecodeResult {
        DecodeResult {
            message: None,
            error: Some(error),
        }
    }
}

/// Reads the header of whatever `bytes` starts with, once its 19 octets are there.
pub fn read_header(bytes: &[u8], context: &SessionContext) -> Option<Result<Header, WireError>> {
    let header: &[u8; HEADER_LEN] = bytes.get(..HEADER_LEN)?.try_into().ok()?;
    Some(check_header(header, None, context))
}

/// Decodes exactly one message, header included. Fewer than 19 octets, or a length field that
/// disagrees with the octets given, is a bad message length (docs/wire-errors.md).
pub fn decode_message(bytes: &[u8], context: &SessionContext) -> DecodeResult {
    let Some(header) = bytes
        .get(..HEADER_LEN)
        .and_then(|header| <&[u8; HEADER_LEN]>::try_from(header).ok())
    else {
        return DecodeResult::failed(WireError::reset(Reason::BadMessageLength, &[]));
    };
    match check_header(header, Some(bytes.len()), context) {
        Ok(header) => decode_body(header.kind, bytes, context),
        Err(error) => DecodeResult::failed(error),
    }
}

/// Decodes a message whose header passed and whose octets are all in `message`.
pub fn decode_body(kind: MessageType, message: &[u8], context: &SessionContext) -> DecodeResult {
    let body = message.get(HEADER_LEN..).unwrap_or_default();
    let decoded = match kind {
        MessageType::Open => OpenMessage::decode(body).map(Message::Open),
        MessageType::Update => {
            let (update, error) = UpdateMessage::decode(body, context);
            return DecodeResult {
                message: update.map(Message::Update),
                error,
            };
        }
        MessageType::Notification => Ok(Message::Notification(NotificationMessage::decode(body))),
        MessageType::Keepalive => Ok(Message::Keepalive),
        MessageType::RouteRefresh => {
            RouteRefreshMessage::decode(body, message).map(Message::RouteRefresh)
        }
    };
    match decoded {
        Ok(message) => DecodeResult {
            message: Some(message),
            error: None,
        },
        Err(error) => DecodeResult::failed(error),
    }
}

/// Encodes one message, refusing values the wire cannot carry.
pub fn encode_message(message: &Message, context: &SessionContext) -> Result<Vec<u8>, EncodeError> {
    let mut out = Vec::with_capacity(64);
    let kind = match message {
        Message::Open(_) => MessageType::Open,
        Message::Update(_) => MessageType::Update,
        Message::Notification(_) => MessageType::Notification,
        Message::Keepalive => MessageType::Keepalive,
        Message::RouteRefresh(_) => MessageType::RouteRefresh,
    };
    let start = start_message(&mut out, kind);
    match message {
        Message::Open(open) => open.encode(&mut out)?,
        Message::Update(update) => update.encode(&mut out, context)?,
        Message::Notification(notification) => notification.encode(&mut out)?,
        Message::Keepalive => {}
        Message::RouteRefresh(refresh) => refresh.encode(&mut out)?,
    }
    finish_message(&mut out, start, kind, context)?;
    Ok(out)
}
