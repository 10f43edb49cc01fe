//! `AppKey::parse` and `AppId::parse` on any text.
//!
//! Checks: a parsed key prints as its text, splits at its one `#` into org and app, and gives
//! the documented query value and REST path; both parts are themselves valid App IDs (same
//! character set and length limit); a parsed App ID prints as its text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use msync_core::app::{AppId, AppKey};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(key) = AppKey::parse(text) {
        assert_eq!(key.to_string(), text);
        assert_eq!(key.as_str(), text);
        assert_eq!(format!("{}#{}", key.org(), key.app()), text);
        assert_eq!(
            key.query_value().to_string(),
            format!("{}%23{}", key.org(), key.app())
        );
        assert_eq!(
            key.rest_path().to_string(),
            format!("/{}/{}", key.org(), key.app())
        );
        assert!(AppId::parse(key.org()).is_ok() && AppId::parse(key.app()).is_ok());
    }
    if let Ok(id) = AppId::parse(text) {
        assert_eq!(id.to_string(), text);
        assert_eq!(id.as_str(), text);
        assert!(AppKey::parse(text).is_err(), "an App ID has no '#'");
    }
});
