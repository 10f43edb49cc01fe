//! Status events (lost connections, kicks, ...) as notes on stderr, for the long-running
//! commands.

use msync_tokio::{ClientEvent, ConnectionState};

use crate::output::Output;

/// Turns status events into `note:` lines; remembers a lost connection to say when it is back.
#[derive(Debug, Default)]
pub struct StatusNotes {
    lost: bool,
}

impl StatusNotes {
    /// Notes `event` on stderr if it is worth knowing.
    pub fn note(&mut self, event: &ClientEvent, output: Output) {
        match event {
            ClientEvent::State(ConnectionState::Reconnecting {
                attempt,
                delay,
                cause,
            }) => {
                self.lost = true;
                output.note(format!(
                    "connection lost ({cause:?}); reconnecting in {} ms (attempt {attempt})",
                    delay.as_millis()
                ));
            }
            ClientEvent::State(ConnectionState::Online) if self.lost => {
                self.lost = false;
                output.note("online again");
            }
            ClientEvent::Kicked(kick) => output.note(format!("kicked: {:?}", kick.reason)),
            ClientEvent::LoginFailed { error, .. } => {
                output.note(format!("login refused: {error:?}"));
            }
            ClientEvent::TokenWillExpire { expires_at_ms } => {
                output.note(format!("the token expires at {expires_at_ms} (Unix ms)"));
            }
            ClientEvent::Capacity(error) => output.note(format!("capacity: {error:?}")),
            _ => {}
        }
    }
}
