//! The core's driver run directly (as the embassy adapter runs it) over streams that read and
//! write a few bytes at a time, slowly, while requests and short timers keep interrupting the
//! reads: every byte must still arrive, every send end acknowledged once, and every message be
//! received once. Against the devserver on 127.0.0.1.

mod common;

use std::collections::{HashSet, VecDeque};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use common::{APP, PASSWORD, messages, online, plain_server, within};
use embedded_io_async::{ErrorType, Read, Write};
use msync_tokio::msync_core::app::{AppIdentity, AppKey};
use msync_tokio::msync_core::driver::{Application, Clock, Connector, Driver, Inputs};
use msync_tokio::msync_core::region::Endpoint;
use msync_tokio::msync_core::session::{
    Config, Credential, EndpointConfig, Event, MessageId, OutgoingMessage, Remote, SendError,
    Session, Timings, TransportError,
};
use msync_tokio::msync_core::time;
use msync_tokio::{TlsOptions, TokioClock, TokioConnector, TokioStream};
use rand::SeedableRng;
use rand::rngs::StdRng;
use tokio::sync::mpsc;

/// Messages each way.
const N: usize = 25;

/// What the chopped streams did, to show the test exercised what it claims.
#[derive(Default)]
struct Counters {
    reads_started: AtomicUsize,
    reads_finished: AtomicUsize,
    partial_writes: AtomicUsize,
    connects: AtomicUsize,
}

/// A connector whose streams move 1 to 7 bytes per call, each read after a short sleep.
struct Chopped {
    inner: TokioConnector,
    counters: Arc<Counters>,
}

struct ChoppedStream {
    inner: TokioStream,
    counters: Arc<Counters>,
    rng: StdRng,
}

impl Connector for Chopped {
    type Stream<'a> = ChoppedStream;

    async fn connect(&self, remote: &Remote<'_>) -> Result<ChoppedStream, TransportError> {
        let inner = self.inner.connect(remote).await?;
        let n = self.counters.connects.fetch_add(1, Ordering::Relaxed);
        Ok(ChoppedStream {
            inner,
            counters: self.counters.clone(),
            rng: StdRng::seed_from_u64(n as u64),
        })
    }
}

impl ChoppedStream {
    fn chunk(&mut self, len: usize) -> usize {
        use rand::Rng;
        len.min(self.rng.random_range(1..=7))
    }
}

impl ErrorType for ChoppedStream {
    type Error = std::io::Error;
}

impl Read for ChoppedStream {
    async fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.counters.reads_started.fetch_add(1, Ordering::Relaxed);
        // Dropped here (a request or a timer came first): nothing was taken yet.
        tokio::time::sleep(Duration::from_micros(300)).await;
        let n = self.chunk(buf.len());
        let read = self.inner.read(&mut buf[..n]).await;
        self.counters.reads_finished.fetch_add(1, Ordering::Relaxed);
        read
    }
}

impl Write for ChoppedStream {
    async fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.chunk(buf.len());
        let written = self.inner.write(&buf[..n]).await?;
        if written < buf.len() {
            self.counters.partial_writes.fetch_add(1, Ordering::Relaxed);
        }
        Ok(written)
    }

    async fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush().await
    }
}

/// The application: texts to send come over a channel; it records what ended and arrived,
/// and stops once everything is in.
struct Recorder {
    texts: mpsc::UnboundedReceiver<String>,
    queued: VecDeque<String>,
    /// The session's outbox is full: wait for a send to end.
    blocked: bool,
    sent: Vec<MessageId>,
    acked: Vec<(MessageId, u64)>,
    received: Vec<(u64, String)>,
}

impl Recorder {
    fn done(&self) -> bool {
        self.acked.len() == N && self.received.len() == N
    }
}

impl Application for Recorder {
    async fn event(&mut self, event: Event<'_>) {
        match event {
            Event::SendAcked { id, server_id, .. } => {
                self.acked.push((id, server_id));
                self.blocked = false;
            }
            Event::SendFailed { id, error } => panic!("send {id:?} failed: {error:?}"),
            Event::Message(message) => self.received.push((
                message.server_id(),
                message.text().unwrap_or_default().to_owned(),
            )),
            _ => {}
        }
    }

