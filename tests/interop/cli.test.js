'use strict';
// Our CLI (`msync listen`, `msync send`, `msync chat`, run as child processes) and the official
// JS SDK (easemob-websdk 4.21.1 on a fake Alipay or WeChat) exchange messages through the
// devserver, both ways: text in Chinese with emoji, command and custom messages, group messages,
// typed ext. Each side's received content is asserted.

const test = require('node:test');
const assert = require('node:assert/strict');
const { Peer, rest, appPath, registerUsers, appToken, uniqueUser } = require('./lib/harness');
const { Cli, cliArgs, runCli } = require('./lib/cli');

const peers = [];
const clis = [];

test.after(async () => {
  for (const cli of clis) cli.kill();
  await Promise.all(peers.map((p) => p.stop()));
});

async function sdkOnline(user, platform) {
  const p = await Peer.start(user, platform);
  peers.push(p);
  await p.call('open', { user, pwd: `${user}-pw` });
  await p.next('connected');
  return p;
}

function startCli(subcommand, user, extra) {
  const cli = new Cli(cliArgs(subcommand, user, extra), `${user}-pw`);
  clis.push(cli);
  return cli;
}

async function cliSend(user, extra) {
  const sent = await runCli(cliArgs('send', user, ['--json', ...extra]), `${user}-pw`);
  assert.equal(sent.code, 0, `msync send: ${sent.stderr}`);
  const ack = JSON.parse(sent.stdout);
  assert.match(ack.id, /^\d+$/, 'the server id, as a string');
  return ack;
}

async function groupOf(owner, members) {
  const created = await rest('POST', appPath('/chatgroups'),
    { groupname: 'cli-interop', desc: 'test', public: true, maxusers: 10, owner, members }, await appToken());
  assert.equal(created.status, 200);
  return created.body.data.groupid;
}

test('msync listen receives what the official SDK sends (Alipay): text, cmd, custom, group', async () => {
  const [alice, bob] = [uniqueUser('alice'), uniqueUser('bob')];
  await registerUsers([alice, bob]);
  const group = await groupOf(alice, [bob]);
  const a = await sdkOnline(alice, 'alipay');
  const listen = startCli('listen', bob, ['--count', '4', '--timeout', '60']);
  await listen.stderrLine(`online as ${bob}`);

  const ext = { note: '中文备注 ✓', count: 42, ok: true, nested: { k: 'v', list: [1, 2] } };
  const text = await a.call('send', {
    type: 'txt', chatType: 'singleChat', to: bob, msg: '你好，bob！👋🏽 来自官方 SDK 🚀', ext,
  });
  const cmd = await a.call('send', { type: 'cmd', chatType: 'singleChat', to: bob, action: 'reboot', ext: { why: '测试' } });
  const custom = await a.call('send', {
    type: 'custom', chatType: 'singleChat', to: bob, customEvent: 'order', customExts: { item: '茶 🍵', qty: 2 }, ext: { v: 1 },
  });
  const inGroup = await a.call('send', { type: 'txt', chatType: 'groupChat', to: group, msg: '大家好 🎉', ext: { g: 1 } });

  assert.equal(await listen.exit(), 0, listen.stderr.join('\n'));
  const [gotText, gotCmd, gotCustom, gotGroup] = listen.jsonLines();
  assert.deepEqual(gotText, {
    id: text.serverMsgId, from: alice, to: bob, chat_type: 'single', timestamp: gotText.timestamp,
    body: { type: 'text', text: '你好，bob！👋🏽 来自官方 SDK 🚀' }, ext,
  });
  assert.ok(gotText.timestamp > 0);
  assert.equal(gotCmd.id, cmd.serverMsgId);
  assert.equal(gotCmd.from, alice);
  assert.deepEqual(gotCmd.body, { type: 'cmd', action: 'reboot', params: {} });
  assert.deepEqual(gotCmd.ext, { why: '测试' });
  assert.equal(gotCustom.id, custom.serverMsgId);
  assert.deepEqual(gotCustom.body, { type: 'custom', event: 'order', exts: { item: '茶 🍵', qty: 2 } });
  assert.deepEqual(gotCustom.ext, { v: 1 });
  assert.equal(gotGroup.id, inGroup.serverMsgId);
  assert.equal(gotGroup.to, group);
  assert.equal(gotGroup.chat_type, 'group');
  assert.deepEqual(gotGroup.body, { type: 'text', text: '大家好 🎉' });
  assert.deepEqual(gotGroup.ext, { g: 1 });
});

