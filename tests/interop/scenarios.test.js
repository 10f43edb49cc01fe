'use strict';
// The official JS SDK (easemob-websdk 4.21.1, mini-program build) against msync-devserver.
// One peer runs on a fake Alipay (`my`, base64 text frames), the other on a fake WeChat
// (`wx`, binary frames). Every scenario asserts what the receiving SDK reports.

const test = require('node:test');
const assert = require('node:assert/strict');
const {
  APP_KEY, Peer, rest, appPath, registerUsers, appToken, userToken, sessions, eventually, uniqueUser,
} = require('./lib/harness');

const peers = [];
async function peer(name, platform) {
  const p = await Peer.start(name, platform);
  peers.push(p);
  return p;
}

test.after(async () => {
  await Promise.all(peers.map((p) => p.stop()));
});

async function loginWithPassword(user, platform) {
  const p = await peer(user, platform);
  await p.call('open', { user, pwd: `${user}-pw` });
  await p.next('connected');
  return p;
}

async function loginWithToken(user, platform) {
  const token = await userToken(user);
  assert.equal(typeof token.access_token, 'string');
  assert.ok(token.expires_in > 0, 'ttl in seconds');
  const p = await peer(user, platform);
  await p.call('open', { user, accessToken: token.access_token });
  await p.next('connected');
  return p;
}

function assertFromTo(msg, from, to, chatType) {
  assert.equal(msg.from, from, 'sender');
  assert.equal(msg.to, to, 'recipient');
  assert.equal(msg.chatType, chatType, 'chat type');
}

test('password login (Alipay) and token login (WeChat)', async () => {
  const [alice, bob] = [uniqueUser('alice'), uniqueUser('bob')];
  await registerUsers([alice, bob]);
  await loginWithPassword(alice, 'alipay');
  await loginWithToken(bob, 'wechat');
  const online = await sessions();
  const resourceOf = (user) => online.find((s) => s.user === user && s.app_key === APP_KEY)?.resource;
  assert.match(resourceOf(alice), /^webim_zfb_\d+$/, 'the Alipay device id');
  assert.match(resourceOf(bob), /^webim_wx_\d+$/, 'the WeChat device id');
});

test('1:1 text, cmd and custom messages with ext, both ways', async () => {
  const [alice, bob] = [uniqueUser('alice'), uniqueUser('bob')];
  await registerUsers([alice, bob]);
  const a = await loginWithPassword(alice, 'alipay');
  const b = await loginWithToken(bob, 'wechat');
  const ext = { note: 'hi', count: 42, ok: true, nested: { k: 'v' } };

  const sent = await a.call('send', { type: 'txt', chatType: 'singleChat', to: bob, msg: 'hello bob', ext });
  assert.ok(/^\d+$/.test(sent.serverMsgId), 'the ACK carries a numeric server id');
  const text = await b.next('text', (m) => m.msg === 'hello bob');
  assertFromTo(text, alice, bob, 'singleChat');
  assert.equal(text.id, sent.serverMsgId, 'received id = sender server id');
  assert.deepEqual(text.ext, ext);

  const cmd = await a.call('send', { type: 'cmd', chatType: 'singleChat', to: bob, action: 'refresh', ext: { why: 'test' } });
  const gotCmd = await b.next('cmd', (m) => m.action === 'refresh');
  assertFromTo(gotCmd, alice, bob, 'singleChat');
  assert.equal(gotCmd.id, cmd.serverMsgId);
  assert.deepEqual(gotCmd.ext, { why: 'test' });

  const custom = await a.call('send', {
    type: 'custom', chatType: 'singleChat', to: bob, customEvent: 'order', customExts: { item: 'tea', qty: 2 }, ext: { v: 1 },
  });
  const gotCustom = await b.next('custom', (m) => m.customEvent === 'order');
  assertFromTo(gotCustom, alice, bob, 'singleChat');
  assert.equal(gotCustom.id, custom.serverMsgId);
  assert.deepEqual(gotCustom.customExts, { item: 'tea', qty: 2 });
  assert.deepEqual(gotCustom.ext, { v: 1 });

  const reply = await b.call('send', { type: 'txt', chatType: 'singleChat', to: alice, msg: 'hello alice' });
  const back = await a.next('text', (m) => m.msg === 'hello alice');
  assertFromTo(back, bob, alice, 'singleChat');
  assert.equal(back.id, reply.serverMsgId);
  assert.notEqual(reply.serverMsgId, sent.serverMsgId);
});