    async fn ready(&mut self) {
        if (!self.blocked && !self.queued.is_empty()) || self.done() {
            return;
        }
        match self.texts.recv().await {
            Some(text) => self.queued.push_back(text),
            None => std::future::pending().await,
        }
    }

    fn requests(&mut self, inputs: &mut Inputs<'_>) {
        while !self.blocked
            && let Some(text) = self.queued.pop_front()
        {
            match inputs.send(&OutgoingMessage::text("bob", &text)) {
                Ok(id) => self.sent.push(id),
                Err(SendError::OutboxFull { .. }) => {
                    self.blocked = true;
                    self.queued.push_front(text);
                }
                Err(error) => panic!("send refused: {error}"),
            }
        }
        if self.done() {
            inputs.stop();
        }
    }
}

#[tokio::test]
async fn chopped_slow_io_interrupted_by_requests_and_timers_loses_nothing() {
    let server = plain_server(&["alice", "bob"]).await;
    let (bob, mut bob_events) = online(&server, "bob").await;
    let (rest, gateway) = (server.base_url(), server.ws_url());
    let counters = Arc::new(Counters::default());
    let (texts, texts_receiver) = mpsc::unbounded_channel();

    let alice = tokio::spawn({
        let counters = counters.clone();
        async move {
            let endpoint = Endpoint::custom(&rest, &gateway).unwrap();
            let mut config = Config::new(
                AppIdentity::Key(AppKey::parse(APP).unwrap()),
                "alice",
                Credential::Password(PASSWORD),
                "chopped",
            )
            .with_endpoints(EndpointConfig::Custom(endpoint));
            // Heartbeats every 100 ms: the deadline keeps firing during reads.
            config.timings = Timings {
                heartbeat_interval: time::Duration::from_millis(100),
                heartbeat_jitter: time::Duration::from_millis(10),
                ..Timings::DEFAULT
            };
            let clock = TokioClock::new();
            let session: Session<'_, StdRng> =
                Session::new(&config, StdRng::seed_from_u64(7), clock.now()).unwrap();
            let connector = Chopped {
                inner: TokioConnector::new(TlsOptions::default().build().unwrap()),
                counters,
            };
            let mut driver: Driver<_, _, _, 64> = Driver::new(session, connector, clock);
            driver.inputs().login().unwrap();
            let mut recorder = Recorder {
                texts: texts_receiver,
                queued: VecDeque::new(),
                blocked: false,
                sent: Vec::new(),
                acked: Vec::new(),
                received: Vec::new(),
            };
            driver.run(&mut recorder).await;
            recorder
        }
    });

    // Requests arrive one by one while alice's driver is reading; bob writes to alice meanwhile.
    for i in 0..N {
        texts.send(format!("to bob {i}")).unwrap();
        within(bob.send_text("alice", format!("to alice {i}")))
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let recorder = within(alice).await.unwrap();

    // Every send ended acknowledged exactly once.
    let sent: HashSet<MessageId> = recorder.sent.iter().copied().collect();
    let acked: HashSet<MessageId> = recorder.acked.iter().map(|(id, _)| *id).collect();
    assert_eq!(sent.len(), N);
    assert_eq!(recorder.acked.len(), N);
    assert_eq!(acked, sent);
    // Every message from bob arrived exactly once, intact.
    let texts: HashSet<&str> = recorder.received.iter().map(|(_, t)| t.as_str()).collect();
    let expected: Vec<String> = (0..N).map(|i| format!("to alice {i}")).collect();
    assert_eq!(texts, expected.iter().map(String::as_str).collect());
    assert_eq!(recorder.received.len(), N);
    // And bob got alice's, intact.
    let at_bob: HashSet<String> = messages(&mut bob_events, N)
        .await
        .into_iter()
        .map(|m| m.text().unwrap().to_owned())
        .collect();
    assert_eq!(at_bob, (0..N).map(|i| format!("to bob {i}")).collect());

    let started = counters.reads_started.load(Ordering::Relaxed);
    let finished = counters.reads_finished.load(Ordering::Relaxed);
    assert!(
        started > finished + 10,
        "reads were interrupted ({started} started, {finished} finished)"
    );
    assert!(counters.partial_writes.load(Ordering::Relaxed) > 10);
}
