//! Which application the client logs in to: an Easemob app key (`org#app`) or a Shengwang App ID.
//!
//! An app key names the application directly; its two halves form the REST path `/{org}/{app}`
//! (PROTOCOL.md §1.2). Shengwang (声网) apps are given an App ID instead: the client then has to
//! call the bootstrap (`server.json?app_id=…`, §2.8, §3.1) and take the app key from the reply, so
//! App ID mode always needs the bootstrap.

use core::fmt;

use crate::wire::http;

/// Longest organisation or application name accepted, in bytes.
///
/// The cloud documents no limit; this bound keeps URLs and frames bounded and is far above real
/// names (tens of bytes).
pub const MAX_APP_KEY_PART_LEN: usize = 128;

/// Longest App ID accepted, in bytes (Shengwang App IDs are 32 hex digits; this leaves room).
pub const MAX_APP_ID_LEN: usize = 128;

/// An Easemob app key `org#app`, borrowed from its text.
///
/// Both halves are non-empty and made of ASCII letters, digits, `-`, `_` and `.` (characters that
/// need no escaping in a URL path), each at most [`MAX_APP_KEY_PART_LEN`] bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct AppKey<'a> {
    text: &'a str,
    org: &'a str,
    app: &'a str,
}

/// Why a string is not a valid app key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum AppKeyError {
    /// There is no `#` between the organisation and the application.
    MissingSeparator,
    /// There is more than one `#`.
    ExtraSeparator,
    /// Nothing before the `#`.
    EmptyOrg,
    /// Nothing after the `#`.
    EmptyApp,
    /// A half is longer than [`MAX_APP_KEY_PART_LEN`] bytes.
    TooLong,
    /// The byte at this offset is not an ASCII letter, digit, `-`, `_` or `.`.
    InvalidCharacter {
        /// Byte offset into the whole app key text.
        offset: usize,
    },
}

impl fmt::Display for AppKeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppKeyError::MissingSeparator => f.write_str("app key has no '#' (expected org#app)"),
            AppKeyError::ExtraSeparator => f.write_str("app key has more than one '#'"),
            AppKeyError::EmptyOrg => f.write_str("app key has an empty organisation name"),
            AppKeyError::EmptyApp => f.write_str("app key has an empty application name"),
            AppKeyError::TooLong => {
                write!(f, "app key part longer than {MAX_APP_KEY_PART_LEN} bytes")
            }
            AppKeyError::InvalidCharacter { offset } => {
                write!(f, "invalid character in app key at byte {offset}")
            }
        }
    }
}

impl core::error::Error for AppKeyError {}

impl<'a> AppKey<'a> {
    /// Parses `org#app`.
    pub fn parse(text: &'a str) -> Result<AppKey<'a>, AppKeyError> {
        let (org, app) = text.split_once('#').ok_or(AppKeyError::MissingSeparator)?;
        if app.contains('#') {
            return Err(AppKeyError::ExtraSeparator);
        }
        if org.is_empty() {
            return Err(AppKeyError::EmptyOrg);
        }
        if app.is_empty() {
            return Err(AppKeyError::EmptyApp);
        }
        if org.len() > MAX_APP_KEY_PART_LEN || app.len() > MAX_APP_KEY_PART_LEN {
            return Err(AppKeyError::TooLong);
        }
        let app_start = org.len().saturating_add(1);
        check_name(org, 0)
            .and(check_name(app, app_start))
            .map_err(|offset| AppKeyError::InvalidCharacter { offset })?;
        Ok(AppKey { text, org, app })
    }

    /// The whole app key, `org#app`, as given.
    pub const fn as_str(&self) -> &'a str {
        self.text
    }

    /// The organisation name, before the `#`.
    pub const fn org(&self) -> &'a str {
        self.org
    }

    /// The application name, after the `#`.
    pub const fn app(&self) -> &'a str {
        self.app
    }

    /// The app key percent-encoded for a query string: `org%23app` (PROTOCOL.md §3.1; a raw `#`
    /// would turn the rest of the query into a fragment).
    pub const fn query_value(&self) -> AppKeyQueryValue<'a> {
        AppKeyQueryValue(*self)
    }

    /// The REST path prefix `/{org}/{app}` that REST calls append to the REST base.
    pub const fn rest_path(&self) -> AppKeyRestPath<'a> {
        AppKeyRestPath(*self)
    }
}

impl fmt::Display for AppKey<'_> {
    /// Writes `org#app`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

