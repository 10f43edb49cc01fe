//! Logging macros: `defmt` or `log` by feature, nothing otherwise. Nothing logged here carries
//! a token or a password.

#[cfg(feature = "defmt")]
macro_rules! debug {
    ($($arg:tt)*) => { ::defmt::debug!($($arg)*) };
}

#[cfg(all(feature = "log", not(feature = "defmt")))]
macro_rules! debug {
    ($($arg:tt)*) => { ::log::debug!($($arg)*) };
}

#[cfg(not(any(feature = "defmt", feature = "log")))]
macro_rules! debug {
    ($($arg:expr),* $(,)?) => {{ $( let _ = &$arg; )* }};
}

#[cfg(feature = "defmt")]
macro_rules! warning {
    ($($arg:tt)*) => { ::defmt::warn!($($arg)*) };
}

#[cfg(all(feature = "log", not(feature = "defmt")))]
macro_rules! warning {
    ($($arg:tt)*) => { ::log::warn!($($arg)*) };
}

#[cfg(not(any(feature = "defmt", feature = "log")))]
macro_rules! warning {
    ($($arg:expr),* $(,)?) => {{ $( let _ = &$arg; )* }};
}

pub(crate) use {debug, warning};
