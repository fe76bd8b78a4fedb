// pglib.mjs - fresh PostgreSQL databases for the black-box tests.
//
// KC_TEST_PG is the URL of a running cluster's maintenance database, as
// printed by `scripts/pg-test start` (postgresql://kc@/postgres?host=SOCKDIR&port=5432).
// Each test file gets its own database t_<random>, dropped afterwards.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const PG = process.env.KC_TEST_PG || '';

/* The URL of database name in the cluster of base. */
export function dbUrl(name, base = PG) {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/.exec(base);
  if (!m) throw new Error(`KC_TEST_PG is not a postgresql:// URL: ${base}`);
  return `${m[1]}/${name}${m[3] || ''}`;
}

/* Runs one SQL statement on the maintenance database with psql. */
export function psql(sql, url = PG) {
  return new Promise((resolve, reject) => {
    const p = spawn('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    p.stdout.setEncoding('utf8').on('data', (d) => (out += d));
    p.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    p.on('error', reject);
    p.on('close', (code) =>
      code === 0 ? resolve(out.trim()) : reject(new Error(`psql ${sql}: ${code} ${err}`)),
    );
  });
}

/* psql() that blocks until done, for teardown code that cannot await (the
 * browser tests' Server.removeScratch); returns the output, throws on error. */
export function psqlSync(sql, url = PG) {
  const r = spawnSync('psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql], {
    encoding: 'utf8',
    timeout: 60000,
  });
  if (r.status !== 0) throw new Error(`psql ${sql}: ${r.status ?? r.error} ${r.stderr}`);
  return r.stdout.trim();
}

/* Creates an empty database; resolves {name, url, drop, dropSync}. */
export async function createDb(prefix = 't') {
  const name = `${prefix.replace(/[^a-z0-9_]/gi, '_').toLowerCase()}_${randomBytes(6).toString('hex')}`;
  await psql(`CREATE DATABASE ${name}`);
  return {
    name,
    url: dbUrl(name),
    drop: () => psql(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
    dropSync: () => psqlSync(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