/// Formats an app key as a query value, `org%23app`; see [`AppKey::query_value`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct AppKeyQueryValue<'a>(AppKey<'a>);

impl fmt::Display for AppKeyQueryValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        http::PercentEncoded(self.0.text).fmt(f)
    }
}

/// Formats an app key's REST path, `/{org}/{app}`; see [`AppKey::rest_path`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct AppKeyRestPath<'a>(AppKey<'a>);

impl fmt::Display for AppKeyRestPath<'_> {
    /// The path the token request writes (`wire::http::write_token_request`): each part
    /// percent-encoded, which leaves a valid app key as it is.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (org, app) = (
            http::PercentEncoded(self.0.org),
            http::PercentEncoded(self.0.app),
        );
        write!(f, "/{org}/{app}")
    }
}

/// A Shengwang (声网) / Agora App ID, borrowed from its text.
///
/// Non-empty, at most [`MAX_APP_ID_LEN`] bytes of ASCII letters, digits, `-`, `_` and `.`, so it
/// goes into the bootstrap query (`app_id=…`) without escaping.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct AppId<'a>(&'a str);

/// Why a string is not a valid App ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum AppIdError {
    /// The App ID is empty.
    Empty,
    /// The App ID is longer than [`MAX_APP_ID_LEN`] bytes.
    TooLong,
    /// The byte at this offset is not an ASCII letter, digit, `-`, `_` or `.`.
    InvalidCharacter {
        /// Byte offset into the App ID.
        offset: usize,
    },
}

impl fmt::Display for AppIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AppIdError::Empty => f.write_str("empty App ID"),
            AppIdError::TooLong => write!(f, "App ID longer than {MAX_APP_ID_LEN} bytes"),
            AppIdError::InvalidCharacter { offset } => {
                write!(f, "invalid character in App ID at byte {offset}")
            }
        }
    }
}

impl core::error::Error for AppIdError {}

impl<'a> AppId<'a> {
    /// Checks and wraps an App ID.
    pub fn parse(text: &'a str) -> Result<AppId<'a>, AppIdError> {
        if text.is_empty() {
            return Err(AppIdError::Empty);
        }
        if text.len() > MAX_APP_ID_LEN {
            return Err(AppIdError::TooLong);
        }
        check_name(text, 0).map_err(|offset| AppIdError::InvalidCharacter { offset })?;
        Ok(AppId(text))
    }

    /// The App ID text.
    pub const fn as_str(&self) -> &'a str {
        self.0
    }
}

impl fmt::Display for AppId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

/// How the client names its application.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum AppIdentity<'a> {
    /// An Easemob app key: REST and the gateway can be used directly; the bootstrap is optional
    /// (`server.json?app_key=org%23app`).
    Key(AppKey<'a>),
    /// A Shengwang App ID: the client must first call the bootstrap with `app_id=…` and take
    /// `app_key` from the reply (PROTOCOL.md §2.8); the wire protocol is otherwise identical.
    Id(AppId<'a>),
}

impl<'a> AppIdentity<'a> {
    /// The app key, when it is known without the bootstrap.
    pub const fn app_key(&self) -> Option<AppKey<'a>> {
        match self {
            AppIdentity::Key(key) => Some(*key),
            AppIdentity::Id(_) => None,
        }
    }

    /// Whether the bootstrap (`server.json`) must be called to learn the app key.
    pub const fn needs_bootstrap(&self) -> bool {
        matches!(self, AppIdentity::Id(_))
    }
}

impl<'a> From<AppKey<'a>> for AppIdentity<'a> {
    fn from(key: AppKey<'a>) -> Self {
        AppIdentity::Key(key)
    }
}

impl<'a> From<AppId<'a>> for AppIdentity<'a> {
    fn from(id: AppId<'a>) -> Self {
        AppIdentity::Id(id)
    }
}

impl<'a> From<AppIdentity<'a>> for http::AppIdentity<'a> {
    /// The bootstrap request's form of the identity (`app_key=` or `app_id=`).
    fn from(identity: AppIdentity<'a>) -> Self {
        match identity {
            AppIdentity::Key(key) => http::AppIdentity::AppKey(key.as_str()),
            AppIdentity::Id(id) => http::AppIdentity::AppId(id.as_str()),
        }
    }
}

