//! `server.json` with host selection, for lists of 8 (the default) and of 2 hosts, with and
//! without plain (`http`/`ws`) hosts allowed.
//!
//! Checks: syntax agrees with serde_json, and `app_key`, `valid_before`, `file_version` are
//! the values serde_json finds, read as lenient optional fields (another type counts as
//! absent); every selected host is valid, unique in its list, secure unless plain hosts are
//! allowed, with no spelled-out default port; kept plus dropped entries do not depend on the
//! capacity, and a list of 2 holds the first 2 hosts of the list of 8 whenever
//! that one lost nothing to its capacity.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msync_core::wire::http::default_port;
use msync_core::wire::json::{
    HostKind, SelectOptions, SelectedHost, ServerJson, parse_server_json,
};
use msync_core_fuzz::json_ref::{
    check_str, check_syntax_agrees, lenient_string, lenient_u64, member, reference,
    reference_can_judge,
};
use serde_json::Value;

fuzz_target!(|input: &[u8]| {
    if !reference_can_judge(input) {
        return;
    }
    let reference = reference(input);
    let doc = reference.as_ref();
    for allow_plain in [false, true] {
        let options = SelectOptions { allow_plain };
        let large = parse_server_json::<8>(input, options);
        let small = parse_server_json::<2>(input, options);
        check_syntax_agrees(&large, doc);
        assert_eq!(large.is_ok(), small.is_ok());
        let (Ok(large), Ok(small)) = (large, small) else {
            continue;
        };
        check_fields(&large, doc);
        for kind in [HostKind::Gateway, HostKind::Rest] {
            let large_hosts = hosts(&large, kind);
            let small_hosts = hosts(&small, kind);
            check_list(large_hosts, allow_plain);
            check_list(small_hosts, allow_plain);
            assert_eq!(
                large_hosts.len() + large.dropped(kind),
                small_hosts.len() + small.dropped(kind),
                "kept plus dropped depends on the capacity"
            );
            if large_hosts.len() < 8 {
                let expected = &large_hosts[..large_hosts.len().min(2)];
                assert!(
                    expected.len() == small_hosts.len()
                        && expected
                            .iter()
                            .zip(small_hosts)
                            .all(|(a, b)| same_host(a, b)),
                    "best 2 {small_hosts:?} are not the first of {large_hosts:?}"
                );
            }
        }
    }
});

fn hosts<'d, 'a, const N: usize>(
    doc: &'d ServerJson<'a, N>,
    kind: HostKind,
) -> &'d [SelectedHost<'a>] {
    let list = match kind {
        HostKind::Gateway => doc.gateways(),
        HostKind::Rest => doc.rest_hosts(),
    };
    match list {
        Ok(hosts) => {
            assert!(!hosts.is_empty());
            hosts
        }
        Err(error) => {
            assert_eq!(error.kind, kind);
            &[]
        }
    }
}

fn same_host(a: &SelectedHost<'_>, b: &SelectedHost<'_>) -> bool {
    a.host.eq_ignore_ascii_case(b.host) && a.port == b.port && a.secure == b.secure
}

fn check_list(hosts: &[SelectedHost<'_>], allow_plain: bool) {
    for (index, host) in hosts.iter().enumerate() {
        assert!(host.authority().is_valid(), "unusable host {host:?}");
        assert!(host.secure || allow_plain, "plain host without allow_plain");
        assert_ne!(host.port, Some(default_port(host.secure)));
        assert_ne!(host.port, Some(0));
        assert_eq!(
            host.port_or_default(),
            host.port.unwrap_or(default_port(host.secure))
        );
        assert!(
            !hosts[..index]
                .iter()
                .any(|earlier| same_host(earlier, host)),
            "duplicate host {host:?}"
        );
    }
}

fn check_fields<const N: usize>(parsed: &ServerJson<'_, N>, doc: Option<&Value>) {
    // These fields are optional and read leniently: a value of another type counts as absent.
    assert_eq!(
        parsed.app_key.map(check_str),
        lenient_string(member(doc, "app_key"))
    );
    assert_eq!(
        parsed.valid_before,
        lenient_u64(member(doc, "valid_before"))
    );
    match (parsed.file_version, member(doc, "file_version")) {
        // A number is kept as written; serde_json normalises its spelling, so compare values.
        (Some(text), Some(number @ Value::Number(_))) => assert_eq!(
            serde_json::from_str::<Value>(text.raw()).ok().as_ref(),
            Some(number)
        ),
        (Some(text), Some(Value::String(value))) => assert_eq!(&check_str(text), value),
        (None, None | Some(Value::Bool(_) | Value::Null | Value::Array(_) | Value::Object(_))) => {}
        (ours, theirs) => panic!("file_version: we read {ours:?}, serde_json has {theirs:?}"),
    }
}
