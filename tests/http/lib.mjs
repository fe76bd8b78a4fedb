// lib.mjs - helpers for the black-box HTTP tests: a fresh database, accounts,
// the server on a free loopback port, a cookie-jar client and login.
//
// Environment: KC_BIN (the built binary, required) and KC_TEST_TMP (scratch
// directory; the system temp directory when unset). Set KC_KEEP_TMP=1 to keep
// each test's directory for inspection. With KC_TEST_PG (a PostgreSQL URL,
// see scripts/pg-test) each database is a fresh PostgreSQL database instead of
// a SQLite file; env.db is then its URL.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { PG, createDb } from '../pg/pglib.mjs';

export const BIN = process.env.KC_BIN;
if (!BIN) throw new Error('KC_BIN must name the khuyencong binary');
export const TMP = process.env.KC_TEST_TMP || os.tmpdir();

/* Every child still running when the test process ends is killed, so a failed
 * setup never leaves a server behind. */
const live = new Set();
process.on('exit', () => {
  for (const p of live) {
    try {
      p.kill('SIGKILL');
    } catch {
      /* already gone */
    }
  }
});

/* Runs the binary to completion; resolves {code, signal, stdout, stderr}. */
export function run(args, { input, timeout = 90000 } = {}) {
  return new Promise((resolve, reject) => {
    const p = spawn(BIN, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    live.add(p);
    let stdout = '';
    let stderr = '';
    p.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    p.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      p.kill('SIGKILL');
      reject(new Error(`${args.join(' ')} timed out; stderr: ${stderr}`));
    }, timeout);
    p.on('error', (err) => {
      clearTimeout(timer);
      live.delete(p);
      reject(err);
    });
    p.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(p);
      resolve({ code, signal, stdout, stderr });
    });
    p.stdin.on('error', () => {}); /* the child may exit before reading */
    p.stdin.end(input ?? '');
  });
}

/* A unique scratch directory; removed by the returned cleanup. */
export async function scratchDir(prefix = 'http') {
  await mkdir(TMP, { recursive: true });
  return mkdtemp(path.join(TMP, `${prefix}-`));
}

/* Creates a database in a fresh directory (or a fresh PostgreSQL database with
 * KC_TEST_PG). Returns {dir, db, adminPassword, drop}; drop() removes the
 * PostgreSQL database (nothing for SQLite). */
export async function makeDb(prefix = 'http') {
  const dir = await scratchDir(prefix);
  let db = path.join(dir, 'kc.db');
  let drop = async () => {};
  if (PG) {
    const pg = await createDb(prefix);
    db = pg.url;
    drop = pg.drop;
  }
  const r = await run(['init', '--db', db], PG ? { timeout: 60000 } : {});
  if (r.code !== 0) throw new Error(`init failed (${r.code}): ${r.stderr}`);
  const m = /password: (\S+)/.exec(r.stdout);
  if (!m) throw new Error(`init printed no password: ${r.stdout}`);
  return { dir, db, adminPassword: m[1], drop };
}

/* Adds an account through the command line; the password goes to stdin. */
export async function addUser(db, name, { role, province, password }) {
  const args = ['user', 'add', name, '--role', role];
  if (province) args.push('--province', province);
  args.push('--db', db);
  const r = await run(args, { input: `${password}\n` });
  if (r.code !== 0) throw new Error(`user add ${name} failed (${r.code}): ${r.stderr}`);
  return r;
}

/* Starts `serve` on a free port. The returned object knows its base URL,
 * collects stderr (the access log) and stops the server with SIGTERM. */
