//! An in-memory network for the adapter's tests: a client-side and a server-side embassy-net
//! stack joined by a channel driver (IP frames copied between two queues, nothing leaves the
//! process), a DNS responder and TCP bridges to devservers on 127.0.0.1 on the server side.

#![allow(dead_code, unreachable_pub)]

pub mod dns;

use std::net::SocketAddr;

use embassy_futures::join::join;
use embassy_futures::select::{Either, select};
use embassy_net::tcp::TcpSocket;
use embassy_net::{Ipv4Address, Ipv4Cidr, Stack, StackResources, StaticConfigV4};
use embassy_net_driver_channel as channel;
use embassy_net_driver_channel::driver::{HardwareAddress, LinkState};
use embassy_time::{Duration, with_timeout};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The server side's address on the in-memory network (loopback range: it never leaves the
/// process either way).
pub const SERVER_IP: Ipv4Address = Ipv4Address::new(127, 77, 0, 1);
/// The client side's address.
pub const CLIENT_IP: Ipv4Address = Ipv4Address::new(127, 77, 0, 2);

pub const MTU: usize = 1500;
pub type ChannelState = channel::State<MTU, 8, 8>;
pub type Device<'d> = channel::Device<'d, MTU>;

/// Memory for the two stacks and the wire.
pub struct NetMemory {
    pub client_channel: ChannelState,
    pub server_channel: ChannelState,
    pub client_resources: StackResources<8>,
    pub server_resources: StackResources<12>,
}

impl NetMemory {
    pub fn new() -> Box<Self> {
        Box::new(Self {
            client_channel: ChannelState::new(),
            server_channel: ChannelState::new(),
            client_resources: StackResources::new(),
            server_resources: StackResources::new(),
        })
    }
}

/// The two stacks and the future that runs them and the wire between them.
pub fn network(
    memory: &mut NetMemory,
) -> (
    Stack<'_>,
    Stack<'_>,
    impl core::future::Future<Output = ()> + '_,
) {
    let (client_wire, client_device) =
        channel::new(&mut memory.client_channel, HardwareAddress::Ip);
    let (server_wire, server_device) =
        channel::new(&mut memory.server_channel, HardwareAddress::Ip);
    let client_config = embassy_net::Config::ipv4_static(StaticConfigV4 {
        address: Ipv4Cidr::new(CLIENT_IP, 24),
        gateway: None,
        dns_servers: [SERVER_IP].into_iter().collect(),
    });
    let server_config = embassy_net::Config::ipv4_static(StaticConfigV4 {
        address: Ipv4Cidr::new(SERVER_IP, 24),
        gateway: None,
        dns_servers: Default::default(),
    });
    let (client, mut client_runner) = embassy_net::new(
        client_device,
        client_config,
        &mut memory.client_resources,
        7,
    );
    let (server, mut server_runner) = embassy_net::new(
        server_device,
        server_config,
        &mut memory.server_resources,
        11,
    );
    let run = async move {
        let stacks = join(client_runner.run(), server_runner.run());
        let wire = wire(client_wire, server_wire);
        select(stacks, wire).await;
    };
    (client, server, run)
}

/// Copies every frame one side sends to the other side's receive queue.
async fn wire(a: channel::Runner<'_, MTU>, b: channel::Runner<'_, MTU>) {
    let (a_state, mut a_rx, mut a_tx) = a.split();
    let (b_state, mut b_rx, mut b_tx) = b.split();
    a_state.set_link_state(LinkState::Up);
    b_state.set_link_state(LinkState::Up);
    join(forward(&mut a_tx, &mut b_rx), forward(&mut b_tx, &mut a_rx)).await;
}

async fn forward(from: &mut channel::TxRunner<'_, MTU>, to: &mut channel::RxRunner<'_, MTU>) {
    loop {
        let frame = from.tx_buf().await;
        let len = frame.len();
        let slot = to.rx_buf().await;
        slot[..len].copy_from_slice(frame);
        to.rx_done(len);
        from.tx_done();
    }
}

/// Accepts TCP connections on `port` of the server stack and joins each to `upstream` (a
/// devserver on 127.0.0.1), one at a time per worker.
pub async fn bridge(stack: Stack<'_>, port: u16, upstream: SocketAddr) {
    let mut rx = vec![0u8; 8192];
    let mut tx = vec![0u8; 8192];
    loop {
        let mut socket = TcpSocket::new(stack, &mut rx, &mut tx);
        if socket.accept(port).await.is_err() {
            continue;
        }
        match tokio::net::TcpStream::connect(upstream).await {
            Ok(stream) => shuttle(&mut socket, stream).await,
            Err(_) => socket.abort(),
        }
        let _ = with_timeout(Duration::from_millis(500), socket.flush()).await;
    }
}

/// Copies both ways until either side ends, then closes the other.
async fn shuttle(socket: &mut TcpSocket<'_>, stream: tokio::net::TcpStream) {
    let (mut up_read, mut up_write) = stream.into_split();
    let (mut down_read, mut down_write) = socket.split();
    let to_server = async {
        let mut buf = [0u8; 2048];
        loop {
            match down_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if up_write.write_all(&buf[..n]).await.is_err() {
                        break;
                    }
                }
            }
        }
        let _ = up_write.shutdown().await;
    };
    let to_client = async {
        let mut buf = [0u8; 2048];
        loop {
            match up_read.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    if embedded_io_async::Write::write_all(&mut down_write, &buf[..n])
                        .await
                        .is_err()
                    {
                        break;
                    }
                }
            }
        }
    };
    match select(to_server, to_client).await {
        Either::First(()) | Either::Second(()) => {}
    }
    socket.close();
}

/// Logs to stderr (captured by the test harness, shown for failing tests).
struct StderrLogger;

impl log::Log for StderrLogger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.level() <= log::Level::Debug
    }

    fn log(&self, record: &log::Record<'_>) {
        if self.enabled(record.metadata()) {
            eprintln!(
                "[{} ms] {} {}",
                embassy_time::Instant::now().as_millis(),
                record.level(),
                record.args()
            );
        }
    }

    fn flush(&self) {}
}

/// Turns on [`StderrLogger`] (once per test binary).
pub fn log_to_stderr() {
    static LOGGER: StderrLogger = StderrLogger;
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Debug);
    }
}
