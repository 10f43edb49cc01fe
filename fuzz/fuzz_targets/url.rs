//! `Url::parse` and `Url::parse_host` on any text.
//!
//! Checks: a parsed URL prints (`Display`) as text that parses back to the same URL, rebuilds
//! from its parts with `from_parts`, and its parts obey the documented shape (path starts with
//! `/`, port known, host text parses to the same host, Host header and request target agree).
#![no_main]

use libfuzzer_sys::fuzz_target;
use msync_core::url::Url;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(host) = Url::parse_host(text) {
        assert_eq!(
            Url::parse_host(&host.to_string()),
            Ok(host),
            "host display round trip"
        );
    }
    let Ok(url) = Url::parse(text) else {
        return;
    };
    let printed = url.to_string();
    assert_eq!(
        Url::parse(&printed),
        Ok(url),
        "{text:?} printed as {printed:?}"
    );
    assert!(url.path().starts_with('/'));
    assert_ne!(url.port(), 0);
    assert_eq!(
        url.has_default_port(),
        url.port() == url.scheme().default_port()
    );
    assert_eq!(Url::parse_host(url.host_str()), Ok(url.host()));
    let port = (!url.has_default_port()).then_some(url.port());
    assert_eq!(
        Url::from_parts(url.scheme(), url.host_str(), port, url.path(), url.query()),
        Ok(url)
    );
    assert_eq!(
        Url::from_parts(
            url.scheme(),
            url.host_str(),
            Some(url.port()),
            url.path(),
            url.query()
        ),
        Ok(url)
    );
    let authority = url.authority();
    assert_eq!(authority.host, url.host_str());
    assert_eq!(authority.port, port);
    assert_eq!(
        printed,
        format!(
            "{}://{}{}",
            url.scheme(),
            url.host_header(),
            url.request_target()
        )
    );
    assert_eq!(url.is_tls(), url.scheme().is_tls());
});