/// Checks that `name` holds only ASCII letters, digits, `-`, `_`, `.`; on failure reports the byte
/// offset of the first bad byte, counted from `base`.
fn check_name(name: &str, base: usize) -> Result<(), usize> {
    match name
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')))
    {
        Some(index) => Err(base.saturating_add(index)),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::format;
    use std::string::ToString;

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn parses_org_and_app() {
        let key = AppKey::parse("easemob-demo#chatdemoui").unwrap();
        assert_eq!(key.org(), "easemob-demo");
        assert_eq!(key.app(), "chatdemoui");
        assert_eq!(key.to_string(), "easemob-demo#chatdemoui");
        assert_eq!(key.as_str(), "easemob-demo#chatdemoui");
        assert_eq!(key.query_value().to_string(), "easemob-demo%23chatdemoui");
        assert_eq!(key.rest_path().to_string(), "/easemob-demo/chatdemoui");
        let key = AppKey::parse("1112161021178076#demo_1.x").unwrap();
        assert_eq!((key.org(), key.app()), ("1112161021178076", "demo_1.x"));
    }

    #[test]
    fn app_key_errors_are_typed() {
        for (text, error) in [
            ("", AppKeyError::MissingSeparator),
            ("orgapp", AppKeyError::MissingSeparator),
            ("org#app#x", AppKeyError::ExtraSeparator),
            ("##", AppKeyError::ExtraSeparator),
            ("#app", AppKeyError::EmptyOrg),
            ("org#", AppKeyError::EmptyApp),
            ("#", AppKeyError::EmptyOrg),
            ("or g#app", AppKeyError::InvalidCharacter { offset: 2 }),
            ("org#ap/p", AppKeyError::InvalidCharacter { offset: 6 }),
            ("org#app\n", AppKeyError::InvalidCharacter { offset: 7 }),
            ("org#应用", AppKeyError::InvalidCharacter { offset: 4 }),
        ] {
            assert_eq!(AppKey::parse(text), Err(error), "{text:?}");
        }
        let long = "a".repeat(MAX_APP_KEY_PART_LEN + 1);
        assert_eq!(
            AppKey::parse(&format!("{long}#app")),
            Err(AppKeyError::TooLong)
        );
        assert_eq!(
            AppKey::parse(&format!("org#{long}")),
            Err(AppKeyError::TooLong)
        );
        let longest = "a".repeat(MAX_APP_KEY_PART_LEN);
        assert!(AppKey::parse(&format!("{longest}#{longest}")).is_ok());
        assert_eq!(
            AppKeyError::EmptyApp.to_string(),
            "app key has an empty application name"
        );
    }

    #[test]
    fn app_ids() {
        let id = AppId::parse("0123456789abcdef0123456789abcdef").unwrap();
        assert_eq!(id.as_str(), "0123456789abcdef0123456789abcdef");
        assert_eq!(id.to_string(), id.as_str());
        assert_eq!(AppId::parse(""), Err(AppIdError::Empty));
        assert_eq!(
            AppId::parse("ab&c"),
            Err(AppIdError::InvalidCharacter { offset: 2 })
        );
        assert_eq!(
            AppId::parse("org#app"),
            Err(AppIdError::InvalidCharacter { offset: 3 })
        );
        assert_eq!(
            AppId::parse(&"a".repeat(MAX_APP_ID_LEN + 1)),
            Err(AppIdError::TooLong)
        );
    }

    #[test]
    fn identity_tells_whether_bootstrap_is_needed() {
        let key = AppKey::parse("org#app").unwrap();
        let by_key = AppIdentity::from(key);
        assert_eq!(by_key.app_key(), Some(key));
        assert!(!by_key.needs_bootstrap());
        let by_id = AppIdentity::from(AppId::parse("abc").unwrap());
        assert_eq!(by_id.app_key(), None);
        assert!(by_id.needs_bootstrap());
        assert_eq!(
            http::AppIdentity::from(by_key),
            http::AppIdentity::AppKey("org#app")
        );
        assert_eq!(
            http::AppIdentity::from(by_id),
            http::AppIdentity::AppId("abc")
        );
    }

    proptest! {
        #[test]
        fn random_text_never_panics(text in "\\PC{0,40}") {
            let _ = AppKey::parse(&text);
            let _ = AppId::parse(&text);
        }

        #[test]
        fn valid_keys_round_trip(org in "[A-Za-z0-9._-]{1,20}", app in "[A-Za-z0-9._-]{1,20}") {
            let text = format!("{org}#{app}");
            let key = AppKey::parse(&text).unwrap();
            prop_assert_eq!(key.org(), org.as_str());
            prop_assert_eq!(key.app(), app.as_str());
            prop_assert_eq!(key.to_string(), text);
        }
    }
}
