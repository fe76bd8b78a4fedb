// lib.mjs - helpers shared by the browser tests (not a test itself): a fresh database,
// the server on a free port, Debian's chromium through playwright-core, login, polling.
//
// Env: KC_BIN (the khuyencong binary), KC_TEST_TMP (scratch dir), KC_SHOTS (screenshot dir).
// With KC_TEST_PG (a PostgreSQL cluster's URL, see scripts/pg-test) each server's database is
// a fresh PostgreSQL database (tests/pg/pglib.mjs), dropped by removeScratch(), and the
// screenshots are named e2e-pg-* instead of e2e-* (shot()), so both runs can be compared.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { chromium } from 'playwright-core';

import { PG, createDb } from '../pg/pglib.mjs';

export const BIN = process.env.KC_BIN;
export const TMP = process.env.KC_TEST_TMP;
export const SHOTS = process.env.KC_SHOTS;
if (!BIN || !TMP || !SHOTS) throw new Error('KC_BIN, KC_TEST_TMP and KC_SHOTS must be set');

// The binary may be built with AddressSanitizer: generous, but bounded, waits.
export const STEP_TIMEOUT = 15_000;
export const SERVER_START_TIMEOUT = 60_000;
// `init` on PostgreSQL runs every migration over a socket: slower than on a SQLite file.
const INIT_TIMEOUT = PG ? 60_000 : SERVER_START_TIMEOUT;

/* The path of screenshot name (e2e-*.png) under KC_SHOTS; e2e-pg-*.png on PostgreSQL. */
export function shot(name) {
	return path.join(SHOTS, PG ? name.replace(/^e2e-/, 'e2e-pg-') : name);
}

/* `khuyencong init` on a new database; returns the admin password it prints. */
export function initDb(db) {
	const r = spawnSync(BIN, ['init', '--db', db], { encoding: 'utf8', timeout: INIT_TIMEOUT });
	assert.equal(r.status, 0, `init failed: ${r.error ?? ''}${r.stdout}${r.stderr}`);
	const m = /password: (\S+)/.exec(r.stdout);
	assert.ok(m, `init printed no password:\n${r.stdout}`);
	return m[1];
}

/* A server of its own for one test file: scratch dir, database (a file in the scratch dir, or
 * a PostgreSQL database with KC_TEST_PG, created by start()), process, its stderr. */
export class Server {
	constructor(prefix) {
		mkdirSync(TMP, { recursive: true });
		mkdirSync(SHOTS, { recursive: true });
		this.prefix = prefix;
		this.scratch = mkdtempSync(path.join(TMP, prefix));
		this.db = PG ? null : path.join(this.scratch, 'kc.db'); // a URL once start() made it
		this.dropDb = null; // drops the PostgreSQL database
		this.log = ''; // stderr, shown when something fails
		this.child = null;
		this.base = null; // http://127.0.0.1:PORT
		this.adminPassword = null;
	}