test('the official SDK (WeChat) receives what msync send sends: text, cmd, custom, group', async () => {
  const [alice, bob] = [uniqueUser('alice'), uniqueUser('bob')];
  await registerUsers([alice, bob]);
  const group = await groupOf(alice, [bob]);
  const b = await sdkOnline(bob, 'wechat');

  const text = await cliSend(alice, [
    '--to', bob,
    '--ext', 'n:int=3', '--ext', 'ok:bool=true', '--ext', 'label=标签 ✓',
    '--ext', 'meta:json={"k":[1,2],"s":"中"}', '--ext', 'ratio:double=0.25',
    '来自 msync 的问候 🚀🇨🇳',
  ]);
  const gotText = await b.next('text', (m) => m.id === text.id);
  assert.equal(gotText.msg, '来自 msync 的问候 🚀🇨🇳');
  assert.equal(gotText.from, alice);
  assert.equal(gotText.to, bob);
  assert.equal(gotText.chatType, 'singleChat');
  assert.deepEqual(gotText.ext, { n: 3, ok: true, label: '标签 ✓', meta: { k: [1, 2], s: '中' }, ratio: 0.25 });

  const cmd = await cliSend(alice, ['--to', bob, '--cmd', 'refresh', '--ext', 'why=测试']);
  const gotCmd = await b.next('cmd', (m) => m.id === cmd.id);
  assert.equal(gotCmd.action, 'refresh');
  assert.equal(gotCmd.from, alice);
  assert.deepEqual(gotCmd.ext, { why: '测试' });

  const custom = await cliSend(alice, [
    '--to', bob, '--custom', 'order', '--field', 'item=茶 🍵', '--field', 'qty:int=2', '--ext', 'v:int=1',
  ]);
  const gotCustom = await b.next('custom', (m) => m.id === custom.id);
  assert.equal(gotCustom.customEvent, 'order');
  assert.deepEqual(gotCustom.customExts, { item: '茶 🍵', qty: 2 });
  assert.deepEqual(gotCustom.ext, { v: 1 });

  const inGroup = await cliSend(alice, ['--to', group, '--group', '群消息 🎉', '--ext', 'g:int=1']);
  const gotGroup = await b.next('text', (m) => m.id === inGroup.id);
  assert.equal(gotGroup.msg, '群消息 🎉');
  assert.equal(gotGroup.from, alice);
  assert.equal(gotGroup.to, group);
  assert.equal(gotGroup.chatType, 'groupChat');
  assert.deepEqual(gotGroup.ext, { g: 1 });
});

test('msync chat and the official SDK (Alipay) talk both ways', async () => {
  const [alice, bob] = [uniqueUser('alice'), uniqueUser('bob')];
  await registerUsers([alice, bob]);
  const b = await sdkOnline(bob, 'alipay');
  const chat = startCli('chat', alice, ['--json', '--to', bob]);
  await chat.stderrLine(`online as ${alice}`);

  chat.writeLine('ping 🏓 乒');
  const sent = await chat.json((e) => e.event === 'sent', 'a sent event');
  const ping = await b.next('text', (m) => m.id === sent.id);
  assert.equal(ping.msg, 'ping 🏓 乒');
  assert.equal(ping.from, alice);

  const pong = await b.call('send', { type: 'txt', chatType: 'singleChat', to: alice, msg: 'pong 🏓 乓', ext: { n: 1 } });
  const got = await chat.json((e) => e.event === 'message', 'a message event');
  assert.equal(got.id, pong.serverMsgId);
  assert.equal(got.from, bob);
  assert.equal(got.to, alice);
  assert.deepEqual(got.body, { type: 'text', text: 'pong 🏓 乓' });
  assert.deepEqual(got.ext, { n: 1 });

  chat.writeLine('/quit');
  assert.equal(await chat.exit(), 0, chat.stderr.join('\n'));
});
