//! `msync devserver`: starts on a free loopback port, prints its URLs, serves the bootstrap
//! document, and stops on SIGTERM. Every wait is bounded.

mod common;

use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

const STARTUP: Duration = Duration::from_secs(30);
const STOP: Duration = Duration::from_secs(10);

/// A running `msync devserver`, killed when dropped.
struct Server {
    child: Child,
    lines: mpsc::Receiver<String>,
}

impl Server {
    fn start(args: &[&str]) -> Server {
        let mut child = common::msync()
            .arg("devserver")
            .args(args)
            .env("RUST_LOG", "warn")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn msync devserver");
        let stdout = child.stdout.take().expect("stdout");
        let (sender, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if sender.send(line).is_err() {
                    break;
                }
            }
        });
        Server { child, lines }
    }

    /// The next stdout line, within the startup bound.
    fn line(&self) -> String {
        self.lines
            .recv_timeout(STARTUP)
            .expect("the devserver printed a line in time")
    }

    /// Sends SIGTERM and waits (bounded) for the exit code.
    fn terminate(mut self) -> Option<i32> {
        let pid = self.child.id().to_string();
        let sent = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .is_ok_and(|s| s.success());
        assert!(sent, "kill -TERM {pid}");
        let deadline = Instant::now() + STOP;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        panic!("the devserver did not stop within {STOP:?} of SIGTERM");
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `GET path` on `addr`; returns the status line and the body.
fn get(addr: SocketAddr, path: &str) -> (String, String) {
    let mut stream = TcpStream::connect_timeout(&addr, STOP).expect("connect");
    stream.set_read_timeout(Some(STOP)).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream
        .read_to_string(&mut response)
        .expect("read the response");
    let (head, body) = response.split_once("\r\n\r\n").expect("a header block");
    let status = head.lines().next().unwrap_or_default().to_owned();
    (status, body.to_owned())
}

#[test]
fn starts_prints_urls_serves_bootstrap_and_stops_on_sigterm() {
    let server = Server::start(&["--listen", "127.0.0.1:0"]);
    let first = server.line();
    let addr: SocketAddr = first
        .rsplit_once("listening on ")
        .map(|(_, addr)| addr.trim().parse().expect("an address"))
        .unwrap_or_else(|| panic!("first line: {first}"));
    assert_eq!(addr.ip().to_string(), "127.0.0.1");
    assert_ne!(addr.port(), 0);
    let mut printed = Vec::new();
    loop {
        let line = server.line();
        let done = line.starts_with("Ctrl-C");
        printed.push(line);
        if done {
            break;
        }
    }
    let printed = printed.join("\n");
    assert!(
        printed.contains(&format!("websocket: ws://{addr}/websocket")),
        "{printed}"
    );
    assert!(
        printed.contains(&format!("rest:      http://{addr}/{{org}}/{{app}}")),
        "{printed}"
    );
    assert!(
        printed.contains(&format!("bootstrap: http://{addr}/easemob/server.json")),
        "{printed}"
    );

    let (status, body) = get(addr, "/easemob/server.json?app_key=demo%23iot");
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    let doc: Value = serde_json::from_str(&body).expect("server.json is JSON");
    assert_eq!(doc["rest"]["hosts"][0]["port"], addr.port().to_string());
    assert_eq!(doc["rest"]["hosts"][0]["domain"], "127.0.0.1");

    assert_eq!(server.terminate(), Some(0));
    assert!(
        TcpStream::connect_timeout(&addr, STOP).is_err(),
        "still listening on {addr}"
    );
}

#[test]
fn json_start_line_and_users_registered_at_start() {
    let server = Server::start(&[
        "--json",
        "--listen",
        "127.0.0.1:0",
        "--user",
        "demo#iot:alice:secret-pw",
    ]);
    let started: Value = serde_json::from_str(&server.line()).expect("one JSON line");
    let addr: SocketAddr = started["listen"].as_str().unwrap().parse().unwrap();
    assert_eq!(started["base_url"], format!("http://{addr}"));
    assert_eq!(started["websocket"], format!("ws://{addr}/websocket"));
    assert_eq!(started["admin"], format!("http://{addr}/_devserver/state"));
    assert!(started["cert_pem"].is_null());
    let (status, body) = get(addr, "/demo/iot/users/alice");
    assert!(status.starts_with("HTTP/1.1 200"), "{status} {body}");
    assert!(body.contains("alice"), "{body}");
    assert!(!body.contains("secret-pw"), "{body}");
    assert_eq!(server.terminate(), Some(0));
}

#[test]
fn tls_prints_the_certificate() {
    let server = Server::start(&["--json", "--tls", "--listen", "127.0.0.1:0", "--no-admin"]);
    let started: Value = serde_json::from_str(&server.line()).expect("one JSON line");
    let addr = started["listen"].as_str().unwrap();
    assert_eq!(started["base_url"], format!("https://{addr}"));
    assert_eq!(started["websocket"], format!("wss://{addr}/websocket"));
    assert!(started["admin"].is_null());
    let pem = started["cert_pem"].as_str().expect("cert_pem");
    assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
    assert_eq!(server.terminate(), Some(0));
}

#[test]
fn a_taken_port_is_a_failure() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let outcome = common::run(&["devserver", "--listen", &addr]);
    outcome.assert_code(1);
    assert!(
        outcome.stderr.contains("cannot start the devserver"),
        "{outcome:#?}"
    );
    drop(taken);
}
