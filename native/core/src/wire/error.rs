//! Decode errors as values (docs/wire-errors.md) and the error of an impossible encoding.

use std::fmt;

use serde::Serialize;

use super::family::Family;
use super::hex::Hex;

/// RFC 7606 section 2 error-handling approaches, weakest first: the derived order is the strength.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorAction {
    AttributeDiscard,
    TreatAsWithdraw,
    AfiSafiDisable,
    SessionReset,
}

/// The stable identifiers of docs/wire-errors.md, each with its NOTIFICATION code and subcode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    BadMarker,
    BadMessageLength,
    BadMessageType,
    UnsupportedVersion,
    BadBgpIdentifier,
    UnsupportedOptionalParameter,
    UnacceptableHoldTime,
    MalformedOpen,
    MalformedCapability,
    MalformedAttributeList,
    DuplicateMpAttribute,
    InvalidNetworkField,
    UnrecognizedWellKnownAttribute,
    AttributeFlags,
    AttributeOverrun,
    MalformedMpReach,
    MalformedMpUnreach,
    InvalidOrigin,
    AttributeLength,
    MalformedAsPath,
    MalformedAs4Path,
    DuplicateAttribute,
    MissingWellKnownAttribute,
    BadRouteRefreshLength,
}

impl Reason {
    /// NOTIFICATION error code and subcode (RFC 4271 section 4.5, RFC 7313 section 5).
    pub fn notification(self) -> (u8, u8) {
        use Reason::*;
        match self {
            BadMarker => (1, 1),
            BadMessageLength => (1, 2),
            BadMessageType => (1, 3),
            UnsupportedVersion => (2, 1),
            BadBgpIdentifier => (2, 3),
            UnsupportedOptionalParameter => (2, 4),
            UnacceptableHoldTime => (2, 6),
            MalformedOpen | MalformedCapability => (2, 0),
            MalformedAttributeList
            | DuplicateMpAttribute
            | AttributeOverrun
            | DuplicateAttribute => (3, 1),
            UnrecognizedWellKnownAttribute => (3, 2),
            MissingWellKnownAttribute => (3, 3),
            AttributeFlags => (3, 4),
            AttributeLength => (3, 5),
            InvalidOrigin => (3, 6),
            MalformedMpReach | MalformedMpUnreach | MalformedAs4Path => (3, 9),
            InvalidNetworkField => (3, 10),
            MalformedAsPath => (3, 11),
            BadRouteRefreshLength => (7, 1),
        }
    }
}

/// A decode failure: what to do, and the NOTIFICATION that goes with it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct WireError {
    pub action: ErrorAction,
    pub code: u8,
    pub subcode: u8,
    pub reason: Reason,
    pub data: Hex,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute: Option<u8>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub family: Option<Family>,
}

impl WireError {
    pub fn new(action: ErrorAction, reason: Reason, data: &[u8]) -> WireError {
        let (code, subcode) = reason.notification();
        WireError {
            action,
            code,
            subcode,
            reason,
            data: Hex(data.to_vec()),
            attribute: None,
            family: None,
        }
    }

    /// A `session-reset` error, the only action outside UPDATE messages.
    pub fn reset(reason: Reason, data: &[u8]) -> WireError {
        WireError::new(ErrorAction::SessionReset, reason, data)
    }

    pub fn with_attribute(mut self, code: u8) -> WireError {
        self.attribute = Some(code);
        self
    }
}

/// The strongest error of a message so far; the first found wins among equals.
#[derive(Debug, Default)]
pub struct Strongest {
    pub error: Option<WireError>,
}

impl Strongest {
    pub fn add(&mut self, error: WireError) {
        match &self.error {
            Some(kept) if kept.action >= error.action => {}
            _ => self.error = Some(error),
        }
    }

    pub fn is_reset(&self) -> bool {
        self.action() == Some(ErrorAction::SessionReset)
    }

    pub fn action(&self) -> Option<ErrorAction> {
        self.error.as_ref().map(|error| error.action)
    }
}

/// A value that cannot be put on the wire; the message says which and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EncodeError(pub String);

impl EncodeError {
    pub fn new(message: impl Into<String>) -> EncodeError {
        EncodeError(message.into())
    }
}

impl fmt::Display for EncodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EncodeError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strongest_wins_first_among_equals() {
        let mut strongest = Strongest::default();
        strongest.add(WireError::new(
            ErrorAction::AttributeDiscard,
            Reason::DuplicateAttribute,
            &[],
        ));
        strongest.add(WireError::new(
            ErrorAction::TreatAsWithdraw,
            Reason::InvalidOrigin,
            &[1],
        ));
        strongest.add(WireError::new(
            ErrorAction::TreatAsWithdraw,
            Reason::AttributeLength,
            &[2],
        ));
        strongest.add(WireError::new(
            ErrorAction::AttributeDiscard,
            Reason::DuplicateAttribute,
            &[],
        ));
        let error = strongest.error.unwrap();
        assert_eq!(error.reason, Reason::InvalidOrigin);
        assert_eq!((error.code, error.subcode), (3, 6));
    }

    #[test]
    fn serialises_in_contract_order() {
        let error = WireError::new(ErrorAction::SessionReset, Reason::BadMessageLength, &[0, 5]);
        assert_eq!(
            serde_json::to_string(&error).unwrap(),
            r#"{"action":"session-reset","code":1,"subcode":2,"reason":"bad-message-length","data":"0005"}"#
        );
    }
}
