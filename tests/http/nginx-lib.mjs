// nginx-lib.mjs - Debian's nginx in front of test servers, run with the sample configuration
// (deploy/nginx.conf) changed only in its addresses, ports and file paths.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { sleep } from './lib.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const SAMPLE = path.join(HERE, '..', '..', 'deploy', 'nginx.conf');

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

function findNginx() {
  for (const p of ['/usr/sbin/nginx', '/usr/bin/nginx']) {
    try {
      readFileSync(p, { flag: 'r' });
      return p;
    } catch {
      /* next */
    }
  }
  const w = spawnSync('sh', ['-c', 'command -v nginx']);
  return w.status === 0 ? String(w.stdout).trim() : null;
}

/* The sample with the test's ports and an unprivileged prefix: the servers'
 * addresses, the listening address, the log and cache paths, and
 * temporary-file paths (Debian's defaults under /var/lib/nginx belong to root). */
export function configFromSample(sample, { ports, listen, prefix }) {
  let conf = sample;
  const upstreams = [...conf.matchAll(/server 127\.0\.0\.1:(\d+)/g)];
  assert.equal(upstreams.length, ports.length, 'the sample names two servers');
  upstreams.forEach((m, i) => {
    conf = conf.replace(m[0], `server 127.0.0.1:${ports[i]}`);
  });
  assert.match(conf, /listen 80;/);
  conf = conf.replace('listen 80;', `listen 127.0.0.1:${listen};`);
  conf = conf.replace(/\/var\/log\/nginx\//g, `${prefix}/`);
  conf = conf.replace(/\/var\/cache\/nginx-khuyencong/g, `${prefix}/cache`);
  const temps = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']
    .map((k) => `    ${k}_temp_path ${prefix}/${k};`)
    .join('\n');
  conf = conf.replace(/^http \{$/m, `http {\n${temps}`);
  return conf;
}

/* Starts nginx (as nobody when the tests run as root) in front of the two
 * upstream ports and waits until it answers /healthz; stopped after test t.
 * Returns {base, proc, prefix}, or null (t skipped) when nginx is missing. */
export async function startNginx(t, ports) {
  const nginx = findNginx();
  if (!nginx) {
    t.skip('nginx is not installed (scripts/setup installs it)');
    return null;
  }
  /* under /tmp: an unprivileged owner can reach it whatever build/ allows */
  const prefix = await mkdtemp(path.join(os.tmpdir(), 'kc-nginx-'));
  const root = process.getuid() === 0;
  const port = await freePort();
  const conf = configFromSample(await readFile(SAMPLE, 'utf8'), { ports, listen: port, prefix });
  const confPath = path.join(prefix, 'nginx.conf');
  await writeFile(confPath, conf);
  const args = ['-p', prefix, '-c', confPath, '-e', path.join(prefix, 'error.log'), '-g',
    `daemon off; pid ${prefix}/nginx.pid;`];
  if (root) chownSync(prefix, 65534, 65534); /* nobody */
  const cmd = root ? 'setpriv' : nginx;
  const argv = root
    ? ['--reuid=65534', '--regid=65534', '--clear-groups', nginx, ...args]
    : args;
  const proc = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout.on('data', (d) => (out += d));
  proc.stderr.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  t.after(async () => {
    proc.kill('SIGQUIT');
    const timer = setTimeout(() => proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    if (!process.env.KC_KEEP_TMP) await rm(prefix, { recursive: true, force: true });
  });

  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).status === 200) break;
    } catch {
      /* not listening yet */
    }
    if (i > 100) {
      const log = await readFile(path.join(prefix, 'error.log'), 'utf8').catch(() => '');
      throw new Error(`nginx did not start: ${out}\n${log}`);
    }
    await sleep(50);
  }
  return { base, proc, prefix };
}
