//! The server's HTTP routes: `server.json` (PROTOCOL.md §3) and the password token (§4), with
//! armed failures (5xx, 429, silence) and random response framing.

use msync_core::session::Purpose;

use super::http_server::{self, BodyFraming, json_field};
use super::queues::USER;
use super::server::{Down, PASSWORD, Reply, Seen, Server};

fn http_down(bytes: Vec<u8>, framing: BodyFraming) -> Down {
    Down {
        bytes,
        delay: 0,
        msync: false,
        close_after: framing == BodyFraming::Close,
        close_frame: false,
    }
}

impl Server {
    /// Bytes on a bootstrap or REST connection: one request, one response.
    pub(crate) fn http(&mut self, conn: u32, now: u64, reply: &mut Reply) -> Result<(), String> {
        let c = self.conns.get_mut(&conn).expect("connected");
        let host = c.host.clone();
        let purpose = c.purpose;
        let Some(request) = http_server::take_request(&mut c.rx, &host)? else {
            return Ok(());
        };
        if std::mem::replace(&mut c.http_answered, true) {
            return Err("a second HTTP request on one connection".into());
        }
        let framing = *self.rng.pick(&[
            BodyFraming::ContentLength,
            BodyFraming::Chunked,
            BodyFraming::Close,
        ]);
        if self.armed.http_failures > 0 {
            self.armed.http_failures -= 1;
            reply.seen.push(Seen::Http("failed"));
            let failure = match self.rng.below(3) {
                0 => return Ok(()),
                1 => http_server::response(503, r#"{"error":"busy"}"#, framing),
                _ => http_server::response(
                    429,
                    r#"{"error":"resource_limited","error_description":"slow down"}"#,
                    framing,
                ),
            };
            reply.downs.push(http_down(failure, framing));
            return Ok(());
        }
        let body = match purpose {
            Purpose::Bootstrap => {
                let expected = "/easemob/server.json?app_key=org%23app";
                if request.method != "GET" || !request.target.starts_with(expected) {
                    return Err(format!(
                        "bootstrap request {} {}",
                        request.method, request.target
                    ));
                }
                reply.seen.push(Seen::Http("server.json"));
                self.server_json()
            }
            _ => {
                if request.method != "POST" || request.target != "/org/app/token" {
                    return Err(format!(
                        "token request {} {}",
                        request.method, request.target
                    ));
                }
                let field = |key| json_field(&request.body, key);
                if field("grant_type") != Some("password")
                    || field("username") != Some(USER)
                    || field("password") != Some(PASSWORD)
                {
                    return Err(format!("token request body {:?}", request.body));
                }
                reply.seen.push(Seen::Http("token"));
                let (token, lifetime) = self.issue_token(now);
                format!(
                    r#"{{"access_token":"{token}","expires_in":{lifetime},"user":{{"username":"{USER}","activated":true}}}}"#
                )
            }
        };
        reply.downs.push(http_down(
            http_server::response(200, &body, framing),
            framing,
        ));
        Ok(())
    }

    fn server_json(&self) -> String {
        let hosts = |names: &[String], protocol: &str| {
            names
                .iter()
                .enumerate()
                .map(|(i, name)| {
                    format!(
                        r#"{{"protocol":"{protocol}","domain":"{name}","port":"443","priority":"{}"}}"#,
                        i + 1
                    )
                })
                .collect::<Vec<_>>()
                .join(",")
        };
        format!(
            r#"{{"file_version":"61","rest":{{"hosts":[{}]}},"msync-wx":{{"hosts":[{}]}},"valid_before":"9999999999"}}"#,
            hosts(&self.doc_rest, "https"),
            hosts(&self.doc_gateways, "wss"),
        )
    }
}
