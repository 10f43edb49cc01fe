//! The bootstrap document `server.json` (PROTOCOL.md §3.2) and host selection (§3.3).
//!
//! Parsing and selection happen in one pass: each host entry of `rest.hosts` and
//! `msync-wx.hosts` is checked as it is read and, when usable, placed in a bounded list:
//! priority `1` entries first, the rest in document order, duplicates dropped. Every other key
//! (`msync-ws`, `msync-im`, `im`, flags, ...) is skipped.
//!
//! Entries are dropped (and counted) when they repeat a kept host, or have an unusable protocol (`http`/`ws` only with
//! [`SelectOptions::allow_plain`]), no `domain`/`ip`, an invalid name (IPv6 literals and names
//! written with JSON escapes count as invalid), a port that is not 1..=65535, or a known field
//! of the wrong type. When a list is full, later entries are dropped (and counted) except that a
//! priority `1` entry replaces the last non-priority one: the list keeps the best `N`.
//!
//! The optional fields `app_key`, `valid_before` and `file_version` are read leniently: a value
//! of an unexpected type (or a `valid_before` that is not a whole number of seconds) counts as
//! absent. Only the structure that selection needs is checked strictly: the document is an
//! object, and `rest` / `msync-wx` are objects whose `hosts` is an array.

use heapless::Vec;

use super::reader::{JsonError, Reader, Scalar};
use super::string::JsonStr;
use crate::wire::http::{Authority, HostSyntax, default_port, parse_host};

/// The number of hosts kept per list unless the caller chooses another.
pub const DEFAULT_MAX_HOSTS: usize = 8;

/// A usable host from `server.json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SelectedHost<'a> {
    /// DNS name or IPv4 address.
    pub host: &'a str,
    /// The port, or `None` when it is the scheme's default (443 / 80).
    pub port: Option<u16>,
    /// TLS (`https`/`wss`) or plain (`http`/`ws`, only with `allow_plain`).
    pub secure: bool,
}

impl<'a> SelectedHost<'a> {
    /// The `Host` of a request to this host.
    pub const fn authority(&self) -> Authority<'a> {
        Authority {
            host: self.host,
            port: self.port,
        }
    }

    /// The port to connect to.
    pub const fn port_or_default(&self) -> u16 {
        match self.port {
            Some(port) => port,
            None => default_port(self.secure),
        }
    }
}

/// Which list of `server.json` a host belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum HostKind {
    /// `rest.hosts`: REST bases.
    Rest,
    /// `msync-wx.hosts`: WebSocket gateways.
    Gateway,
}

/// A host list of `server.json` had no usable entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NoUsableHost {
    /// The empty list.
    pub kind: HostKind,
}

impl core::fmt::Display for NoUsableHost {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        let list = match self.kind {
            HostKind::Rest => "rest.hosts",
            HostKind::Gateway => "msync-wx.hosts",
        };
        write!(f, "server.json lists no usable host in {list}")
    }
}

impl core::error::Error for NoUsableHost {}

/// How hosts are selected.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SelectOptions {
    /// Also accept `http` (REST) and `http`/`ws` (gateway) entries, e.g. from the local
    /// devserver. Off by default: only `https`, and `wss`/`https` gateways.
    pub allow_plain: bool,
}

/// One selected list: preferred (priority `1`) entries first, then document order.
#[derive(Clone, Debug, PartialEq, Eq)]
struct HostList<'a, const N: usize> {
    hosts: Vec<SelectedHost<'a>, N>,
    preferred: usize,
    dropped: usize,
}

impl<'a, const N: usize> HostList<'a, N> {
    const fn new() -> Self {
        Self {
            hosts: Vec::new(),
            preferred: 0,
            dropped: 0,
        }
    }

    fn offer(&mut self, host: SelectedHost<'a>, preferred: bool) {
        if let Some(index) = self.hosts.iter().position(|h| same_host(h, &host)) {
            self.dropped = self.dropped.saturating_add(1);
            // A later preferred duplicate promotes the earlier entry.
            if preferred && index >= self.preferred {
                let existing = self.hosts.remove(index);
                self.insert_preferred(existing);
            }
            return;
        }
        if preferred {
            if self.hosts.is_full() {
                if self.preferred >= self.hosts.len() {
                    self.dropped = self.dropped.saturating_add(1);
                    return;
                }
                self.hosts.pop();
                self.dropped = self.dropped.saturating_add(1);
            }
            self.insert_preferred(host);
        } else if self.hosts.push(host).is_err() {
            self.dropped = self.dropped.saturating_add(1);
        }
    }

