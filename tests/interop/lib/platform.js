'use strict';
// Fakes of the mini-program platforms the official SDK's mini-program build expects, over
// Node's `ws` and `fetch`. Installed as globals before the SDK is required (it picks its
// platform once, at load). See OFFICIAL-SDK.md in the project's shared docs.
//
// - Alipay `my`: ONE global socket (connecting closes the previous one, whose late events are
//   dropped), global on/off handlers, frames are base64 text.
// - WeChat `wx`: a SocketTask per connectSocket, binary frames (ArrayBuffer).

const WebSocket = require('ws');

const SYSTEM_INFO = {
  platform: 'node', model: 'msync-interop', system: 'node', version: '10.5.0',
  SDKVersion: '2.9.0', brand: 'msync', pixelRatio: 1, windowWidth: 375, windowHeight: 667,
};

// Turns a fetch response into the success object both platforms hand to `request`.
async function requestOver(fetchArgs, done) {
  const { url, method, headers, data, timeout } = fetchArgs;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeout || 15000);
  try {
    const body = method === 'GET' || data == null
      ? undefined
      : (typeof data === 'string' ? data : JSON.stringify(data));
    const response = await fetch(url, { method, headers, body, signal: controller.signal });
    const text = await response.text();
    let parsed = text;
    try { parsed = JSON.parse(text); } catch { /* not JSON: keep the text */ }
    done.success({ status: response.status, statusCode: response.status, data: parsed, headers: {} });
  } catch (error) {
    done.fail({ errMsg: controller.signal.aborted ? 'request:fail timeout' : `request:fail ${error.message}` });
  } finally {
    clearTimeout(timer);
    if (done.complete) done.complete();
  }
}

function common(storage) {
  const noop = () => {};
  return {
    canIUse: () => true,
    getSystemInfo(options = {}) {
      if (options.success) options.success({ ...SYSTEM_INFO });
      if (options.complete) options.complete({ ...SYSTEM_INFO });
    },
    getSystemInfoSync: () => ({ ...SYSTEM_INFO }),
    getNetworkType(options = {}) {
      if (options.success) options.success({ networkType: 'WIFI', networkAvailable: true });
    },
    onNetworkStatusChange: noop,
    offNetworkStatusChange: noop,
    onAppShow: noop,
    onAppHide: noop,
    offAppShow: noop,
    offAppHide: noop,
    _storage: storage,
  };
}

/** Installs a fake Alipay `my` global. */
function installAlipay() {
  const storage = new Map();
  const handlers = { open: [], message: [], close: [], error: [] };
  let current = null; // the one global socket
  const emit = (kind, event) => handlers[kind].slice().forEach((h) => h(event));

  const my = {
    ...common(storage),
    connectSocket({ url, header, success, fail }) {
      if (current) {
        // Alipay keeps one socket per mini program: a new connect closes the old one, and
        // the old one's late events are not delivered to the new one's handlers.
        const old = current;
        current = null;
        old.terminate();
      }
      let ws;
      try {
        ws = new WebSocket(url, { headers: header || {} });
      } catch (error) {
        if (fail) fail({ errMsg: `connectSocket:fail ${error.message}` });
        return;
      }
      current = ws;
      ws.on('open', () => { if (current === ws) emit('open', {}); });
      ws.on('message', (data, isBinary) => {
        if (current !== ws) return;
        // Binary frames reach Alipay apps as base64; text frames carry base64 already.
        const text = isBinary ? Buffer.from(data).toString('base64') : data.toString();
        emit('message', { data: text, isBuffer: isBinary });
      });
      ws.on('close', (code, reason) => {
        if (current !== ws) return;
        current = null;
        emit('close', { code, reason: reason.toString() });
      });
      ws.on('error', (error) => { if (current === ws) emit('error', { errMsg: error.message }); });
      if (success) success({});
    },
    onSocketOpen: (h) => handlers.open.push(h),
    onSocketMessage: (h) => handlers.message.push(h),
    onSocketClose: (h) => handlers.close.push(h),
    onSocketError: (h) => handlers.error.push(h),
    offSocketOpen: () => { handlers.open = []; },
    offSocketMessage: () => { handlers.message = []; },
    offSocketClose: () => { handlers.close = []; },
    offSocketError: () => { handlers.error = []; },
    sendSocketMessage({ data, isBuffer, success, fail }) {
      if (!current || current.readyState !== WebSocket.OPEN) {
        if (fail) fail({ errMsg: 'sendSocketMessage:fail taskID not exist' });
        return;
      }
      current.send(isBuffer ? Buffer.from(data, 'base64') : String(data));
      if (success) success({});
    },
    closeSocket() {
      if (current) current.close(1000);
    },
    request(options) {
      requestOver(
        { url: options.url, method: options.method || 'GET', headers: options.headers, data: options.data, timeout: options.timeout },
        options,
      );
    },
    getStorageSync: ({ key }) => ({ data: storage.get(key) }),
    setStorageSync: ({ key, data }) => { storage.set(key, data); },
    setStorage({ key, data, success }) { storage.set(key, data); if (success) success({}); },
    removeStorageSync: ({ key }) => { storage.delete(key); },
    removeStorage({ key, success }) { storage.delete(key); if (success) success({}); },
  };
  globalThis.my = my;
  return my;
}

/** Installs a fake WeChat `wx` global. */
function installWeChat() {
  const storage = new Map();
  const wx = {
    ...common(storage),
    connectSocket({ url, header, success, fail, complete }) {
      const listeners = { open: [], message: [], close: [], error: [] };
      const emit = (kind, event) => listeners[kind].slice().forEach((h) => h(event));
      let ws;
      try {
        ws = new WebSocket(url, { headers: header || {} });
      } catch (error) {
        if (fail) fail({ errMsg: `connectSocket:fail ${error.message}` });
        if (complete) complete({});
        return undefined;
      }
      ws.binaryType = 'arraybuffer';
      const task = {
        readyState: 0,
        onOpen: (h) => listeners.open.push(h),
        onMessage: (h) => listeners.message.push(h),
        onClose: (h) => listeners.close.push(h),
        onError: (h) => listeners.error.push(h),
        send({ data, success, fail: sendFail }) {
          if (ws.readyState !== WebSocket.OPEN) {
            if (sendFail) sendFail({ errMsg: 'SocketTast.send:fail SocketTask.readyState is not OPEN' });
            return;
          }
          ws.send(typeof data === 'string' ? data : Buffer.from(data));
          if (success) success({});
        },
        close({ code } = {}) { ws.close(code || 1000); },
      };
      ws.on('open', () => { task.readyState = 1; emit('open', {}); });
      ws.on('message', (data, isBinary) => {
        emit('message', { data: isBinary ? data : data.toString() });
      });
      ws.on('close', (code, reason) => { task.readyState = 3; emit('close', { code, reason: reason.toString() }); });
      ws.on('error', (error) => emit('error', { errMsg: error.message }));
      if (success) success({});
      if (complete) complete({});
      return task;
    },
    request(options) {
      requestOver(
        { url: options.url, method: options.method || 'GET', headers: options.header, data: options.data, timeout: options.timeout },
        options,
      );
    },
    getStorageSync: (key) => storage.get(key),
    setStorageSync: (key, data) => { storage.set(key, data); },
    setStorage({ key, data, success }) { storage.set(key, data); if (success) success({}); },
    removeStorageSync: (key) => { storage.delete(key); },
    removeStorage({ key, success }) { storage.delete(key); if (success) success({}); },
  };
  globalThis.wx = wx;
  return wx;
}

module.exports = { installAlipay, installWeChat };
