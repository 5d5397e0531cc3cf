//! What the session negotiated, which changes how bytes are read and written (docs/wire-model.md,
//! "Session context").

use serde::Deserialize;

use super::family::Family;

/// Largest message without extended messages (RFC 4271 section 4.1).
pub const STANDARD_MESSAGE_LIMIT: usize = 4096;
/// Largest UPDATE or NOTIFICATION once extended messages are negotiated (RFC 8654 section 3).
pub const EXTENDED_MESSAGE_LIMIT: usize = 65535;

#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase", default)]
pub struct SessionContext {
    /// AS_PATH and AGGREGATOR carry 4-octet AS numbers (RFC 6793).
    pub four_octet_as: bool,
    /// Families whose NLRI carry ADD-PATH path identifiers (RFC 7911).
    pub add_path: Vec<Family>,
    /// UPDATE and NOTIFICATION may reach 65,535 octets (RFC 8654).
    pub extended_message: bool,
}

impl Default for SessionContext {
    fn default() -> Self {
        SessionContext {
            four_octet_as: true,
            add_path: Vec::new(),
            extended_message: false,
        }
    }
}

impl SessionContext {
    /// Whether the NLRI of `family` carry a path identifier before each prefix.
    pub fn has_path_id(&self, family: Family) -> bool {
        self.add_path.contains(&family)
    }

    /// Size limit of UPDATE and NOTIFICATION messages.
    pub fn update_limit(&self) -> usize {
        if self.extended_message {
            EXTENDED_MESSAGE_LIMIT
        } else {
            STANDARD_MESSAGE_LIMIT
        }
    }

    /// Octets of one AS number in AS_PATH and AGGREGATOR.
    pub fn as_size(&self) -> usize {
        if self.four_octet_as {
            4
        } else {
            2
        }
    }
}
