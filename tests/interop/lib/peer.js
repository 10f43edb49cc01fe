'use strict';
// One official-SDK client, run in its own worker thread so that it has its own platform
// global (`my` or `wx`) and its own copy of the SDK. Commands come from the test through
// postMessage; SDK events go back the same way. The SDK's console output goes to a log file.

const fs = require('node:fs');
const util = require('node:util');
const { parentPort, workerData } = require('node:worker_threads');
const { installAlipay, installWeChat } = require('./platform');

const { name, platform, logFile } = workerData;

for (const level of ['log', 'info', 'debug', 'warn', 'error', 'trace']) {
  console[level] = (...args) => {
    const line = args.map((a) => (typeof a === 'string' ? a : util.inspect(a, { depth: 4 }))).join(' ');
    fs.appendFileSync(logFile, `${new Date().toISOString()} ${name} ${level} ${line}\n`);
  };
}

if (platform === 'alipay') installAlipay();
else if (platform === 'wechat') installWeChat();
else throw new Error(`unknown platform ${platform}`);

// The mini-program build; the platform must exist before this line.
const websdk = require('easemob-websdk/miniProgram/Easemob-chat.js');

let conn = null;

// Structured-clone-safe copy of an SDK value (no functions, bigints as strings).
function plain(value) {
  if (value === undefined) return null;
  return JSON.parse(JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
}

function post(event, data) {
  parentPort.postMessage({ event, data: plain(data) });
}

function describeError(error) {
  if (error instanceof Error) return { message: error.message, stack: error.stack };
  return plain(error);
}

const commands = {
  init({ appKey, url, apiUrl }) {
    conn = new websdk.connection({
      appKey,
      isHttpDNS: false,
      https: false,
      url,
      apiUrl,
      autoReconnectNumMax: 2,
      delivery: false,
    });
    conn.addEventHandler('interop', {
      onConnected: () => post('connected', null),
      onDisconnected: (e) => post('disconnected', e),
      onTextMessage: (m) => post('text', m),
      onCmdMessage: (m) => post('cmd', m),
      onCustomMessage: (m) => post('custom', m),
      onError: (e) => post('error', e),
      onOfflineMessageSyncStart: () => post('offlineSyncStart', null),
      onOfflineMessageSyncFinish: () => post('offlineSyncFinish', null),
    });
    return { platform };
  },
  async open({ user, pwd, accessToken }) {
    const result = await conn.open(pwd ? { user, pwd } : { user, accessToken });
    return { accessToken: result && result.accessToken ? '<redacted>' : null };
  },
  async send(options) {
    const message = websdk.message.create(options);
    const result = await conn.send(message);
    return { localMsgId: result.localMsgId, serverMsgId: result.serverMsgId };
  },
  close() {
    conn.close();
    return true;
  },
  isOpened() {
    return conn.isOpened();
  },
};

parentPort.on('message', async ({ id, cmd, args }) => {
  try {
    if (!commands[cmd]) throw new Error(`unknown command ${cmd}`);
    const result = await commands[cmd](args || {});
    parentPort.postMessage({ id, ok: true, result: plain(result) });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: describeError(error) });
  }
});
