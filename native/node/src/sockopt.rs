//! Socket options a BGP speaker needs and Node cannot set: the TCP-MD5 signature key for a peer
//! (RFC 2385), the TTL or hop limit of the packets sent (eBGP multihop), the smallest TTL accepted
//! (GTSM, RFC 5082), and a connection attempt that sets them before its SYN leaves. Only system
//! calls live here; which values to use is the engine's decision (engine/session).
//!
//! A peer is named by its address. An IPv4 peer reached over an IPv6 socket (a dual-stack
//! listener) travels as an IPv4-mapped address, and its packets are IPv4 ones: their options are
//! the IPv4 ones, at the IP level, which Linux accepts on IPv6 sockets.

use std::io;
use std::mem::{size_of, zeroed};
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::os::fd::{AsRawFd, FromRawFd, IntoRawFd, OwnedFd, RawFd};

use napi::bindgen_prelude::AsyncTask;
use napi::{Env, Error, Result, Status, Task};
use napi_derive::napi;

/// `struct tcp_md5sig` of linux/tcp.h, which the libc crate does not declare.
#[repr(C)]
struct TcpMd5Sig {
    addr: libc::sockaddr_storage,
    flags: u8,
    prefix_length: u8,
    key_length: u16,
    ifindex: libc::c_int,
    key: [u8; libc::TCP_MD5SIG_MAXKEYLEN],
}

fn invalid(message: String) -> Error {
    Error::new(Status::InvalidArg, message)
}

fn os_error(what: &str) -> Error {
    Error::new(
        Status::GenericFailure,
        format!("{what}: {}", io::Error::last_os_error()),
    )
}

fn parse_address(text: &str) -> Result<IpAddr> {
    text.parse()
        .map_err(|_| invalid(format!("{text} is not an IP address")))
}

/// The IPv4 address an IPv4 or IPv4-mapped IPv6 address stands for.
fn ipv4_of(address: IpAddr) -> Option<std::net::Ipv4Addr> {
    match address {
        IpAddr::V4(v4) => Some(v4),
        IpAddr::V6(v6) => v6.to_ipv4_mapped(),
    }
}

/// The family of the socket behind `fd` (SO_DOMAIN).
fn socket_family(fd: RawFd) -> Result<libc::c_int> {
    get_int(
        fd,
        libc::SOL_SOCKET,
        libc::SO_DOMAIN,
        "getsockopt(SO_DOMAIN)",
    )
}

/// The address as a socket of `family` names it: IPv4 on an IPv6 socket is IPv4-mapped.
fn sockaddr(
    address: SocketAddr,
    family: libc::c_int,
) -> Result<(libc::sockaddr_storage, libc::socklen_t)> {
    // SAFETY: sockaddr_storage is plain data; all zeroes is a valid (unspecified) value.
    let mut storage: libc::sockaddr_storage = unsafe { zeroed() };
    let port = address.port().to_be();
    match (family, ipv4_of(address.ip())) {
        (libc::AF_INET, Some(v4)) => {
            // SAFETY: sockaddr_storage is large and aligned enough for any sockaddr.
            let sin = unsafe { &mut *(&mut storage as *mut _ as *mut libc::sockaddr_in) };
            sin.sin_family = libc::AF_INET as libc::sa_family_t;
            sin.sin_port = port;
            sin.sin_addr.s_addr = u32::from_ne_bytes(v4.octets());
            Ok((storage, size_of::<libc::sockaddr_in>() as libc::socklen_t))
        }
        (libc::AF_INET6, _) => {
            let v6 = match address.ip() {
                IpAddr::V4(v4) => v4.to_ipv6_mapped(),
                IpAddr::V6(v6) => v6,
            };
            // SAFETY: as above.
            let sin6 = unsafe { &mut *(&mut storage as *mut _ as *mut libc::sockaddr_in6) };
            sin6.sin6_family = libc::AF_INET6 as libc::sa_family_t;
            sin6.sin6_port = port;
            sin6.sin6_addr.s6_addr = v6.octets();
            Ok((storage, size_of::<libc::sockaddr_in6>() as libc::socklen_t))
        }
        _ => Err(invalid(format!(
            "{} cannot be reached over an IPv4 socket",
            address.ip()
        ))),
    }
}

