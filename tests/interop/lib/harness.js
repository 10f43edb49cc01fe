'use strict';
// Test-side helpers: peers (official SDK clients in workers) and the devserver's REST and
// admin endpoints.

const path = require('node:path');
const { Worker } = require('node:worker_threads');

const BASE_URL = process.env.MSYNC_DEVSERVER_URL;
const LOG_FILE = process.env.MSYNC_INTEROP_LOG || path.join(__dirname, '..', 'interop-sdk.log');
const ORG = 'interop';
const APP = 'app';
const APP_KEY = `${ORG}#${APP}`;

if (!BASE_URL) throw new Error('MSYNC_DEVSERVER_URL is not set (run through run.sh)');

const WS_URL = `${BASE_URL.replace(/^http/, 'ws')}/websocket`;

/** A unique user name for this run. */
let counter = 0;
function uniqueUser(stem) {
  counter += 1;
  return `${stem}${counter}x${Date.now().toString(36)}`;
}

class Peer {
  constructor(name, platform) {
    this.name = name;
    this.platform = platform;
    this.events = [];
    this.waiters = [];
    this.pending = new Map();
    this.nextId = 1;
    this.worker = new Worker(path.join(__dirname, 'peer.js'), {
      workerData: { name, platform, logFile: LOG_FILE },
    });
    this.worker.on('message', (m) => this.onMessage(m));
    this.worker.on('error', (e) => this.onMessage({ event: 'workerError', data: { message: e.message } }));
  }

  /** Starts a peer (`alipay` or `wechat`) pointed at the devserver. */
  static async start(name, platform) {
    const peer = new Peer(name, platform);
    await peer.call('init', { appKey: APP_KEY, url: WS_URL, apiUrl: BASE_URL });
    return peer;
  }

  onMessage(m) {
    if (m.id !== undefined) {
      const pending = this.pending.get(m.id);
      if (!pending) return;
      this.pending.delete(m.id);
      clearTimeout(pending.timer);
      if (m.ok) pending.resolve(m.result);
      else pending.reject(Object.assign(new Error(`${this.name}: ${JSON.stringify(m.error)}`), { sdk: m.error }));
      return;
    }
    this.events.push(m);
    this.waiters = this.waiters.filter((w) => !w.take());
  }

  /** Runs a command in the peer's worker. */
  call(cmd, args, timeoutMs = 20000) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name}: ${cmd} timed out`));
      }, timeoutMs);
      this.pending.set(id, { resolve, reject, timer });
      this.worker.postMessage({ id, cmd, args });
    });
  }

  /** The next event of this kind matching `predicate` (taken from the buffer or awaited). */
  next(event, predicate = () => true, timeoutMs = 15000) {
    return new Promise((resolve, reject) => {
      const waiter = {
        take: () => {
          const i = this.events.findIndex((e) => e.event === event && predicate(e.data));
          if (i < 0) return false;
          clearTimeout(waiter.timer);
          resolve(this.events.splice(i, 1)[0].data);
          return true;
        },
      };
      if (waiter.take()) return;
      waiter.timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        const seen = this.events.map((e) => e.event).join(', ');
        reject(new Error(`${this.name}: no ${event} event within ${timeoutMs} ms (buffered: ${seen})`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }

  /** Events of a kind received so far (not consumed). */
  seen(event) {
    return this.events.filter((e) => e.event === event).map((e) => e.data);
  }

  async stop() {
    await this.worker.terminate();
  }
}

/** A REST call on the cloud's paths: returns `{status, body}`. */
async function rest(method, urlPath, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const response = await fetch(`${BASE_URL}${urlPath}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed = text;
  try { parsed = JSON.parse(text); } catch { /* keep text */ }
  return { status: response.status, body: parsed };
}

const appPath = (suffix) => `/${ORG}/${APP}${suffix}`;

async function registerUsers(names) {
  const res = await rest('POST', appPath('/users'), names.map((n) => ({ username: n, password: `${n}-pw` })));
  if (res.status !== 200) throw new Error(`register failed: ${JSON.stringify(res)}`);
  return res.body;
}

async function appToken() {
  const res = await rest('POST', appPath('/token'), { grant_type: 'client_credentials', client_id: 'id', client_secret: 'secret' });
  if (res.status !== 200) throw new Error(`app token failed: ${JSON.stringify(res)}`);
  return res.body.access_token;
}

async function userToken(user) {
  const res = await rest('POST', appPath('/token'), { grant_type: 'password', username: user, password: `${user}-pw` });
  if (res.status !== 200) throw new Error(`user token failed: ${JSON.stringify(res)}`);
  return res.body;
}

/** Online sessions as the devserver's admin path lists them. */
async function sessions() {
  const res = await rest('GET', '/_devserver/sessions');
  return res.body;
}

/** Polls until `check()` is truthy. */
async function eventually(check, what, timeoutMs = 10000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

module.exports = {
  APP_KEY, BASE_URL, WS_URL, Peer, rest, appPath, registerUsers, appToken, userToken, sessions,
  eventually, uniqueUser,
};
