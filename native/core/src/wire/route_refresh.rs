//! ROUTE-REFRESH (RFC 2918 section 3), with the message subtype of RFC 7313 section 3.2.
//!
//! ```text
//!  0       7      15      23      31
//! +-------+-------+-------+-------+
//! |      AFI      | Subtype | SAFI |
//! +-------+-------+-------+-------+
//! ```

use serde::{Deserialize, Serialize};

use super::error::{EncodeError, Reason, WireError};
use super::family::Family;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RouteRefreshMessage {
    pub family: Family,
    /// 0 normal request, 1 BoRR, 2 EoRR (RFC 7313).
    pub subtype: u8,
}

impl RouteRefreshMessage {
    /// Decodes the body; `message` is the whole message, the data of a length error (RFC 7313 section 5).
    pub fn decode(body: &[u8], message: &[u8]) -> Result<RouteRefreshMessage, WireError> {
        let [afi_high, afi_low, subtype, safi] = <[u8; 4]>::try_from(body)
            .map_err(|_| WireError::reset(Reason::BadRouteRefreshLength, message))?;
        Ok(RouteRefreshMessage {
            family: Family::new(u16::from_be_bytes([afi_high, afi_low]), u16::from(safi)),
            subtype,
        })
    }

    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let safi = self.family.safi_octet().ok_or_else(|| {
            EncodeError::new(format!("family {} has a SAFI above 255", self.family))
        })?;
        out.extend_from_slice(&self.family.afi.to_be_bytes());
        out.extend_from_slice(&[self.subtype, safi]);
        Ok(())
    }
}
