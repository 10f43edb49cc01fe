//! The server's msync commands (PROTOCOL.md §7): PROVISION (OK, REDIRECT, silence, token
//! expired; resource assignment and token rotation), UNREAD, SYNC sends (ACK, refusal,
//! deduplication by client id, delayed and duplicated ACKs), SYNC pulls (batches, keys) and
//! LOGOUT. Each handler checks what the client sent.

use msync_core::wire::msync::{
    CommSyncDl, CommSyncUl, CommUnreadDl, Command, Encode, ErrorCode, Jid, Logout, MSync,
    MessageType, Meta, MetaBody, MetaQueue, NameSpace, Provision, RedirectInfo, Repeated, Status,
};

use super::queues::{
    APP_KEY, CONFERENCE_DOMAIN, KEY_BASE, QUEUE_NAMES, Stored, USER, USERS_DOMAIN, jid_of, meta_of,
    meta_payload,
};
use super::server::{BLOCKING_PEER, Login, OK, Reply, Seen, SendRecord, Server};

fn status(code: ErrorCode, reason: &'static str) -> Status<'static> {
    Status {
        error_code: Some(code),
        reason: Some(reason),
        ..Status::EMPTY
    }
}

impl Server {
    /// Answers on `conn` with `body`.
    fn answer(&mut self, conn: u32, reply: &mut Reply, command: Command, body: &dyn Encode) {
        let msync = self.frame(command, body);
        let down = self.message(conn, msync);
        reply.downs.push(down);
    }

    /// One msync frame from the client on `conn`.
    pub(crate) fn msync(
        &mut self,
        conn: u32,
        bytes: &[u8],
        now: u64,
        reply: &mut Reply,
    ) -> Result<(), String> {
        let frame = MSync::decode(bytes).map_err(|e| format!("client msync frame: {e:?}"))?;
        if frame.trace_id.is_none() || frame.encrypt_type.iter().count() != 1 {
            return Err("up frames carry a trace id and encrypt_type [ENCRYPT_NONE]".into());
        }
        let payload = frame
            .plain_payload()
            .map_err(|e| format!("client payload: {e:?}"))?
            .unwrap_or_default();
        let c = self.conns.get_mut(&conn).expect("connected");
        let command = frame.command();
        match (&c.login, command) {
            (Login::Awaiting, Command::PROVISION) => {
                self.provision(conn, &frame, payload, now, reply)
            }
            (Login::Awaiting | Login::Unanswered | Login::Refused, _) => Err(format!(
                "{command:?} before PROVISION OK (state {:?})",
                c.login
            )),
            (Login::LoggedOut, _) => Err(format!("{command:?} after LOGOUT")),
            (Login::Online, Command::PROVISION) => Err("a second PROVISION".into()),
            (Login::Online, Command::UNREAD) => {
                self.unread(conn, now, reply);
                Ok(())
            }
            (Login::Online, Command::SYNC) => self.sync(conn, payload, now, reply),
            (Login::Online, Command::LOGOUT) => {
                let logout = Logout::decode(payload).map_err(|e| format!("LOGOUT body: {e:?}"))?;
                let reason = logout.reason.unwrap_or("");
                if reason != "inner:logout" && reason != "inner:token expired" {
                    return Err(format!("LOGOUT reason {reason:?}"));
                }
                c.login = Login::LoggedOut;
                let body = Logout {
                    status: Some(OK),
                    ..Logout::EMPTY
                };
                self.answer(conn, reply, Command::LOGOUT, &body);
                reply.seen.push(Seen::Logout);
                Ok(())
            }
            (_, other) => Err(format!("client sent command {other:?}")),
        }
    }

    /// Checks a PROVISION and answers it: silence, REDIRECT, token expired or OK.
    fn provision(
        &mut self,
        conn: u32,
        frame: &MSync<'_>,
        payload: &[u8],
        now: u64,
        reply: &mut Reply,
    ) -> Result<(), String> {
        let body = Provision::decode(payload).map_err(|e| format!("PROVISION body: {e:?}"))?;
        let token = self.check_provision(frame, &body)?;
        let c = self.conns.get_mut(&conn).expect("connected");
        let host = c.host.clone();
        if self.armed.silent_provisions > 0 {
            self.armed.silent_provisions -= 1;
            c.login = Login::Unanswered;
            reply.seen.push(Seen::Provision("silent"));
            return Ok(());
        }
        let valid = match self.tokens.get(token.as_str()) {
            Some(None) => true,
            Some(Some(expires)) => *expires > now,
            None => false,
        };
        let answer = if self.armed.redirects > 0 {
            self.armed.redirects -= 1;
            c.login = Login::Refused;
            let target = if self.armed.redirect_loop && !self.redirect_targets.is_empty() {
                self.redirect_targets[0].clone()
            } else {
                let target = format!("gw-r{}.sim.invalid", self.redirect_targets.len() + 1);
                self.redirect_targets.push(target.clone());
                target
            };
            let info = [RedirectInfo {
                host: Some(&target),
                port: Some(*self.rng.pick(&[443, 8443])),
            }];
            let body = Provision {
                status: Some(Status {
                    redirect_info: Repeated::from_slice(&info),
                    ..status(ErrorCode::REDIRECT, "redirect")
                }),
                ..Provision::EMPTY
            };
            reply.seen.push(Seen::Provision("redirect"));
            self.frame(Command::PROVISION, &body)
        } else if !valid {
            c.login = Login::Refused;
            let body = Provision {
                status: Some(status(ErrorCode::FAIL, "Sorry, token expired")),
                ..Provision::EMPTY
            };
            reply.seen.push(Seen::Provision("token expired"));
            self.frame(Command::PROVISION, &body)
        } else {
            c.login = Login::Online;
            reply.seen.push(Seen::Provision("ok"));
            self.provision_ok(frame, &host, now)
        };
        let down = self.message(conn, answer);
        reply.downs.push(down);
        Ok(())
    }

    /// Checks the login frame against §6.5 / §6.16; returns the token it carries.
    fn check_provision(&self, frame: &MSync<'_>, body: &Provision<'_>) -> Result<String, String> {
        let guid = frame.guid.ok_or("PROVISION without guid")?;
        if guid.app_key != Some(APP_KEY)
            || guid.name != Some(USER)
            || guid.domain != Some(USERS_DOMAIN)
        {
            return Err(format!("PROVISION guid {guid:?}"));
        }
        let resource = guid.client_resource.unwrap_or("");
        if !self.resources.iter().any(|r| r == resource) || body.resource != Some(resource) {
            return Err(format!(
                "PROVISION resource {resource:?}, known {:?}",
                self.resources
            ));
        }
        if body.protocol_compress_type.iter().next().is_some() {
            return Err("PROVISION offers protocol compression (§5.4)".into());
        }
        let token = frame
            .auth
            .and_then(|auth| auth.strip_prefix("$t$"))
            .ok_or("PROVISION auth is not $t$<token>")?;
        let auth_json = body
            .auth_token
            .and_then(|b| b.as_raw())
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("");
        if auth_json != format!(r#"{{"token":"$t${token}"}}"#) {
            return Err("PROVISION auth_token differs from auth".into());
        }
        Ok(token.to_owned())
    }

    /// The OK reply: a session id, sometimes an assigned resource, sometimes a rotated token
    /// with its expiry written as seconds from now, epoch seconds or epoch milliseconds.
    fn provision_ok(&mut self, frame: &MSync<'_>, host: &str, now: u64) -> Vec<u8> {
        let resource = frame
            .guid
            .and_then(|guid| guid.client_resource)
            .unwrap_or("")
            .to_owned();
        let assign =
            self.style.assigns_resource && self.resources.len() == 1 && self.rng.chance(300);
        let resource = if assign {
            let assigned = "webim_srv_assigned".to_owned();
            self.resources.push(assigned.clone());
            assigned
        } else {
            resource
        };
        let rotated = (self.style.rotates_tokens && self.rng.chance(400)).then(|| {
            let (token, lifetime) = self.issue_token(now);
            let expires_in = match self.rng.below(3) {
                0 => lifetime,
                1 => now / 1000 + lifetime,
                _ => now + lifetime * 1000,
            };
            format!(r#"{{"token":"{token}","expires_in":{expires_in}}}"#)
        });
        let session_id = format!("{now}:{host}");
        let body = Provision {
            status: Some(OK),
            resource: Some(&resource),
            session_id: Some(&session_id),
            auth_token: rotated.as_deref().map(|json| json.as_bytes().into()),
            ..Provision::EMPTY
        };
        self.frame(Command::PROVISION, &body)
    }

    fn unread(&mut self, conn: u32, now: u64, reply: &mut Reply) {
        let listed: Vec<MetaQueue<'_>> = (0..self.queues.len())
            .filter(|&q| !self.queues[q].pending.is_empty())
            .map(|q| MetaQueue {
                queue: Some(jid_of(q)),
                n: Some(self.queues[q].pending.len() as u32),
            })
            .collect();
        let body = CommUnreadDl {
            status: Some(OK),
            unread: Repeated::from_slice(&listed),
            timestamp: Some(now),
        };
        self.answer(conn, reply, Command::UNREAD, &body);
        reply.seen.push(Seen::Unread);
    }

    fn sync(
        &mut self,
        conn: u32,
        payload: &[u8],
        now: u64,
        reply: &mut Reply,
    ) -> Result<(), String> {
        let sync = CommSyncUl::decode(payload).map_err(|e| format!("SYNC body: {e:?}"))?;
        match (sync.meta, sync.queue) {
            (Some(meta), None) => self.send(conn, &meta, now, reply),
            (None, Some(queue)) => self.pull(conn, &queue, sync.key, now, reply),
            _ => Err("SYNC up carries neither exactly one meta nor a queue".into()),
        }
    }

    /// A send: stored once per client id (a re-send gets the same server id), refused when
    /// addressed to the blocking peer; the ACK sometimes held back or doubled.
    fn send(
        &mut self,
        conn: u32,
        meta: &Meta<'_>,
        now: u64,
        reply: &mut Reply,
    ) -> Result<(), String> {
        let id = meta
            .id
            .filter(|&id| id != 0)
            .ok_or("send without a non-zero Meta.id")?;
        let server_id = match meta.namespace() {
            NameSpace::STATISTIC => {
                reply.seen.push(Seen::Statistic);
                Some(self.fresh_server_id())
            }
            NameSpace::CHAT => self.store_send(id, meta, reply)?,
            other => return Err(format!("send with namespace {other:?}")),
        };
        let ack = CommSyncDl {
            status: Some(match server_id {
                Some(_) => OK,
                None => status(ErrorCode::FAIL, "blocked"),
            }),
            meta_id: Some(id),
            server_id,
            timestamp: Some(now),
            ..CommSyncDl::EMPTY
        };
        let delay = if self.rng.chance(self.style.ack_delay_per_mille) {
            self.rng.between(16_000, 45_000)
        } else {
            0
        };
        let copies = if std::mem::take(&mut self.armed.duplicate_ack) {
            2
        } else {
            1
        };
        for _ in 0..copies {
            let msync = self.frame(Command::SYNC, &ack);
            let mut down = self.message(conn, msync);
            down.delay = delay;
            reply.downs.push(down);
        }
        reply.seen.push(Seen::Ack { copies });
        Ok(())
    }

    /// Records a chat send; returns its server id, `None` when refused.
    fn store_send(
        &mut self,
        id: u64,
        meta: &Meta<'_>,
        reply: &mut Reply,
    ) -> Result<Option<u64>, String> {
        let to = meta.to.ok_or("send without Meta.to")?;
        let Ok(MetaBody::Chat(body)) = meta.body() else {
            return Err("CHAT meta without a MessageBody".into());
        };
        let group = body.message_type == Some(MessageType::GROUPCHAT);
        let domain = if group {
            CONFERENCE_DOMAIN
        } else {
            USERS_DOMAIN
        };
        if to.app_key != Some(APP_KEY) || to.domain != Some(domain) {
            return Err(format!("send to {to:?} (group {group})"));
        }
        let to = to.name.unwrap_or("").to_owned();
        let text = body
            .contents
            .first()
            .and_then(|c| c.text)
            .ok_or("send without text")?
            .to_owned();
        let record = match self.sends.get_mut(&id) {
            Some(record) => {
                if record.text != text || record.to != to {
                    return Err(format!("client id {id} re-sent with other content"));
                }
                record.arrivals += 1;
                record.clone()
            }
            None => {
                let server_id = (to != BLOCKING_PEER).then(|| self.fresh_server_id());
                let record = SendRecord {
                    server_id,
                    to,
                    text,
                    arrivals: 1,
                };
                self.sends.insert(id, record.clone());
                record
            }
        };
        reply.seen.push(Seen::Send {
            id,
            arrival: record.arrivals,
        });
        Ok(record.server_id)
    }

    /// A pull: a key acknowledges everything up to it; then the next batch from the oldest
    /// unacknowledged meta (at-least-once), empty and `is_last` when drained.
    fn pull(
        &mut self,
        conn: u32,
        queue: &Jid<'_>,
        key: Option<u64>,
        now: u64,
        reply: &mut Reply,
    ) -> Result<(), String> {
        if queue.client_resource.is_some() {
            return Err("pulls name the bare queue".into());
        }
        let index = (0..QUEUE_NAMES.len())
            .find(|&q| jid_of(q).same_bare(queue))
            .ok_or_else(|| format!("pull of unknown queue {queue:?}"))?;
        let q = &mut self.queues[index];
        if let Some(key) = key {
            let seq = key
                .checked_sub(KEY_BASE)
                .filter(|&seq| seq >= 1 && seq <= q.issued_seq)
                .ok_or_else(|| format!("pull key {key} was never handed out"))?;
            if seq > q.acked_seq {
                q.acked_seq = seq;
                let mut ids = Vec::new();
                while q.pending.front().is_some_and(|m| m.seq <= seq) {
                    let meta = q.pending.pop_front().expect("front");
                    if meta.item.is_visible() {
                        ids.push(meta.server_id);
                    }
                }
                reply.seen.push(Seen::KeyAck { ids });
            }
        }
        let size = self.style.batch_size;
        let mut repeats = 0;
        for meta in q.pending.iter_mut().take(size) {
            repeats += u64::from(meta.sent > 0);
            meta.sent += 1;
        }
        let batch: Vec<Stored> = q.pending.iter().take(size).cloned().collect();
        let last_seq = batch.last().map(|m| m.seq);
        if let Some(seq) = last_seq {
            q.issued_seq = q.issued_seq.max(seq);
        }
        let payloads: Vec<Vec<u8>> = batch.iter().map(meta_payload).collect();
        let metas: Vec<Meta<'_>> = batch
            .iter()
            .zip(&payloads)
            .map(|(stored, payload)| meta_of(stored, payload))
            .collect();
        let body = CommSyncDl {
            status: Some(OK),
            metas: Repeated::from_slice(&metas),
            next_key: last_seq.map(|seq| KEY_BASE + seq),
            queue: Some(jid_of(index)),
            is_last: Some(batch.is_empty()),
            timestamp: Some(now),
            ..CommSyncDl::EMPTY
        };
        let msync = self.frame(Command::SYNC, &body);
        self.metas_repeated += repeats;
        reply.seen.push(Seen::Batch {
            queue: index,
            key: key.map(|k| k - KEY_BASE),
            metas: batch.len(),
            next: last_seq,
        });
        if let Some(c) = self.conns.get_mut(&conn) {
            c.last_batch = Some((msync.clone(), batch.len() as u64));
        }
        let down = self.message(conn, msync);
        reply.downs.push(down);
        Ok(())
    }
}