	/* init, then serve on 127.0.0.1:0; resolves to the base URL. */
	async start() {
		if (PG) {
			const pg = await createDb(this.prefix);
			this.db = pg.url;
			this.dropDb = pg.dropSync;
		}
		this.adminPassword = initDb(this.db);
		this.base = await new Promise((resolve, reject) => {
			const child = spawn(BIN, ['serve', '--db', this.db, '--listen', '127.0.0.1:0'], {
				stdio: ['ignore', 'pipe', 'pipe'],
			});
			this.child = child;
			let out = '';
			const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}${this.log}`)),
				SERVER_START_TIMEOUT);
			child.stderr.setEncoding('utf8');
			child.stderr.on('data', (d) => { this.log += d; });
			child.stdout.setEncoding('utf8');
			child.stdout.on('data', (d) => {
				out += d;
				const m = /serving (http:\/\/127\.0\.0\.1:(\d+))\//.exec(out);
				if (m && Number(m[2]) > 0) {
					clearTimeout(timer);
					resolve(m[1]);
				}
			});
			child.on('error', (e) => { clearTimeout(timer); reject(e); });
			child.on('exit', (code, sig) => {
				clearTimeout(timer);
				reject(new Error(`server exited (${code ?? sig}) before serving:\n${out}${this.log}`));
			});
		});
		return this.base;
	}

	/* SIGTERM, then SIGKILL after 10 s; resolves to the exit code, or the signal's name. */
	async stop() {
		const child = this.child;
		if (!child) return 0;
		if (child.exitCode !== null || child.signalCode !== null) return child.exitCode ?? child.signalCode;
		const exited = new Promise((resolve) => child.once('exit', (code, sig) => resolve(code ?? sig)));
		child.kill('SIGTERM');
		const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
		const status = await exited;
		clearTimeout(timer);
		return status;
	}

	/* Removes the scratch dir and drops the PostgreSQL database; after stop(). */
	removeScratch() {
		rmSync(this.scratch, { recursive: true, force: true });
		if (this.dropDb) {
			this.dropDb();
			this.dropDb = null;
		}
	}
}

/* Debian's chromium, headless; launch() gives every run a fresh temporary profile. */
export function launchBrowser() {
	return chromium.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
		timeout: SERVER_START_TIMEOUT,
	});
}

// axe-core, run on every page the browser tests load (see accessible()).
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const AXE_FAIL = new Set(['serious', 'critical']);

/* Runs axe-core on page's document; returns its serious and critical violations as lines. The
 * pages' Content-Security-Policy refuses inline scripts, so page.addScriptTag() cannot inject
 * axe.min.js: it is evaluated through the DevTools protocol instead, which the policy does not
 * govern (the pages keep their policy). */
export async function axeCheck(page) {
	const url = page.url();
	const t0 = Date.now();
	const found = await page.evaluate(`(() => {
		if (document.contentType !== 'text/html') return null;
		if (!window.axe) { ${AXE}
 }
		return window.axe.run(document, { resultTypes: ['violations'] })
			.then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
				nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) })));
	})()`);
	const width = page.viewportSize()?.width;
	if (process.env.KC_AXE_DEBUG) console.log(`axe ${Date.now() - t0} ms ${url}`);
	return (found ?? []).filter((v) => AXE_FAIL.has(v.impact))
		.map((v) => `${url} @${width}px: ${v.impact} ${v.id} (${v.help}) at ${v.nodes.join(', ')}`);
}

/* Every page opened in browser gets axe-core (axeCheck) once its DOM is loaded; the next
 * navigation of that page waits for the check (its request is held by a route), so no page is
 * left before it was checked. Returns the record: {pages: number checked, violations: lines}. */
function accessible(browser) {
	const record = { pages: 0, skipped: 0, violations: [] };
	const checks = new Set(); // the pending check of each page
	const watch = (page) => {
		let pending = Promise.resolve();
		checks.add(() => pending);
		/* A navigation the test asks for (goto, reload) is started once the check ended: held
		 * at its request instead, it may keep the check from ending (seen after a click). The
		 * hold of the others is bounded for the same reason; a check it cuts short is counted
		 * as skipped, not as a violation. */
		const settled = () => Promise.race([pending, new Promise((r) => setTimeout(r, 5_000))]);
		for (const name of ['goto', 'reload', 'goBack']) {
			const orig = page[name].bind(page);
			page[name] = async (...a) => { await pending; return orig(...a); };
		}
		page.on('domcontentloaded', () => {
			pending = pending.then(() => axeCheck(page)).then((v) => {
				record.pages++;
				record.violations.push(...v);
			}, (e) => {
				// Left (closed, or navigated by the page itself) before the check ended.
				if (!/closed|destroyed|navigat/i.test(String(e?.message))) record.violations.push(`${page.url()}: axe failed: ${e}`);
				record.skipped++;
			});
		});
		page.route(() => true, async (route) => {
			const req = route.request();
			if (req.isNavigationRequest() && req.frame() === page.mainFrame()) await settled();
			await route.fallback();
		}).catch(() => {});
	};
	const newContext = browser.newContext.bind(browser);
	browser.newContext = async (...args) => {
		const context = await newContext(...args);
		context.on('page', watch);
		const close = context.close.bind(context);
		context.close = async (...a) => { // closing a context lets its last checks end first
			await Promise.all([...checks].map((p) => p()));
			return close(...a);
		};
		return context;
	};
	return record;
}

/* Registers the before() and after() hooks of a browser test file around server (a Server):
 * before() starts it, launches the browser and calls ready(browser, base); after() closes the
 * browser, stops the server, removes its scratch dir and asserts that the server exited 0 on
 * SIGTERM, with its stderr in the message, and that axe-core found no serious or critical
 * violation on any page the browser loaded (accessible()). */
export function serverAndBrowser(server, ready) {
	let browser, a11y;
	before(async () => {
		const base = await server.start();
		browser = await launchBrowser();
		a11y = accessible(browser);
		ready(browser, base);
	});
	after(async () => {
		let status;
		try {
			if (browser) {
				for (const c of browser.contexts()) await c.close();
				await browser.close();
			}
		} finally {
			status = await server.stop();
			server.removeScratch();
		}
		// A clean shutdown exits 0; AddressSanitizer makes it fail on leaks and memory errors.
		assert.equal(status, 0, `server exit status on SIGTERM\n--- server stderr ---\n${server.log}`);
		if (process.env.KC_AXE_DEBUG) console.log('axe pages', a11y?.pages, 'skipped', a11y?.skipped, a11y?.violations);
		assert.ok(!a11y || a11y.pages > 0 || !browser, 'axe-core checked no page');
		assert.deepEqual(a11y?.violations ?? [], [], 'axe-core: serious or critical violations');
	});
}

/* Polls fn() until it returns something deep-equal to want, like expect.poll. */
export async function poll(what, fn, want, timeout = STEP_TIMEOUT) {
	const end = Date.now() + timeout;
	let got;
	for (;;) {
		got = await fn();
		try {
			assert.deepEqual(got, want);
			return;
		} catch (e) {
			if (Date.now() > end) {
				e.message = `${what}: ${e.message}`;
				throw e;
			}
		}
		await new Promise((r) => setTimeout(r, 100));
	}
}

export const pathOf = (page) => new URL(page.url()).pathname;

/* Follows the menu item named name (exact text), opening its group (a <details>) first. */
export async function navTo(page, name) {
	const link = page.locator('nav.nav').getByRole('link', { name, exact: true, includeHidden: true });
	const group = page.locator('nav.nav details').filter({
		has: page.getByRole('link', { name, exact: true, includeHidden: true }),
	});
	if (await group.count() && !(await group.evaluate((d) => d.open))) await group.locator('summary').click();
	await link.click();
}

/* Logs in through the login form and waits for the home page. */
export async function login(page, base, username, password) {
	await page.goto(`${base}/login`);
	await page.locator('input[name=username]').fill(username);
	await page.locator('input[name=password]').fill(password);
	await page.locator('form[action="/login"] button[type=submit]').click();
	await page.locator('#welcome').waitFor({ state: 'visible' });
}

/*
 * Named steps of one test that depend on each other: after a failure the rest are skipped,
 * not failed in cascade; the server's stderr is added to the failure. A step given
 * { todo: 'why' } still runs but does not fail the file, and does not skip the rest.
 */
export function stepper(t, server) {
	let failed = false;
	return (name, opts, fn) => {
		if (typeof opts === 'function') [opts, fn] = [{}, opts];
		const skip = failed && 'an earlier step failed';
		return t.test(name, { ...opts, skip }, async () => {
			try {
				await fn();
			} catch (e) {
				if (!opts.todo) failed = true;
				if (server.log) e.message += `\n--- server stderr ---\n${server.log}`;
				throw e;
			}
		});
	};
}
