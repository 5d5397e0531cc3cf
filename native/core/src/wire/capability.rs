//! Capabilities (RFC 5492) as a descriptor table: code, name, decode, encode.
//!
//! ```text
//! +------------------------------+
//! | Capability Code (1 octet)    |
//! +------------------------------+
//! | Capability Length (1 octet)  |
//! +------------------------------+
//! | Capability Value (variable)  |
//! +------------------------------+
//! ```

use serde::{Deserialize, Serialize};

use super::error::EncodeError;
use super::family::Family;
use super::hex::Hex;
use super::reader::Reader;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "type",
    rename_all = "kebab-case",
    rename_all_fields = "camelCase"
)]
pub enum Capability {
    Multiprotocol {
        family: Family,
    },
    RouteRefresh,
    ExtendedNextHop {
        entries: Vec<ExtendedNextHopEntry>,
    },
    ExtendedMessage,
    GracefulRestart {
        restarting: bool,
        notification: bool,
        restart_time: u16,
        families: Vec<GracefulRestartFamily>,
    },
    FourOctetAs {
        asn: u32,
    },
    AddPath {
        families: Vec<AddPathFamily>,
    },
    EnhancedRouteRefresh,
    LongLivedGracefulRestart {
        families: Vec<LongLivedFamily>,
    },
    Unknown {
        code: u8,
        data: Hex,
    },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExtendedNextHopEntry {
    pub family: Family,
    pub next_hop_afi: u16,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GracefulRestartFamily {
    pub family: Family,
    pub forwarding: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum AddPathMode {
    Receive = 1,
    Send = 2,
    Both = 3,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddPathFamily {
    pub family: Family,
    pub mode: AddPathMode,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LongLivedFamily {
    pub family: Family,
    pub forwarding: bool,
    pub stale_time: u32,
}

/// Reads a known capability's value; `None` when its length breaks the format.
type Decode = fn(&[u8]) -> Option<Capability>;
/// Appends a known capability's value.
type Encode = fn(&Capability, &mut Vec<u8>) -> Result<(), EncodeError>;

struct Descriptor {
    code: u8,
    name: &'static str,
    decode: Decode,
    encode: Encode,
}

static DESCRIPTORS: [Descriptor; 9] = [
    Descriptor {
        code: 1,
        name: "multiprotocol",
        decode: decode_multiprotocol,
        encode: encode_multiprotocol,
    },
    Descriptor {
        code: 2,
        name: "route-refresh",
        decode: |v| v.is_empty().then_some(Capability::RouteRefresh),
        encode: encode_empty,
    },
    Descriptor {
        code: 5,
        name: "extended-next-hop",
        decode: decode_extended_next_hop,
        encode: encode_extended_next_hop,
    },
    Descriptor {
        code: 6,
        name: "extended-message",
        decode: |v| v.is_empty().then_some(Capability::ExtendedMessage),
        encode: encode_empty,
    },
    Descriptor {
        code: 64,
        name: "graceful-restart",
        decode: decode_graceful_restart,
        encode: encode_graceful_restart,
    },
    Descriptor {
        code: 65,
        name: "four-octet-as",
        decode: decode_four_octet_as,
        encode: encode_four_octet_as,
    },
    Descriptor {
        code: 69,
        name: "add-path",
        decode: decode_add_path,
        encode: encode_add_path,
    },
    Descriptor {
        code: 70,
        name: "enhanced-route-refresh",
        decode: |v| v.is_empty().then_some(Capability::EnhancedRouteRefresh),
        encode: encode_empty,
    },
    Descriptor {
        code: 71,
        name: "long-lived-graceful-restart",
        decode: decode_long_lived,
        encode: encode_long_lived,
    },
];

impl Capability {
    /// Decodes one capability. `None` when a known capability's length breaks its format (the
    /// OPEN is then malformed); codes without a descriptor are kept as `unknown`.
    pub fn decode(code: u8, value: &[u8]) -> Option<Capability> {
        match DESCRIPTORS.iter().find(|d| d.code == code) {
            Some(descriptor) => (descriptor.decode)(value),
            None => Some(Capability::Unknown {
                code,
                data: Hex(value.to_vec()),
            }),
        }
    }

    fn code(&self) -> u8 {
        match self {
            Capability::Multiprotocol { .. } => 1,
            Capability::RouteRefresh => 2,
            Capability::ExtendedNextHop { .. } => 5,
            Capability::ExtendedMessage => 6,
            Capability::GracefulRestart { .. } => 64,
            Capability::FourOctetAs { .. } => 65,
            Capability::AddPath { .. } => 69,
            Capability::EnhancedRouteRefresh => 70,
            Capability::LongLivedGracefulRestart { .. } => 71,
            Capability::Unknown { code, .. } => *code,
        }
    }

    /// Appends code, length and value.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let code = self.code();
        let start = out.len();
        out.extend_from_slice(&[code, 0]);
        match (self, DESCRIPTORS.iter().find(|d| d.code == code)) {
            (Capability::Unknown { data, .. }, _) => out.extend_from_slice(&data.0),
            (_, Some(descriptor)) => (descriptor.encode)(self, out)?,
            (_, None) => {
                return Err(EncodeError::new(format!(
                    "no descriptor for capability {code}"
                )))
            }
        }
        let length = out.len() - start - 2;
        out[start + 1] = u8::try_from(length)
            .map_err(|_| EncodeError::new(format!("capability {code} longer than 255 octets")))?;
        Ok(())
    }

    fn name(&self) -> &'static str {
        DESCRIPTORS
            .iter()
            .find(|d| d.code == self.code())
            .map_or("unknown", |d| d.name)
    }
}

fn mismatch(capability: &Capability) -> EncodeError {
    EncodeError::new(format!(
        "capability {} handed to the wrong encoder",
        capability.name()
    ))
}

fn family_of(reader: &mut Reader<'_>) -> Option<Family> {
    Some(Family::new(reader.u16()?, u16::from(reader.u8()?)))
}

fn write_family(out: &mut Vec<u8>, family: Family) -> Result<(), EncodeError> {
    let safi = family
        .safi_octet()
        .ok_or_else(|| EncodeError::new(format!("family {family} has a SAFI above 255")))?;
    out.extend_from_slice(&family.afi.to_be_bytes());
    out.push(safi);
    Ok(())
}

/// Reads a value made of whole entries of `size` octets.
fn entries<T>(
    value: &[u8],
    size: usize,
    read: impl Fn(&mut Reader<'_>) -> Option<T>,
) -> Option<Vec<T>> {
    if !value.len().is_multiple_of(size) {
        return None;
    }
    value
        .chunks_exact(size)
        .map(|entry| read(&mut Reader::new(entry)))
        .collect()
}

fn encode_empty(_: &Capability, _: &mut Vec<u8>) -> Result<(), EncodeError> {
    Ok(())
}

/// RFC 4760 section 8: AFI (2), reserved (1), SAFI (1).
fn decode_multiprotocol(value: &[u8]) -> Option<Capability> {
    let [afi_high, afi_low, _, safi] = <[u8; 4]>::try_from(value).ok()?;
    Some(Capability::Multiprotocol {
        family: Family::new(u16::from_be_bytes([afi_high, afi_low]), u16::from(safi)),
    })
}

fn encode_multiprotocol(capability: &Capability, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let Capability::Multiprotocol { family } = capability else {
        return Err(mismatch(capability));
    };
    let safi = family
        .safi_octet()
        .ok_or_else(|| EncodeError::new(format!("family {family} has a SAFI above 255")))?;
    out.extend_from_slice(&family.afi.to_be_bytes());
    out.extend_from_slice(&[0, safi]);
    Ok(())
}

/// RFC 8950 section 3: entries of AFI (2), SAFI (2), next hop AFI (2).
fn decode_extended_next_hop(value: &[u8]) -> Option<Capability> {
    let entries = entries(value, 6, |r| {
        Some(ExtendedNextHopEntry {
            family: Family::new(r.u16()?, r.u16()?),
            next_hop_afi: r.u16()?,
        })
    })?;
    Some(Capability::ExtendedNextHop { entries })
}

fn encode_extended_next_hop(capability: &Capability, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let Capability::ExtendedNextHop { entries } = capability else {
        return Err(mismatch(capability));
    };
    for entry in entries {
        out.extend_from_slice(&entry.family.afi.to_be_bytes());
        out.extend_from_slice(&entry.family.safi.to_be_bytes());
        out.extend_from_slice(&entry.next_hop_afi.to_be_bytes());
    }
    Ok(())
}

const RESTART_STATE: u16 = 0x8000;
const GRACEFUL_NOTIFICATION: u16 = 0x4000;
const FORWARDING: u8 = 0x80;

/// RFC 4724 section 3 (N bit from RFC 8538): restart flags (4 bits) and time (12 bits), then entries
/// of AFI (2), SAFI (1), flags (1).
fn decode_graceful_restart(value: &[u8]) -> Option<Capability> {
    let mut reader = Reader::new(value);
    let header = reader.u16()?;
    let families = entries(reader.rest(), 4, |r| {
        Some(GracefulRestartFamily {
            family: family_of(r)?,
            forwarding: r.u8()? & FORWARDING != 0,
        })
    })?;
    Some(Capability::GracefulRestart {
        restarting: header & RESTART_STATE != 0,
        notification: header & GRACEFUL_NOTIFICATION != 0,
        restart_time: header & 0x0fff,
        families,
    })
}

fn encode_graceful_restart(capability: &Capability, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let Capability::GracefulRestart {
        restarting,
        notification,
        restart_time,
        families,
    } = capability
    else {
        return Err(mismatch(capability));
    };
    if *restart_time > 0x0fff {
        return Err(EncodeError::new(format!(
            "graceful restart time {restart_time} exceeds 4095 seconds"
        )));
    }
    let mut header = *restart_time;
    if *restarting {
        header |= RESTART_STATE;
    }
    if *notification {
        header |= GRACEFUL_NOTIFICATION;
    }
    out.extend_from_slice(&header.to_be_bytes());
    for entry in families {
        write_family(out, entry.family)?;
        out.push(if entry.forwarding { FORWARDING } else { 0 });
    }
    Ok(())
}

/// RFC 6793 section 3: the 4-octet AS number.
fn decode_four_octet_as(value: &[u8]) -> Option<Capability> {
    Some(Capability::FourOctetAs {
        asn: u32::from_be_bytes(value.try_into().ok()?),
    })
}

fn encode_four_octet_as(capability: &Capability, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let Capability::FourOctetAs { asn } = capability else {
        return Err(mismatch(capability));
    };
    out.extend_from_slice(&asn.to_be_bytes());
    Ok(())
}

/// RFC 7911 section 4: entries of AFI (2), SAFI (1), send/receive (1). A send/receive value other
/// than 1-3 makes the capability "not understood" (section 4), so it is kept as `unknown`.
fn decode_add_path(value: &[u8]) -> Option<Capability> {
    let modes = entries(value, 4, |r| {
        let family = family_of(r)?;
        Some((family, r.u8()?))
    })?;
    let families: Option<Vec<AddPathFamily>> = modes
        .into_iter()
        .map(|(family, mode)| {
            let mode = match mode {
                1 => AddPathMode::Receive,
                2 => AddPathMode::Send,
                3 => AddPathMode::Both,
                _ => return None,
            };
            Some(AddPathFamily { family, mode })
        })
        .collect();
    Some(match families {
        Some(families) => Capability::AddPath { families },
        None => Capability::Unknown {
            code: 69,
            data: Hex(value.to_vec()),
        },
    })
}

fn encode_add_path(capability: &Capability, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let Capability::AddPath { families } = capability else {
        return Err(mismatch(capability));
    };
    for entry in families {
        write_family(out, entry.family)?;
        out.push(entry.mode as u8);
    }
    Ok(())
}

/// RFC 9494 section 3: entries of AFI (2), SAFI (1), flags (1), long-lived stale time (3).
fn decode_long_lived(value: &[u8]) -> Option<Capability> {
    let families = entries(value, 7, |r| {
        Some(LongLivedFamily {
            family: family_of(r)?,
            forwarding: r.u8()? & FORWARDING != 0,
            stale_time: r.u24()?,
        })
    })?;
    Some(Capability::LongLivedGracefulRestart { families })
}

fn encode_long_lived(capability: &Capability, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let Capability::LongLivedGracefulRestart { families } = capability else {
        return Err(mismatch(capability));
    };
    for entry in families {
        if entry.stale_time > 0x00ff_ffff {
            return Err(EncodeError::new(format!(
                "long-lived stale time {} exceeds 3 octets",
                entry.stale_time
            )));
        }
        write_family(out, entry.family)?;
        out.push(if entry.forwarding { FORWARDING } else { 0 });
        out.extend_from_slice(&entry.stale_time.to_be_bytes()[1..]);
    }
    Ok(())
}
