//! The demo's transcript: one line per step as it finishes (text, or JSON lines with
//! `--json`), and a last line that says whether every step checked out.

use std::future::Future;
use std::time::{Duration, Instant};

use serde::Serialize;
use serde_json::Value;

use crate::output::Output;

/// The longest one step may take.
const STEP_LIMIT: Duration = Duration::from_secs(15);

/// What a step that checked out reports.
#[derive(Debug)]
pub(super) struct Checked {
    /// One line for a person.
    pub(super) detail: String,
    /// The facts checked, for `--json`.
    pub(super) data: Value,
}

impl Checked {
    /// A step result with its detail line and facts.
    pub(super) fn new(detail: impl Into<String>, data: Value) -> Self {
        Self {
            detail: detail.into(),
            data,
        }
    }
}

/// A step that did not check out: the demo stops there.
#[derive(Debug)]
pub(super) struct Failed {
    /// The step's number.
    pub(super) step: usize,
    /// Its name.
    pub(super) name: &'static str,
    /// What did not check out.
    pub(super) reason: String,
}

/// One line of the JSON transcript.
#[derive(Serialize)]
struct StepLine<'a> {
    step: usize,
    name: &'a str,
    ok: bool,
    ms: f64,
    detail: &'a str,
    data: &'a Value,
}

/// The transcript being printed.
#[derive(Debug)]
pub(super) struct Transcript {
    output: Output,
    started: Instant,
    steps: usize,
    total: usize,
}

impl Transcript {
    /// Starts a transcript of `total` steps, printing `intro` (text form only).
    pub(super) fn start(output: Output, total: usize, intro: &str) -> Self {
        if !output.is_json() {
            output.line(intro);
        }
        Self {
            output,
            started: Instant::now(),
            steps: 0,
            total,
        }
    }

    /// Runs one step (bounded in time), prints its line and returns its result.
    pub(super) async fn step(
        &mut self,
        name: &'static str,
        step: impl Future<Output = Result<Checked, String>>,
    ) -> Result<(), Failed> {
        self.step_with(name, async { step.await.map(|checked| ((), checked)) })
            .await
    }

    /// [`step`](Self::step) for a step that also yields a value.
    pub(super) async fn step_with<T>(
        &mut self,
        name: &'static str,
        step: impl Future<Output = Result<(T, Checked), String>>,
    ) -> Result<T, Failed> {
        self.steps += 1;
        let started = Instant::now();
        let result = tokio::time::timeout(STEP_LIMIT, step)
            .await
            .unwrap_or_else(|_| Err(format!("did not finish within {} s", STEP_LIMIT.as_secs())));
        // Tenths of a millisecond: most steps take less than one.
        let ms = (started.elapsed().as_secs_f64() * 10_000.0).round() / 10.0;
        let (ok, detail, data) = match &result {
            Ok((_, checked)) => (true, checked.detail.as_str(), &checked.data),
            Err(reason) => (false, reason.as_str(), &Value::Null),
        };
        if self.output.is_json() {
            let line = StepLine {
                step: self.steps,
                name,
                ok,
                ms,
                detail,
                data,
            };
            self.output
                .line(serde_json::to_string(&line).unwrap_or_default());
        } else {
            let mark = if ok { "ok  " } else { "FAIL" };
            self.output.line(format!(
                "{:>2} {mark} {ms:>7.1} ms  {name:<18} {detail}",
                self.steps
            ));
        }
        result.map(|(value, _)| value).map_err(|reason| Failed {
            step: self.steps,
            name,
            reason,
        })
    }

    /// Prints the last line: every step checked out, or where the demo stopped.
    pub(super) fn finish(&self, outcome: &Result<(), Failed>) {
        let ms = self.started.elapsed().as_millis();
        if self.output.is_json() {
            let line = match outcome {
                Ok(()) => serde_json::json!({"result": "ok", "steps": self.steps, "ms": ms}),
                Err(failed) => serde_json::json!({
                    "result": "failed", "steps": self.total, "failed_step": failed.step,
                    "name": failed.name, "reason": failed.reason, "ms": ms,
                }),
            };
            self.output.line(line);
            return;
        }
        match outcome {
            Ok(()) => self
                .output
                .line(format!("all {} steps checked out in {ms} ms", self.steps)),
            Err(failed) => self.output.line(format!(
                "stopped at step {} of {} ({}) after {ms} ms: {}",
                failed.step, self.total, failed.name, failed.reason
            )),
        }
    }
}
