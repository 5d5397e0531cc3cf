//! NOTIFICATION (RFC 4271 section 4.5), with the shutdown communication of RFC 9003.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! | Error code    | Error subcode |   Data (variable)             |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//!
//! RFC 9003 data of Cease subcodes 2 (Administrative Shutdown) and 4 (Administrative Reset):
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Length    |  Shutdown Communication (UTF-8, Length octets) |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```

use serde::{Deserialize, Serialize};

use super::error::EncodeError;
use super::hex::Hex;

const CEASE: u8 = 6;
const ADMINISTRATIVE_SHUTDOWN: u8 = 2;
const ADMINISTRATIVE_RESET: u8 = 4;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NotificationMessage {
    pub code: u8,
    pub subcode: u8,
    pub data: Hex,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shutdown_message: Option<String>,
}

fn carries_shutdown_message(code: u8, subcode: u8) -> bool {
    code == CEASE && (subcode == ADMINISTRATIVE_SHUTDOWN || subcode == ADMINISTRATIVE_RESET)
}

impl NotificationMessage {
    /// Decodes the body; the header guarantees code and subcode are there.
    pub fn decode(body: &[u8]) -> NotificationMessage {
        let (code, subcode, data) = match body {
            [code, subcode, data @ ..] => (*code, *subcode, data),
            _ => (0, 0, body),
        };
        let shutdown_message = match data {
            [length, text @ ..]
                if carries_shutdown_message(code, subcode)
                    && usize::from(*length) == text.len() =>
            {
                std::str::from_utf8(text).ok().map(str::to_string)
            }
            _ => None,
        };
        NotificationMessage {
            code,
            subcode,
            data: Hex(data.to_vec()),
            shutdown_message,
        }
    }

    /// Appends the body: `data` when non-empty, else the data built from `shutdownMessage`.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.extend_from_slice(&[self.code, self.subcode]);
        match &self.shutdown_message {
            Some(text) if self.data.0.is_empty() => {
                let length = u8::try_from(text.len()).map_err(|_| {
                    EncodeError::new(format!(
                        "shutdown communication of {} octets exceeds 255",
                        text.len()
                    ))
                })?;
                out.push(length);
                out.extend_from_slice(text.as_bytes());
            }
            _ => out.extend_from_slice(&self.data.0),
        }
        Ok(())
    }
}