    fn insert_preferred(&mut self, host: SelectedHost<'a>) {
        let index = self.preferred.min(self.hosts.len());
        if self.hosts.insert(index, host).is_ok() {
            self.preferred = self.preferred.saturating_add(1);
        }
    }

    fn get(&self, kind: HostKind) -> Result<&[SelectedHost<'a>], NoUsableHost> {
        if self.hosts.is_empty() {
            Err(NoUsableHost { kind })
        } else {
            Ok(&self.hosts)
        }
    }
}

fn same_host(a: &SelectedHost<'_>, b: &SelectedHost<'_>) -> bool {
    a.host.eq_ignore_ascii_case(b.host) && a.port == b.port && a.secure == b.secure
}

/// A parsed `server.json` with its selected host lists (at most `N` hosts each).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServerJson<'a, const N: usize = DEFAULT_MAX_HOSTS> {
    gateways: HostList<'a, N>,
    rest: HostList<'a, N>,
    /// `app_key` (App ID mode: the app key to use); `None` when absent or not a string.
    pub app_key: Option<JsonStr<'a>>,
    /// `valid_before`: how long the document may be cached, epoch **seconds**; `None` when
    /// absent or not a whole number (as a number or a string of digits).
    pub valid_before: Option<u64>,
    /// `file_version`, as written (string or number); `None` when absent or of another type.
    pub file_version: Option<JsonStr<'a>>,
}

impl<'a, const N: usize> ServerJson<'a, N> {
    /// The usable WebSocket gateways from `msync-wx.hosts`, best first; an empty list is an
    /// error.
    pub fn gateways(&self) -> Result<&[SelectedHost<'a>], NoUsableHost> {
        self.gateways.get(HostKind::Gateway)
    }

    /// The usable REST hosts from `rest.hosts`, best first; an empty list is an error.
    pub fn rest_hosts(&self) -> Result<&[SelectedHost<'a>], NoUsableHost> {
        self.rest.get(HostKind::Rest)
    }

    /// How many entries of a list were not kept: unusable, duplicate, or over the capacity.
    pub fn dropped(&self, kind: HostKind) -> usize {
        match kind {
            HostKind::Rest => self.rest.dropped,
            HostKind::Gateway => self.gateways.dropped,
        }
    }
}

/// Parses `server.json` and selects hosts (see the module documentation for the rules).
pub fn parse_server_json<const N: usize>(
    input: &[u8],
    options: SelectOptions,
) -> Result<ServerJson<'_, N>, JsonError> {
    let mut doc = ServerJson {
        gateways: HostList::new(),
        rest: HostList::new(),
        app_key: None,
        valid_before: None,
        file_version: None,
    };
    Reader::document(input, |r, key| {
        if key.eq_str("rest") {
            host_section(r, "rest", HostKind::Rest, options, &mut doc.rest)
        } else if key.eq_str("msync-wx") {
            host_section(r, "msync-wx", HostKind::Gateway, options, &mut doc.gateways)
        } else if key.eq_str("app_key") {
            doc.app_key = r.lenient(Scalar::as_string)?;
            Ok(())
        } else if key.eq_str("valid_before") {
            doc.valid_before = r.lenient(Scalar::as_u64)?;
            Ok(())
        } else if key.eq_str("file_version") {
            doc.file_version = r.lenient(Scalar::as_text)?;
            Ok(())
        } else {
            r.skip_value()
        }
    })?;
    Ok(doc)
}

/// `{"hosts": [entry, ...], ...}`.
fn host_section<'a, const N: usize>(
    r: &mut Reader<'a>,
    name: &'static str,
    kind: HostKind,
    options: SelectOptions,
    list: &mut HostList<'a, N>,
) -> Result<(), JsonError> {
    if !r.is_object()? {
        return Err(JsonError::InvalidField(name));
    }
    r.object(|r, key| {
        if !key.eq_str("hosts") {
            return r.skip_value();
        }
        if !r.is_array()? {
            return Err(JsonError::InvalidField(name));
        }
        r.array(|r| {
            match host_entry(r)? {
                Some(entry) => match entry.select(kind, options) {
                    Some(host) => list.offer(host, entry.preferred),
                    None => list.dropped = list.dropped.saturating_add(1),
                },
                None => list.dropped = list.dropped.saturating_add(1),
            }
            Ok(())
        })
    })
}

