//! The chat client: the session, the runner task over the network stack with TLS, and the
//! application's two tasks (events and commands; logging in and sending).

use core::fmt::Write as _;

use embassy_executor::Spawner;
use embassy_futures::select::{Either3, select3};
use embassy_net::Stack;
use embassy_stm32::exti::ExtiInput;
use embassy_stm32::gpio::Output;
use embassy_stm32::mode::Async;
use embassy_sync::blocking_mutex::raw::CriticalSectionRawMutex;
use embassy_sync::signal::Signal;
use embassy_time::{Duration, Timer};
use heapless::String;
use msync_core::app::{AppIdentity, AppKey};
use msync_core::driver::Clock as _;
use msync_core::session::{Config, Credential, Session};
use msync_embassy::{
    Buffers, ClientChannels, ClientEvent, Content, EmbassyClock, KeyValue, Name, OutgoingMessage,
    Runner, TlsOptions, Value, Verify,
};
use static_cell::StaticCell;

use crate::rng::SharedRng;

/// Build-time settings, with placeholders that build but do not log in.
const APP_KEY: &str = env_or(option_env!("MSYNC_APP_KEY"), "org#app");
const USER: &str = env_or(option_env!("MSYNC_USER"), "device-0001");
const TOKEN: &str = env_or(option_env!("MSYNC_TOKEN"), "YWMt-provisioned-token");
const PEER: &str = env_or(option_env!("MSYNC_PEER"), "operator");

/// The trust anchor the cloud's chain must lead to (DER, a P-256 CA).
static TRUST_ANCHOR: &[u8] = include_bytes!("../trust-anchor.der");

const fn env_or(value: Option<&'static str>, default: &'static str) -> &'static str {
    match value {
        Some(value) => value,
        None => default,
    }
}

/// The session's capacities on this device: 8 KiB received messages, 2 KiB frames, 4 sends in
/// flight in 2 KiB, 128 remembered ids, 2 queues.
type DeviceSession = Session<'static, SharedRng, 8192, 2048, 4, 2048, 128, 2>;

/// A message's text (with its attributes' keys and string values) is bounded to 256 bytes and
/// its attributes to 4; 4 events may wait.
type Channels = ClientChannels<CriticalSectionRawMutex, 256, 4, 4>;
/// Who sent `ping` last (the event task tells the reporting task).
static PING: Signal<CriticalSectionRawMutex, Name> = Signal::new();

/// Builds the session (the device's uuid names its resource) and starts the client's tasks.
pub fn start(
    spawner: Spawner,
    stack: Stack<'static>,
    rng: SharedRng,
    uuid: &'static str,
    led: Output<'static>,
    button: ExtiInput<'static, Async>,
) {
    static CONFIG: StaticCell<Config<'static>> = StaticCell::new();
    let Ok(app_key) = AppKey::parse(APP_KEY) else {
        panic!("MSYNC_APP_KEY is not org#app");
    };
    let config = CONFIG.init(Config::new(
        AppIdentity::Key(app_key),
        USER,
        Credential::Token(TOKEN),
        uuid,
    ));
    // In a StaticCell, the channels lie in .bss; in a `static` initialised with
    // `ClientChannels::new()` they would lie in .data, their initial image taking flash too.
    static CHANNELS: StaticCell<Channels> = StaticCell::new();
    let channels: &'static Channels = CHANNELS.init_with(Channels::new);
    static SESSION: StaticCell<DeviceSession> = StaticCell::new();
    let now = EmbassyClock::since_boot().now();
    let session = SESSION.init_with(|| match DeviceSession::new(config, rng, now) {
        Ok(session) => session,
        Err(_) => panic!("invalid session configuration"),
    });
    let (Ok(msync), Ok(events), Ok(reports)) = (
        msync_task(stack, session, rng, channels),
        event_task(channels, led),
        report_task(channels, button),
    ) else {
        panic!("a client task is already running");
    };
    spawner.spawn(msync);
    spawner.spawn(events);
    spawner.spawn(reports);
}

/// Runs the client: the session over the stack, with TLS, for ever.
#[embassy_executor::task]
async fn msync_task(
    stack: Stack<'static>,
    session: &'static mut DeviceSession,
    tls_rng: SharedRng,
    channels: &'static Channels,
) -> ! {
    static TCP_RX: StaticCell<[u8; 2048]> = StaticCell::new();
    static TCP_TX: StaticCell<[u8; 2048]> = StaticCell::new();
    static TLS_READ: StaticCell<[u8; 16_640]> = StaticCell::new();
    static TLS_WRITE: StaticCell<[u8; 2048]> = StaticCell::new();
    let buffers = Buffers::tls(
        TCP_RX.init([0; 2048]),
        TCP_TX.init([0; 2048]),
        TLS_READ.init([0; 16_640]),
        TLS_WRITE.init([0; 2048]),
    );
    let verify = Verify::Ca {
        certificate: TRUST_ANCHOR,
        server_name: None,
    };
    let mut runner = Runner::new(stack, buffers).with_tls(TlsOptions::new(verify, tls_rng));
    let mut app = channels.application();
    stack.wait_config_up().await;
    loop {
        runner
            .run(&mut *session, EmbassyClock::since_boot(), &mut app)
            .await;
    }
}

/// Reads events: a `led` command (parameter `on`, a boolean) sets the LED; a `ping` (text or
/// command) is passed to the reporting task (a task that reads events must not wait on a send
/// itself, or a burst of events could stall it).
#[embassy_executor::task]
async fn event_task(channels: &'static Channels, mut led: Output<'static>) -> ! {
    let client = channels.client();
    loop {
        let ClientEvent::Message(message) = client.next_event().await else {
            continue;
        };
        match message.content() {
            Content::Command {
                action: "led",
                params,
            } => {
                if let Some(Value::Varint(on)) = params.get("on") {
                    led.set_level((on != 0).into());
                }
            }
            Content::Command { action: "ping", .. } | Content::Text("ping") => {
                PING.signal(message.from);
            }
            _ => {}
        }
    }
}

/// Logs in, says hello, raises an alarm when the button is pressed, answers pings and reports
/// every five minutes.
#[embassy_executor::task]
async fn report_task(channels: &'static Channels, mut button: ExtiInput<'static, Async>) -> ! {
    let client = channels.client();
    while client.login().await.is_err() {
        Timer::after(Duration::from_secs(30)).await;
    }
    let _ = client.send_text(PEER, "online").await;
    let (mut reports, mut alarms): (u32, i64) = (0, 0);
    loop {
        let report = Timer::after(Duration::from_secs(300));
        match select3(report, PING.wait(), button.wait_for_rising_edge()).await {
            Either3::First(()) => {
                reports = reports.wrapping_add(1);
                let mut text: String<32> = String::new();
                let _ = write!(text, "report {reports}");
                let _ = client.send_text(PEER, &text).await;
            }
            Either3::Second(from) => {
                let _ = client.send_text(&from, "pong").await;
            }
            Either3::Third(()) => {
                alarms = alarms.wrapping_add(1);
                let fields = [
                    KeyValue::string("source", "button"),
                    KeyValue::int("count", alarms),
                ];
                let alarm = OutgoingMessage::custom(PEER, "alarm", &fields);
                // Completes with the server's acknowledgement, or why not (e.g. TooLong).
                let _ = client.send(&alarm).await;
            }
        }
    }
}
