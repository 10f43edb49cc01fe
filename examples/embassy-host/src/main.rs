//! The embassy adapter on a host: embassy's std executor, embassy-net over a Linux TAP device
//! (the same stack a microcontroller runs over its Ethernet driver), and the msync client
//! logging in to a devserver on the other side of the TAP device.
//!
//! ```text
//! msync-embassy-host --tap tap0 --address 10.77.0.2/24 --server 10.77.0.1:8099 \
//!     --app-key 'embassy#tap' --user device --peer operator \
//!     --send 'hello from embassy' --expect 'hello device' [--ca cert.pem]
//! ```
//!
//! The password comes from `MSYNC_PASSWORD`. The program logs in, sends `--send` to `--peer`
//! and waits for the server's acknowledgement, waits for a message from `--peer` whose text is
//! `--expect`, logs out, and exits 0; any failure or a 60-second limit exits 1. With `--ca`
//! (the devserver's `--tls --cert-out` PEM) it connects with TLS 1.3 and verifies the server's
//! certificate against it, expecting the name `localhost` that the devserver's certificate
//! carries. `examples/embassy-host/run.sh` runs it in a network namespace.

use std::process::ExitCode;

use embassy_executor::{Executor, Spawner};
use embassy_net::{Stack, StackResources, StaticConfigV4};
use embassy_net_tuntap::TunTapDevice;
use embassy_sync::blocking_mutex::raw::NoopRawMutex;
use embassy_time::{Duration, with_timeout};
use msync_core::app::{AppIdentity, AppKey};
use msync_core::driver::Clock as _;
use msync_core::region::Endpoint;
use msync_core::session::{Config, Credential, EndpointConfig, Session};
use msync_embassy::{
    Buffers, ClientChannels, ClientEvent, Content, EmbassyClock, Runner, TlsOptions, Verify,
};
use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use static_cell::StaticCell;

mod args;

use args::Args;

/// The whole exchange must end within this.
const LIMIT: Duration = Duration::from_secs(60);

type Channels = ClientChannels<NoopRawMutex, 1024, 8>;

#[embassy_executor::task]
async fn net_task(mut runner: embassy_net::Runner<'static, TunTapDevice>) -> ! {
    runner.run().await
}

/// Runs the session until the client stops it.
#[embassy_executor::task]
async fn client_task(
    stack: Stack<'static>,
    session: &'static mut Session<'static, StdRng>,
    ca: Option<&'static [u8]>,
    channels: &'static Channels,
) {
    static TCP_RX: StaticCell<[u8; 4096]> = StaticCell::new();
    static TCP_TX: StaticCell<[u8; 4096]> = StaticCell::new();
    static TLS_READ: StaticCell<[u8; 16_640]> = StaticCell::new();
    static TLS_WRITE: StaticCell<[u8; 4096]> = StaticCell::new();
    let (tcp_rx, tcp_tx) = (TCP_RX.init([0; 4096]), TCP_TX.init([0; 4096]));
    let mut app = channels.application();
    let clock = EmbassyClock::from_unix_millis(unix_millis());
    match ca {
        None => {
            let mut runner = Runner::new(stack, Buffers::plain(tcp_rx, tcp_tx));
            runner.run(session, clock, &mut app).await;
        }
        Some(certificate) => {
            let buffers = Buffers::tls(
                tcp_rx,
                tcp_tx,
                TLS_READ.init([0; 16_640]),
                TLS_WRITE.init([0; 4096]),
            );
            let verify = Verify::Ca {
                certificate,
                server_name: Some("localhost"),
            };
            let tls = TlsOptions::new(verify, StdRng::from_os_rng());
            let mut runner = Runner::new(stack, buffers).with_tls(tls);
            runner.run(session, clock, &mut app).await;
        }
    }
}

/// The exchange; exits the process with its outcome.
#[embassy_executor::task]
async fn exchange_task(args: &'static Args, channels: &'static Channels) {
    let outcome = with_timeout(LIMIT, exchange(args, channels)).await;
    let code = match outcome {
        Ok(Ok(())) => 0,
        Ok(Err(error)) => {
            eprintln!("error: {error}");
            1
        }
        Err(_) => {
            eprintln!("error: no exchange within {} s", LIMIT.as_secs());
            1
        }
    };
    std::process::exit(code);
}

