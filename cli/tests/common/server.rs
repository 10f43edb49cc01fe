//! A devserver on 127.0.0.1 for the session-command tests (in this process, on a runtime of
//! its own), and `msync` children whose output is read line by line with bounded waits.

use std::io::{BufRead as _, BufReader, Read, Write as _};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use msync_devserver::{Config, DevServer, RoomSpec, RunningServer};

use super::Outcome;

/// The app every session test uses.
pub(crate) const APP: &str = "demo#iot";
/// The longest any one wait may take.
pub(crate) const WAIT: Duration = Duration::from_secs(30);
/// Environment variables the commands read, removed from every child's environment first.
const MSYNC_ENV: [&str; 6] = [
    "MSYNC_APP_KEY",
    "MSYNC_APP_ID",
    "MSYNC_USER",
    "MSYNC_PASSWORD",
    "MSYNC_TOKEN",
    "RUST_LOG",
];

/// A devserver running on a tokio runtime of its own; stopped when dropped.
pub(crate) struct TestServer {
    runtime: tokio::runtime::Runtime,
    server: Option<RunningServer>,
}

impl TestServer {
    /// Starts a devserver with these `(user, password)` pairs registered on [`APP`].
    pub(crate) fn start(users: &[(&str, &str)]) -> TestServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a runtime");
        let server = runtime
            .block_on(DevServer::start(Config::new()))
            .expect("the devserver starts");
        for (user, password) in users {
            server.register_user(APP, user, password).expect("user");
        }
        TestServer {
            runtime,
            server: Some(server),
        }
    }

    /// The server's controls.
    pub(crate) fn server(&self) -> &RunningServer {
        self.server.as_ref().expect("running")
    }

    /// Creates a group of `owner` and `members` on [`APP`]; returns its id.
    pub(crate) fn group(&self, owner: &str, members: &[&str]) -> String {
        let spec = RoomSpec {
            name: format!("{owner}'s group"),
            owner: owner.to_owned(),
            members: members.iter().map(|m| (*m).to_owned()).collect(),
            public: false,
        };
        self.server().create_group(APP, spec).expect("a group")
    }

    /// A token for `user` of [`APP`].
    pub(crate) fn token(&self, user: &str) -> String {
        let issued = self.server().issue_token(APP, user, None);
        issued.expect("a token").access_token
    }

    /// `--rest URL --ws URL` for this server.
    pub(crate) fn endpoint(&self) -> Vec<String> {
        let server = self.server();
        vec![
            "--rest".into(),
            server.base_url(),
            "--ws".into(),
            server.ws_url(),
        ]
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(server) = self.server.take() {
            self.runtime.block_on(server.shutdown());
        }
    }
}

/// `SUBCOMMAND --rest URL --ws URL --app-key demo#iot --user USER EXTRA...` for `server`.
pub(crate) fn session_args(
    server: &TestServer,
    subcommand: &str,
    user: &str,
    extra: &[&str],
) -> Vec<String> {
    let mut args = vec![subcommand.to_owned()];
    args.extend(server.endpoint());
    args.extend(["--app-key", APP, "--user", user].map(str::to_owned));
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    args
}

/// Each line of `stdout` parsed as JSON.
pub(crate) fn json_lines(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// `msync ARGS` as a child with these environment variables (and no other `MSYNC_*`).
pub(crate) fn spawn(args: &[String], env: &[(&str, &str)]) -> Running {
    let mut command = super::msync();
    for name in MSYNC_ENV {
        command.env_remove(name);
    }
    let mut child = command
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn msync");
    let stdout = lines_of(child.stdout.take().expect("stdout"));
    let stderr = lines_of(child.stderr.take().expect("stderr"));
    let stdin = child.stdin.take();
    Running {
        child,
        stdin,
        stdout,
        stderr,
        stdout_seen: Vec::new(),
        stderr_seen: Vec::new(),
    }
}

/// Runs `msync ARGS` with these environment variables to the end (bounded), stdin empty.
pub(crate) fn run_env(args: &[String], env: &[(&str, &str)]) -> Outcome {
    let mut running = spawn(args, env);
    running.close_stdin();
    running.finish()
}

fn lines_of(stream: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (sender, receiver) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            if sender.send(line).is_err() {
                break;
            }
        }
    });
    receiver
}

/// A running `msync`, killed when dropped.
pub(crate) struct Running {
    child: Child,
    stdin: Option<ChildStdin>,
    stdout: mpsc::Receiver<String>,
    stderr: mpsc::Receiver<String>,
    stdout_seen: Vec<String>,
    stderr_seen: Vec<String>,
}

impl Running {
    /// Waits for a stderr line containing `text`.
    pub(crate) fn wait_stderr(&mut self, text: &str) {
        let deadline = Instant::now() + WAIT;
        while !self.stderr_seen.iter().any(|line| line.contains(text)) {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stderr.recv_timeout(left) {
                Ok(line) => self.stderr_seen.push(line),
                Err(_) => panic!(
                    "no {text:?} on stderr; stderr so far: {:#?}, stdout: {:#?}",
                    self.stderr_seen, self.stdout_seen
                ),
            }
        }
    }

    /// Waits for a stdout line containing `text`; returns it.
    pub(crate) fn wait_stdout(&mut self, text: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Some(line) = self.stdout_seen.iter().find(|line| line.contains(text)) {
                return line.clone();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            match self.stdout.recv_timeout(left) {
                Ok(line) => self.stdout_seen.push(line),
                Err(_) => panic!(
                    "no {text:?} on stdout; stdout so far: {:#?}, stderr: {:#?}",
                    self.stdout_seen, self.stderr_seen
                ),
            }
        }
    }

    /// Writes one line to stdin.
    pub(crate) fn write_line(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").expect("write stdin");
        stdin.flush().expect("flush stdin");
    }

    /// Closes stdin (end of input).
    pub(crate) fn close_stdin(&mut self) {
        self.stdin = None;
    }

    /// Waits (bounded) for the exit and returns everything printed.
    pub(crate) fn finish(mut self) -> Outcome {
        let deadline = Instant::now() + WAIT;
        let code = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status.code();
            }
            assert!(
                Instant::now() < deadline,
                "msync did not exit within {WAIT:?}; stdout: {:#?}, stderr: {:#?}",
                self.stdout_seen,
                self.stderr_seen
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        // The readers end at EOF once the process is gone.
        let rest = |receiver: &mpsc::Receiver<String>, seen: &mut Vec<String>| {
            while let Ok(line) = receiver.recv_timeout(WAIT) {
                seen.push(line);
            }
            seen.join("\n")
        };
        let stdout = rest(&self.stdout, &mut self.stdout_seen);
        let stderr = rest(&self.stderr, &mut self.stderr_seen);
        Outcome {
            code,
            stdout,
            stderr,
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