fn set_int(
    fd: RawFd,
    level: libc::c_int,
    name: libc::c_int,
    value: libc::c_int,
    what: &str,
) -> Result<()> {
    // SAFETY: the option value is a c_int that lives across the call.
    let result = unsafe {
        libc::setsockopt(
            fd,
            level,
            name,
            &value as *const _ as *const libc::c_void,
            size_of::<libc::c_int>() as _,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(os_error(what))
    }
}

fn get_int(fd: RawFd, level: libc::c_int, name: libc::c_int, what: &str) -> Result<libc::c_int> {
    let mut value: libc::c_int = 0;
    let mut length = size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: value and length are valid for writes of the sizes given.
    let result = unsafe {
        libc::getsockopt(
            fd,
            level,
            name,
            &mut value as *mut _ as *mut libc::c_void,
            &mut length,
        )
    };
    if result == 0 {
        Ok(value)
    } else {
        Err(os_error(what))
    }
}

fn md5_key(fd: RawFd, peer: IpAddr, key: &[u8]) -> Result<()> {
    if key.len() > libc::TCP_MD5SIG_MAXKEYLEN {
        return Err(invalid(format!(
            "a TCP-MD5 key is at most {} octets",
            libc::TCP_MD5SIG_MAXKEYLEN
        )));
    }
    let (addr, _) = sockaddr(SocketAddr::new(peer, 0), socket_family(fd)?)?;
    // SAFETY: tcp_md5sig is plain data; all zeroes is a valid value.
    let mut signature: TcpMd5Sig = unsafe { zeroed() };
    signature.addr = addr;
    signature.key_length = key.len() as u16;
    signature.key[..key.len()].copy_from_slice(key);
    // SAFETY: the option value is a tcp_md5sig that lives across the call.
    let result = unsafe {
        libc::setsockopt(
            fd,
            libc::IPPROTO_TCP,
            libc::TCP_MD5SIG,
            &signature as *const _ as *const libc::c_void,
            size_of::<TcpMd5Sig>() as libc::socklen_t,
        )
    };
    if result == 0 {
        Ok(())
    } else {
        Err(os_error("setsockopt(TCP_MD5SIG)"))
    }
}

/// The level and names of the TTL options for packets to `peer`: (level, TTL, minimum TTL).
fn ttl_options(peer: IpAddr) -> (libc::c_int, libc::c_int, libc::c_int) {
    if ipv4_of(peer).is_some() {
        (libc::IPPROTO_IP, libc::IP_TTL, libc::IP_MINTTL)
    } else {
        (
            libc::IPPROTO_IPV6,
            libc::IPV6_UNICAST_HOPS,
            libc::IPV6_MINHOPCOUNT,
        )
    }
}

fn ttl_value(value: u32, what: &str) -> Result<libc::c_int> {
    if value <= 255 {
        Ok(value as libc::c_int)
    } else {
        Err(invalid(format!("{what} {value} is above 255")))
    }
}

fn set_ttl_options(fd: RawFd, peer: IpAddr, ttl: Option<u32>, min_ttl: Option<u32>) -> Result<()> {
    let (level, ttl_name, min_name) = ttl_options(peer);
    if let Some(ttl) = ttl {
        set_int(
            fd,
            level,
            ttl_name,
            ttl_value(ttl, "TTL")?,
            "setsockopt(TTL)",
        )?;
    }
    if let Some(min_ttl) = min_ttl {
        set_int(
            fd,
            level,
            min_name,
            ttl_value(min_ttl, "minimum TTL")?,
            "setsockopt(minimum TTL)",
        )?;
    }
    Ok(())
}

/// Sets the TCP-MD5 key (RFC 2385) that signs every segment exchanged with `peerAddress` on the
/// socket `fd`, listening or not; an empty key removes the peer's key. A listening socket passes
/// its keys on to the connections it accepts. The key is the text's UTF-8 octets, at most 80.
#[napi]
pub fn set_tcp_md5_key(fd: i32, peer_address: String, key: String) -> Result<()> {
    md5_key(fd, parse_address(&peer_address)?, key.as_bytes())
}

/// Sets the TTL (IPv4) or hop limit (IPv6) of the packets `fd` sends to `peerAddress`: 1 for a
/// directly connected eBGP peer, more for multihop, 255 for GTSM (RFC 5082).
#[napi]
pub fn set_socket_ttl(fd: i32, peer_address: String, ttl: u32) -> Result<()> {
    set_ttl_options(fd, parse_address(&peer_address)?, Some(ttl), None)
}

/// Sets the smallest TTL (IPv4, IP_MINTTL) or hop limit (IPv6, IPV6_MINHOPCOUNT) a packet from
/// `peerAddress` must arrive with on `fd`; the kernel drops the others (GTSM, RFC 5082 section 3).
#[napi]
pub fn set_socket_min_ttl(fd: i32, peer_address: String, min_ttl: u32) -> Result<()> {
    set_ttl_options(fd, parse_address(&peer_address)?, None, Some(min_ttl))
}

/// The TTL options of a socket, as the kernel reports them.
#[napi(object)]
pub struct SocketTtl {
    /// TTL or hop limit of the packets sent (-1 for the system default, IPv6 only).
    pub ttl: i32,
    /// Smallest TTL or hop limit accepted; 0 when GTSM is off.
    pub min_ttl: i32,
}

/// Reads back the TTL options of `fd` for packets to and from `peerAddress` (IPv4 or IPv6 level).
#[napi]
pub fn get_socket_ttl(fd: i32, peer_address: String) -> Result<SocketTtl> {
    let (level, ttl_name, min_name) = ttl_options(parse_address(&peer_address)?);
    Ok(SocketTtl {
        ttl: get_int(fd, level, ttl_name, "getsockopt(TTL)")?,
        min_ttl: get_int(fd, level, min_name, "getsockopt(minimum TTL)")?,
    })
}

/// A TCP connection attempt whose socket options must be in place before its SYN.
#[napi(object)]
pub struct ConnectOptions {
    /// The peer's address, IPv4 or IPv6.
    pub remote_address: String,
    /// The peer's port, 179 for BGP.
    pub remote_port: u32,
    /// Address to connect from; the system picks one when absent.
    pub local_address: Option<String>,
    /// Port to connect from; an ephemeral one when absent.
    pub local_port: Option<u32>,
    /// TCP-MD5 key (RFC 2385) for the remote address.
    pub md5_key: Option<String>,
    /// TTL or hop limit of the packets sent.
    pub ttl: Option<u32>,
    /// Smallest TTL or hop limit accepted (GTSM).
    pub min_ttl: Option<u32>,
    /// Milliseconds to wait for the connection before giving up.
    pub timeout_ms: u32,
}

fn port(value: u32) -> Result<u16> {
    u16::try_from(value).map_err(|_| invalid(format!("{value} is not a port")))
}

struct ConnectSpec {
    remote: SocketAddr,
    local: Option<SocketAddr>,
    md5_key: Option<Vec<u8>>,
    ttl: Option<u32>,
    min_ttl: Option<u32>,
    timeout_ms: u32,
}

impl ConnectSpec {
    fn from_options(options: ConnectOptions) -> Result<Self> {
        let remote = SocketAddr::new(
            parse_address(&options.remote_address)?,
            port(options.remote_port)?,
        );
        let local_port = port(options.local_port.unwrap_or(0))?;
        let local = match options.local_address {
            Some(text) => Some(SocketAddr::new(parse_address(&text)?, local_port)),
            None if local_port != 0 => {
                let any = if remote.is_ipv4() {
                    IpAddr::from([0u8; 4])
                } else {
                    IpAddr::V6(Ipv6Addr::UNSPECIFIED)
                };
                Some(SocketAddr::new(any, local_port))
            }
            None => None,
        };
        if let Some(local) = local {
            if local.is_ipv4() != remote.is_ipv4() {
                return Err(invalid(format!(
                    "cannot connect from {} to {}",
                    local.ip(),
                    remote.ip()
                )));
            }
        }
        Ok(Self {
            remote,
            local,
            md5_key: options.md5_key.map(String::into_bytes),
            ttl: options.ttl,
            min_ttl: options.min_ttl,
            timeout_ms: options.timeout_ms,
        })
    }

    fn family(&self) -> libc::c_int {
        if self.remote.is_ipv4() {
            libc::AF_INET
        } else {
            libc::AF_INET6
        }
    }

    /// Creates the socket, sets its options, binds it and connects, waiting at most the timeout.
    fn connect(&self) -> Result<OwnedFd> {
        let family = self.family();
        // SAFETY: plain system call; the descriptor is owned right after.
        let raw = unsafe {
            libc::socket(
                family,
                libc::SOCK_STREAM | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
                0,
            )
        };
        if raw < 0 {
            return Err(os_error("socket"));
        }
        // SAFETY: raw is a descriptor we just created and nobody else owns.
        let socket = unsafe { OwnedFd::from_raw_fd(raw) };
        let fd = socket.as_raw_fd();
        if let Some(key) = &self.md5_key {
            md5_key(fd, self.remote.ip(), key)?;
        }
        set_ttl_options(fd, self.remote.ip(), self.ttl, self.min_ttl)?;
        if let Some(local) = self.local {
            if local.port() != 0 {
                set_int(
                    fd,
                    libc::SOL_SOCKET,
                    libc::SO_REUSEADDR,
                    1,
                    "setsockopt(SO_REUSEADDR)",
                )?;
            }
            let (addr, length) = sockaddr(local, family)?;
            // SAFETY: addr holds a sockaddr of `length` octets.
            if unsafe { libc::bind(fd, &addr as *const _ as *const libc::sockaddr, length) } != 0 {
                return Err(os_error(&format!("bind {local}")));
            }
        }
        let (addr, length) = sockaddr(self.remote, family)?;
        let what = format!("connect {}", self.remote);
        // SAFETY: addr holds a sockaddr of `length` octets.
        if unsafe { libc::connect(fd, &addr as *const _ as *const libc::sockaddr, length) } != 0 {
            if io::Error::last_os_error().raw_os_error() != Some(libc::EINPROGRESS) {
                return Err(os_error(&what));
            }
            self.wait_connected(fd, &what)?;
        }
        Ok(socket)
    }

    /// Waits for a non-blocking connect to finish (writable), then reads its outcome (SO_ERROR).
    fn wait_connected(&self, fd: RawFd, what: &str) -> Result<()> {
        let mut poll = libc::pollfd {
            fd,
            events: libc::POLLOUT,
            revents: 0,
        };
        let timeout = libc::c_int::try_from(self.timeout_ms).unwrap_or(libc::c_int::MAX);
        loop {
            // SAFETY: one pollfd, valid for the call.
            let ready = unsafe { libc::poll(&mut poll, 1, timeout) };
            if ready > 0 {
                break;
            }
            if ready == 0 {
                return Err(Error::new(
                    Status::GenericFailure,
                    format!("{what}: timed out"),
                ));
            }
            if io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
                return Err(os_error(what));
            }
        }
        match get_int(fd, libc::SOL_SOCKET, libc::SO_ERROR, "getsockopt(SO_ERROR)")? {
            0 => Ok(()),
            code => Err(Error::new(
                Status::GenericFailure,
                format!("{what}: {}", io::Error::from_raw_os_error(code)),
            )),
        }
    }
}

/// The connection attempt, run on a libuv worker thread.
pub struct ConnectTask {
    spec: ConnectSpec,
}

impl Task for ConnectTask {
    type Output = RawFd;
    type JsValue = i32;

    fn compute(&mut self) -> Result<RawFd> {
        self.spec.connect().map(IntoRawFd::into_raw_fd)
    }

    fn resolve(&mut self, _env: Env, fd: RawFd) -> Result<i32> {
        Ok(fd)
    }
}

/// Opens a TCP connection with its options set before the SYN (TCP-MD5 must be: RFC 2385 signs
/// every segment), binds the local address and port when given, and connects within the timeout,
/// on a worker thread. Resolves to the connected descriptor, which the caller owns (Node takes it
/// with `new net.Socket({ fd })`); rejects with the reason the attempt failed.
#[napi(ts_return_type = "Promise<number>")]
pub fn connect_tcp(options: ConnectOptions) -> Result<AsyncTask<ConnectTask>> {
    Ok(AsyncTask::new(ConnectTask {
        spec: ConnectSpec::from_options(options)?,
    }))
}