async fn exchange(args: &Args, channels: &Channels) -> Result<(), String> {
    let client = channels.client();
    client.login().await.map_err(|e| format!("login: {e:?}"))?;
    println!("online as {}", args.user);
    let ack = client
        .send_text(&args.peer, &args.send)
        .await
        .map_err(|e| format!("send: {e:?}"))?;
    println!("sent to {}: server id {}", args.peer, ack.server_id);
    loop {
        match client.next_event().await {
            ClientEvent::Message(message) if message.from.as_str() == args.peer => {
                let Content::Text(text) = message.content() else {
                    return Err(format!("not a text message: {:?}", message.content()));
                };
                if text != args.expect {
                    return Err(format!("expected {:?}, received {text:?}", args.expect));
                }
                println!("received from {}: {text}", message.from);
                break;
            }
            ClientEvent::Closed { reason } => return Err(format!("session closed: {reason:?}")),
            _ => {}
        }
    }
    client
        .logout()
        .await
        .map_err(|e| format!("logout: {e:?}"))?;
    println!("logged out");
    client.stop().await;
    Ok(())
}

fn unix_millis() -> u64 {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    u64::try_from(now.as_millis()).unwrap_or(u64::MAX)
}

fn start(spawner: Spawner, args: &'static Args) -> Result<(), String> {
    let mut device =
        TunTapDevice::new(&args.tap).map_err(|e| format!("TAP device {}: {e}", args.tap))?;
    let mut rng = StdRng::from_os_rng();
    let mut mac = [0u8; 6];
    rng.fill_bytes(&mut mac);
    mac[0] = (mac[0] & 0xfe) | 0x02; // unicast, locally administered
    device.set_hardware_address(mac);
    let config = embassy_net::Config::ipv4_static(StaticConfigV4 {
        address: args.address,
        gateway: None,
        dns_servers: Default::default(),
    });
    static RESOURCES: StaticCell<StackResources<4>> = StaticCell::new();
    let (stack, net_runner) = embassy_net::new(
        device,
        config,
        RESOURCES.init(StackResources::new()),
        rng.next_u64(),
    );

    let (scheme, ws) = if args.ca.is_some() {
        ("https", "wss")
    } else {
        ("http", "ws")
    };
    let rest: &'static str = format!("{scheme}://{}", args.server).leak();
    let gateway: &'static str = format!("{ws}://{}/websocket", args.server).leak();
    let endpoint = Endpoint::custom(rest, gateway).map_err(|e| format!("endpoint: {e}"))?;
    let app_key = AppKey::parse(&args.app_key).map_err(|e| format!("app key: {e}"))?;
    static CONFIG: StaticCell<Config<'static>> = StaticCell::new();
    let config = CONFIG.init(
        Config::new(
            AppIdentity::Key(app_key),
            &args.user,
            Credential::Password(&args.password),
            "embassy_host",
        )
        .with_endpoints(EndpointConfig::Custom(endpoint)),
    );
    let now = EmbassyClock::from_unix_millis(unix_millis()).now();
    let session = Session::new(config, StdRng::from_os_rng(), now)
        .map_err(|e| format!("configuration: {e:?}"))?;
    static SESSION: StaticCell<Session<'static, StdRng>> = StaticCell::new();
    let session = SESSION.init(session);

    let ca: Option<&'static [u8]> = match &args.ca {
        Some(path) => Some(args::certificate_der(path)?.leak()),
        None => None,
    };
    static CHANNELS: StaticCell<Channels> = StaticCell::new();
    let channels: &'static Channels = CHANNELS.init(Channels::new());
    spawner.spawn(token(net_task(net_runner))?);
    spawner.spawn(token(client_task(stack, session, ca, channels))?);
    spawner.spawn(token(exchange_task(args, channels))?);
    Ok(())
}

fn token<S>(
    token: Result<embassy_executor::SpawnToken<S>, embassy_executor::SpawnError>,
) -> Result<embassy_executor::SpawnToken<S>, String> {
    token.map_err(|_| "task already running".to_owned())
}

fn main() -> ExitCode {
    let args: &'static Args = match Args::parse(std::env::args().skip(1)) {
        Ok(args) => Box::leak(Box::new(args)),
        Err(error) => {
            eprintln!("error: {error}\n\n{}", args::USAGE);
            return ExitCode::from(2);
        }
    };
    if args.verbose {
        args::log_to_stderr();
    }
    static EXECUTOR: StaticCell<Executor> = StaticCell::new();
    EXECUTOR.init(Executor::new()).run(|spawner| {
        if let Err(error) = start(spawner, args) {
            eprintln!("error: {error}");
            std::process::exit(1);
        }
    })
}