export async function startServer(db, { args = [], timeout = 15000 } = {}) {
  const proc = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(proc);
  const srv = {
    proc,
    port: 0,
    base: '',
    stdout: '',
    stderr: '',
    exitCode: undefined,
    exitSignal: undefined,
  };
  srv.exited = new Promise((resolve) => {
    proc.on('exit', (code, signal) => {
      live.delete(proc);
      srv.exitCode = code;
      srv.exitSignal = signal;
      resolve({ code, signal });
    });
  });
  proc.stderr.setEncoding('utf8').on('data', (d) => (srv.stderr += d));
  proc.stdout.setEncoding('utf8');
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error('server did not announce its port')), timeout);
    function fail(err) {
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(new Error(`${err.message}; stdout: ${srv.stdout}; stderr: ${srv.stderr}`));
    }
    proc.on('error', fail);
    proc.on('exit', (code) => fail(new Error(`server exited early with ${code}`)));
    proc.stdout.on('data', (d) => {
      srv.stdout += d;
      const m = /khuyencong: serving http:\/\/127\.0\.0\.1:(\d+)\//.exec(srv.stdout);
      if (m && !srv.port) {
        clearTimeout(timer);
        srv.port = Number(m[1]);
        srv.base = `http://127.0.0.1:${srv.port}`;
        resolve();
      }
    });
  });

  /* Sends SIGTERM once and waits for the exit (SIGKILL after `timeout`). */
  srv.stop = async (timeout = 10000) => {
    if (srv.exitCode === undefined && srv.exitSignal === undefined) {
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), timeout);
      await srv.exited;
      clearTimeout(t);
    }
    return { code: srv.exitCode, signal: srv.exitSignal };
  };

  /* Resolves with the first stderr line matching re (polls: the server
   * writes its access-log line just after sending the response). */
  srv.waitForLog = async (re, timeout = 3000) => {
    const deadline = Date.now() + timeout;
    for (;;) {
      const line = srv.stderr.split('\n').find((l) => re.test(l));
      if (line !== undefined) return line;
      if (Date.now() > deadline)
        throw new Error(`no stderr line matches ${re}; stderr:\n${srv.stderr}`);
      await sleep(20);
    }
  };
  return srv;
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/* One database and one server, with cleanup registered on `after`.
 * users: [{name, role, province, password}] added before the server starts. */
export async function setup(after, { prefix = 'http', users = [], args = [] } = {}) {
  const env = await makeDb(prefix);
  try {
    for (const u of users) await addUser(env.db, u.name, u);
    env.server = await startServer(env.db, { args });
  } catch (err) {
    if (!process.env.KC_KEEP_TMP) {
      await rm(env.dir, { recursive: true, force: true });
      await env.drop();
    }
    throw err;
  }
  env.base = env.server.base;
  env.close = async () => {
    await env.server.stop();
    if (!process.env.KC_KEEP_TMP) {
      await rm(env.dir, { recursive: true, force: true });
      await env.drop();
    }
  };
  after(env.close);
  return env;
}

/* A client with a cookie jar. Every call resolves to
 * {status, headers, text, body} where body is the parsed JSON (or undefined). */
export class Client {
  constructor(base) {
    this.base = base;
    this.jar = new Map();
    this.bearer = null; /* when set, sent as Authorization: Bearer */
    this.csrf = null; /* when set, sent as X-CSRF-Token */
  }

  cookieHeader() {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  store(res) {
    for (const sc of res.headers.getSetCookie()) {
      const [pair, ...attrs] = sc.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age\s*=\s*0\s*$/i.test(a));
      if (expired || value === '') this.jar.delete(name);
      else this.jar.set(name, value);
    }
  }

