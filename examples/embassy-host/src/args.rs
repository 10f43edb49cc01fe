//! Command-line arguments, the certificate file, and logging.

use embassy_net::Ipv4Cidr;

pub(crate) const USAGE: &str =
    "usage: msync-embassy-host --tap NAME --address IP/PREFIX --server IP:PORT \\
    --app-key ORG#APP --user NAME --peer NAME --send TEXT --expect TEXT [--ca PEM] [--verbose]
(the password comes from MSYNC_PASSWORD)";

/// What to do.
pub(crate) struct Args {
    pub(crate) tap: String,
    pub(crate) address: Ipv4Cidr,
    pub(crate) server: String,
    pub(crate) app_key: String,
    pub(crate) user: String,
    pub(crate) password: String,
    pub(crate) peer: String,
    pub(crate) send: String,
    pub(crate) expect: String,
    pub(crate) ca: Option<String>,
    pub(crate) verbose: bool,
}

impl Args {
    pub(crate) fn parse(mut args: impl Iterator<Item = String>) -> Result<Self, String> {
        let mut tap = None;
        let mut address = None;
        let mut server = None;
        let mut app_key = None;
        let mut user = None;
        let mut peer = None;
        let mut send = None;
        let mut expect = None;
        let mut ca = None;
        let mut verbose = false;
        while let Some(flag) = args.next() {
            if flag == "--verbose" {
                verbose = true;
                continue;
            }
            let value = args.next().ok_or(format!("{flag} needs a value"))?;
            let slot = match flag.as_str() {
                "--tap" => &mut tap,
                "--address" => &mut address,
                "--server" => &mut server,
                "--app-key" => &mut app_key,
                "--user" => &mut user,
                "--peer" => &mut peer,
                "--send" => &mut send,
                "--expect" => &mut expect,
                "--ca" => &mut ca,
                other => return Err(format!("unknown flag {other}")),
            };
            *slot = Some(value);
        }
        let required =
            |value: Option<String>, flag: &str| value.ok_or(format!("{flag} is required"));
        let address = required(address, "--address")?;
        Ok(Self {
            tap: required(tap, "--tap")?,
            address: parse_cidr(&address).ok_or(format!("--address {address}: not IP/PREFIX"))?,
            server: required(server, "--server")?,
            app_key: required(app_key, "--app-key")?,
            user: required(user, "--user")?,
            password: std::env::var("MSYNC_PASSWORD")
                .map_err(|_| "MSYNC_PASSWORD is not set".to_owned())?,
            peer: required(peer, "--peer")?,
            send: required(send, "--send")?,
            expect: required(expect, "--expect")?,
            ca,
            verbose,
        })
    }
}

fn parse_cidr(text: &str) -> Option<Ipv4Cidr> {
    let (address, prefix) = text.split_once('/')?;
    let address: std::net::Ipv4Addr = address.parse().ok()?;
    let prefix: u8 = prefix.parse().ok().filter(|p| *p <= 32)?;
    Some(Ipv4Cidr::new(address, prefix))
}

/// The DER of the first certificate in a PEM file.
pub(crate) fn certificate_der(path: &str) -> Result<Vec<u8>, String> {
    use base64::Engine as _;
    let pem = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let body: String = pem
        .lines()
        .skip_while(|line| !line.starts_with("-----BEGIN CERTIFICATE"))
        .skip(1)
        .take_while(|line| !line.starts_with("-----END"))
        .collect();
    base64::engine::general_purpose::STANDARD
        .decode(body)
        .map_err(|e| format!("{path}: not a PEM certificate ({e})"))
}

/// The adapter's log (`log` facade) to stderr.
pub(crate) fn log_to_stderr() {
    struct Stderr;
    impl log::Log for Stderr {
        fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
            metadata.level() <= log::Level::Debug
        }
        fn log(&self, record: &log::Record<'_>) {
            eprintln!("{} {}", record.level(), record.args());
        }
        fn flush(&self) {}
    }
    static LOGGER: Stderr = Stderr;
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Debug);
    }
}