test('group messages', async () => {
  const [alice, bob, carol] = [uniqueUser('alice'), uniqueUser('bob'), uniqueUser('carol')];
  await registerUsers([alice, bob, carol]);
  const created = await rest('POST', appPath('/chatgroups'),
    { groupname: 'interop', desc: 'test', public: true, maxusers: 10, owner: alice, members: [bob] }, await appToken());
  assert.equal(created.status, 200);
  const group = created.body.data.groupid;
  assert.match(group, /^\d+$/);

  const a = await loginWithPassword(alice, 'alipay');
  const b = await loginWithToken(bob, 'wechat');

  const sent = await a.call('send', { type: 'txt', chatType: 'groupChat', to: group, msg: 'hi group', ext: { g: 1 } });
  const got = await b.next('text', (m) => m.msg === 'hi group');
  assertFromTo(got, alice, group, 'groupChat');
  assert.equal(got.id, sent.serverMsgId);
  assert.deepEqual(got.ext, { g: 1 });

  const cmd = await b.call('send', { type: 'cmd', chatType: 'groupChat', to: group, action: 'wave', ext: { hand: 'left' } });
  const gotCmd = await a.next('cmd', (m) => m.action === 'wave');
  assertFromTo(gotCmd, bob, group, 'groupChat');
  assert.equal(gotCmd.id, cmd.serverMsgId);
  assert.deepEqual(gotCmd.ext, { hand: 'left' });

  const custom = await a.call('send', {
    type: 'custom', chatType: 'groupChat', to: group, customEvent: 'poll', customExts: { q: 'lunch?' }, ext: { round: 2 },
  });
  const gotCustom = await b.next('custom', (m) => m.customEvent === 'poll');
  assertFromTo(gotCustom, alice, group, 'groupChat');
  assert.equal(gotCustom.id, custom.serverMsgId);
  assert.deepEqual(gotCustom.customExts, { q: 'lunch?' });
  assert.deepEqual(gotCustom.ext, { round: 2 });

  // carol is not a member: the SDK reports the server's refusal.
  const c = await loginWithToken(carol, 'alipay');
  await assert.rejects(
    c.call('send', { type: 'txt', chatType: 'groupChat', to: group, msg: 'let me in' }),
    (e) => JSON.stringify(e.sdk).includes('not in group or chatroom'),
  );
});

test('an offline message is delivered at the next login', async () => {
  const [alice, bob] = [uniqueUser('alice'), uniqueUser('bob')];
  await registerUsers([alice, bob]);
  const a = await loginWithPassword(alice, 'alipay');
  const b = await loginWithToken(bob, 'wechat');
  await b.call('close');
  await eventually(async () => !(await sessions()).some((s) => s.user === bob), 'bob offline');

  const sent = await a.call('send', { type: 'txt', chatType: 'singleChat', to: bob, msg: 'while you were out' });
  const queued = await rest('GET', `/_devserver/queues?app_key=${encodeURIComponent(APP_KEY)}&user=${bob}`);
  assert.equal(queued.body[0].items, 1, 'stored for bob');

  await b.call('open', { user: bob, pwd: `${bob}-pw` });
  const got = await b.next('text', (m) => m.msg === 'while you were out');
  assertFromTo(got, alice, bob, 'singleChat');
  assert.equal(got.id, sent.serverMsgId);
  await eventually(async () => {
    const q = await rest('GET', `/_devserver/queues?app_key=${encodeURIComponent(APP_KEY)}&user=${bob}`);
    return q.body[0].items === 0;
  }, 'the SDK acknowledged the batch');
});

test('a forced disconnect is reported by the SDK', async () => {
  const bob = uniqueUser('bob');
  await registerUsers([bob]);
  const b = await loginWithPassword(bob, 'alipay');
  const res = await rest('GET', appPath(`/users/${bob}/disconnect`), undefined, await appToken());
  assert.equal(res.status, 200);
  assert.equal(res.body.data.result, true);
  const error = await b.next('error', (e) => e.type === 207);
  assert.match(error.message, /removed/);
  await eventually(async () => !(await sessions()).some((s) => s.user === bob), 'bob offline');
});

test('logout', async () => {
  const alice = uniqueUser('alice');
  await registerUsers([alice]);
  const a = await loginWithToken(alice, 'wechat');
  assert.equal(await a.call('isOpened'), true);
  await a.call('close');
  await a.next('disconnected');
  assert.equal(await a.call('isOpened'), false);
  await eventually(async () => !(await sessions()).some((s) => s.user === alice), 'alice offline');
});