  /* opts: json (object or raw string sent as application/json), body, headers,
   * bearer (overrides this.bearer; false sends none), csrf (same), cookies
   * (false: send none) */
  async request(method, urlPath, opts = {}) {
    const headers = { ...(opts.headers || {}) };
    let body = opts.body;
    if (opts.json !== undefined) {
      headers['Content-Type'] ??= 'application/json';
      body = typeof opts.json === 'string' ? opts.json : JSON.stringify(opts.json);
    }
    const bearer = opts.bearer === undefined ? this.bearer : opts.bearer;
    if (bearer) headers.Authorization = `Bearer ${bearer}`;
    const csrf = opts.csrf === undefined ? this.csrf : opts.csrf;
    if (csrf) headers['X-CSRF-Token'] = csrf;
    if (opts.cookies !== false && this.jar.size) headers.Cookie = this.cookieHeader();
    const res = await fetch(this.base + urlPath, { method, headers, body, redirect: 'manual' });
    this.store(res);
    const text = await res.text();
    let parsed;
    if ((res.headers.get('content-type') || '').startsWith('application/json') && text)
      parsed = JSON.parse(text);
    return { status: res.status, headers: res.headers, text, body: parsed };
  }

  get(p, o) {
    return this.request('GET', p, o);
  }
  post(p, o) {
    return this.request('POST', p, o);
  }
  patch(p, o) {
    return this.request('PATCH', p, o);
  }
  delete(p, o) {
    return this.request('DELETE', p, o);
  }

  /* POST /api/v1/session; on 201 remembers the csrf token (the cookie is in
   * the jar). Returns the response. */
  async login(username, password, opts = {}) {
    const res = await this.post('/api/v1/session', { json: { username, password }, ...opts });
    if (res.status === 201) this.csrf = res.body.csrf;
    return res;
  }
}

/* A fresh client logged in as username; throws unless the login succeeds.
 * mode 'cookie' (default) keeps the cookie and csrf token; 'bearer' sends
 * the token instead and drops the cookie. */
export async function login(base, username, password, mode = 'cookie') {
  const c = new Client(base);
  const res = await c.login(username, password);
  if (res.status !== 201)
    throw new Error(`login ${username}: ${res.status} ${res.text}`);
  c.token = res.body.token;
  c.user = res.body.user;
  if (mode === 'bearer') {
    c.jar.clear();
    c.csrf = null;
    c.bearer = res.body.token;
  }
  return c;
}

/* Opens a raw TCP connection; resolves the socket once connected. */
export function connect(port, host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const s = net.connect({ port, host });
    s.once('connect', () => {
      s.off('error', reject);
      resolve(s);
    });
    s.once('error', reject);
  });
}

/* Splits a raw HTTP/1.1 response: {status, headers (lower-case names), body};
 * null while the head or the Content-Length bytes of the body are incomplete. */
export function parseRawResponse(raw) {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const [statusLine, ...lines] = raw.slice(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3}) /.exec(statusLine);
  if (!m) throw new Error(`not an HTTP status line: ${statusLine}`);
  const headers = {};
  for (const l of lines) {
    const colon = l.indexOf(':');
    headers[l.slice(0, colon).toLowerCase()] = l.slice(colon + 1).trim();
  }
  const body = raw.subarray(end + 4);
  if (headers['content-length'] !== undefined && body.length < Number(headers['content-length']))
    return null;
  return { status: Number(m[1]), statusLine, headers, body: body.toString('utf8') };
}

/* Reads from a raw socket until one whole response has arrived (resolves it)
 * or the socket closes first (rejects, with what had arrived). */
export function readResponse(sock, timeout = 10000) {
  return new Promise((resolve, reject) => {
    let raw = Buffer.alloc(0);
    const timer = setTimeout(() => finish(new Error('no complete response in time')), timeout);
    function finish(err, res) {
      clearTimeout(timer);
      sock.off('data', onData);
      sock.off('close', onClose);
      if (err) reject(Object.assign(err, { raw: raw.toString('latin1') }));
      else resolve(res);
    }
    function onData(d) {
      raw = Buffer.concat([raw, d]);
      try {
        const res = parseRawResponse(raw);
        if (res) finish(null, { ...res, raw: raw.toString('latin1') });
      } catch (err) {
        finish(err);
      }
    }
    function onClose() {
      finish(new Error('connection closed before a complete response'));
    }
    sock.on('data', onData);
    sock.on('close', onClose);
    sock.on('error', () => {}); /* reported through close */
  });
}
