'use strict';
// Our `msync` binary as a child process of the interop tests: its stdout lines (JSON for
// `listen`, `send --json`, `chat --json`) and stderr notes, with bounded waits. Its stderr goes
// to a log file as well.

const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { APP_KEY, BASE_URL, WS_URL } = require('./harness');

const MSYNC_BIN = process.env.MSYNC_BIN;
const LOG_FILE = process.env.MSYNC_INTEROP_CLI_LOG || path.join(__dirname, '..', 'interop-cli.log');

if (!MSYNC_BIN) throw new Error('MSYNC_BIN is not set (run through run.sh)');

/** `SUBCOMMAND --rest .. --ws .. --app-key .. --user USER ...extra` against the devserver. */
function cliArgs(subcommand, user, extra = []) {
  return [subcommand, '--rest', BASE_URL, '--ws', WS_URL, '--app-key', APP_KEY, '--user', user, ...extra];
}

/** The environment of a child: ours without MSYNC_* or RUST_LOG, plus `extra`. */
function childEnv(extra) {
  const env = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('MSYNC_') && key !== 'RUST_LOG') env[key] = value;
  }
  return { ...env, ...extra };
}

class Cli {
  /** Starts `msync ...args` with the password of `user` (`USER-pw`) in MSYNC_PASSWORD. */
  constructor(args, password) {
    this.args = args;
    const userAt = args.indexOf('--user');
    this.label = userAt >= 0 ? `${args[0]} ${args[userAt + 1]}` : args[0];
    this.stdout = [];
    this.stderr = [];
    this.waiters = [];
    this.child = spawn(MSYNC_BIN, args, {
      env: childEnv({ MSYNC_PASSWORD: password }),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code) => resolve(code));
    });
    this.readLines(this.child.stdout, this.stdout);
    this.readLines(this.child.stderr, this.stderr, (line) => {
      fs.appendFileSync(LOG_FILE, `${new Date().toISOString()} msync ${this.label}: ${line}\n`);
    });
  }

  readLines(stream, into, also = () => {}) {
    let partial = '';
    stream.setEncoding('utf8');
    const take = (lines) => {
      for (const line of lines) {
        into.push(line);
        also(line);
      }
      this.waiters = this.waiters.filter((w) => !w());
    };
    stream.on('data', (chunk) => {
      partial += chunk;
      const lines = partial.split('\n');
      partial = lines.pop();
      take(lines);
    });
    stream.on('end', () => {
      if (partial !== '') take([partial]);
      partial = '';
    });
  }

  /** Resolves once some line of `lines` satisfies `predicate`; returns it. */
  waitFor(lines, predicate, what, timeoutMs = 15000) {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = lines.find(predicate);
        if (found === undefined) return false;
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== check);
        reject(new Error(`msync ${this.label}: no ${what} within ${timeoutMs} ms; `
          + `stdout ${JSON.stringify(this.stdout)}, stderr ${JSON.stringify(this.stderr)}`));
      }, timeoutMs);
      if (!check()) this.waiters.push(check);
    });
  }

  /** A stderr line containing `text`. */
  stderrLine(text) {
    return this.waitFor(this.stderr, (line) => line.includes(text), `stderr ${JSON.stringify(text)}`);
  }

  /** A stdout JSON line that satisfies `predicate`, parsed. */
  async json(predicate, what) {
    const parse = (line) => { try { return JSON.parse(line); } catch { return undefined; } };
    const line = await this.waitFor(this.stdout, (l) => { const v = parse(l); return v !== undefined && predicate(v); }, what);
    return parse(line);
  }

  /** Every stdout line as JSON. */
  jsonLines() {
    return this.stdout.filter((line) => line.trim() !== '').map((line) => JSON.parse(line));
  }

  writeLine(line) {
    this.child.stdin.write(`${line}\n`);
  }

  /** Waits (bounded) for the exit code; kills the child if it takes too long. */
  async exit(timeoutMs = 20000) {
    let timer;
    const timeout = new Promise((_, reject) => {
      timer = setTimeout(() => {
        this.child.kill();
        reject(new Error(`msync ${this.label} did not exit within ${timeoutMs} ms; stderr ${JSON.stringify(this.stderr)}`));
      }, timeoutMs);
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  kill() {
    if (this.child.exitCode === null) this.child.kill();
  }
}

/** Runs `msync ...args` to the end; returns `{code, stdout, stderr}` (stdout and stderr as text). */
async function runCli(args, password) {
  const cli = new Cli(args, password);
  cli.child.stdin.end();
  const code = await cli.exit();
  return { code, stdout: cli.stdout.join('\n'), stderr: cli.stderr.join('\n') };
}

module.exports = { Cli, cliArgs, runCli };