/// A host entry as written.
#[derive(Default)]
struct HostEntry<'a> {
    protocol: Option<JsonStr<'a>>,
    domain: Option<JsonStr<'a>>,
    ip: Option<JsonStr<'a>>,
    port: Option<u64>,
    preferred: bool,
    malformed: bool,
}

/// Reads one entry of a `hosts` array; `None` when it is not an object.
fn host_entry<'a>(r: &mut Reader<'a>) -> Result<Option<HostEntry<'a>>, JsonError> {
    if !r.is_object()? {
        r.skip_value()?;
        return Ok(None);
    }
    let mut entry = HostEntry::default();
    r.object(|r, key| {
        let Some(value) = r.scalar_or_skip()? else {
            entry.malformed = true;
            return Ok(());
        };
        if value == Scalar::Null {
            return Ok(());
        }
        let ok = if key.eq_str("protocol") {
            entry.protocol = value.as_string();
            entry.protocol.is_some()
        } else if key.eq_str("domain") {
            entry.domain = value.as_string();
            entry.domain.is_some()
        } else if key.eq_str("ip") {
            entry.ip = value.as_string();
            entry.ip.is_some()
        } else if key.eq_str("port") {
            entry.port = value.as_u64();
            entry.port.is_some()
        } else if key.eq_str("priority") {
            // Any integer is a priority; only 1 means preferred.
            let priority = value.as_u64();
            entry.preferred = priority == Some(1);
            priority.is_some()
        } else {
            true
        };
        entry.malformed |= !ok;
        Ok(())
    })?;
    Ok(Some(entry))
}

impl<'a> HostEntry<'a> {
    /// Applies the §3.3 rules for one list.
    fn select(&self, kind: HostKind, options: SelectOptions) -> Option<SelectedHost<'a>> {
        if self.malformed {
            return None;
        }
        let protocol = self.protocol?.as_str()?;
        let is = |name: &str| protocol.eq_ignore_ascii_case(name);
        let secure = match kind {
            HostKind::Gateway if is("wss") || is("https") => true,
            HostKind::Gateway if is("ws") || is("http") => false,
            HostKind::Rest if is("https") => true,
            HostKind::Rest if is("http") => false,
            _ => return None,
        };
        if !secure && !options.allow_plain {
            return None;
        }
        let non_empty = |s: &Option<JsonStr<'a>>| s.filter(|s| !s.raw().is_empty());
        let host = non_empty(&self.domain).or(non_empty(&self.ip))?.as_str()?;
        // The URL rules (`url::Url::parse_host`), IPv6 literals left out.
        if !matches!(
            parse_host(host),
            Ok(HostSyntax::Domain | HostSyntax::Ipv4(_))
        ) {
            return None;
        }
        let port = match self.port {
            None => None,
            Some(port) => {
                let port = u16::try_from(port).ok().filter(|&p| p != 0)?;
                Authority::new(host, port, secure).port
            }
        };
        Some(SelectedHost { host, port, secure })
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::prelude::rust_2024::*;

    fn host(host: &str, port: Option<u16>) -> SelectedHost<'_> {
        SelectedHost {
            host,
            port,
            secure: true,
        }
    }

    #[test]
    fn list_keeps_best_n() {
        let mut list: HostList<'_, 2> = HostList::new();
        list.offer(host("a", None), false);
        list.offer(host("b", None), false);
        list.offer(host("c", None), false);
        assert_eq!(list.hosts, [host("a", None), host("b", None)]);
        list.offer(host("p", None), true);
        assert_eq!(list.hosts, [host("p", None), host("a", None)]);
        list.offer(host("q", None), true);
        assert_eq!(list.hosts, [host("p", None), host("q", None)]);
        list.offer(host("r", None), true);
        assert_eq!(list.hosts, [host("p", None), host("q", None)]);
        assert_eq!(list.dropped, 4);
    }

    #[test]
    fn preferred_duplicate_promotes() {
        let mut list: HostList<'_, 4> = HostList::new();
        list.offer(host("a", None), false);
        list.offer(host("b", None), false);
        list.offer(host("B", None), true);
        list.offer(host("b", Some(8443)), false);
        assert_eq!(
            list.hosts,
            [host("b", None), host("a", None), host("b", Some(8443))]
        );
        assert_eq!(list.preferred, 1);
    }
}
