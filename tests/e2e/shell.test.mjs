// shell.test.mjs - the page shell in a real browser: login, navigation, language switch,
// account creation, audit trail and logout, with screenshots at desktop and phone sizes.
//
// Env: KC_BIN (the khuyencong binary), KC_TEST_TMP (scratch dir), KC_SHOTS (screenshot dir).
// Uses Debian's chromium through playwright-core; never downloads a browser.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';

const BIN = process.env.KC_BIN;
const TMP = process.env.KC_TEST_TMP;
const SHOTS = process.env.KC_SHOTS;
if (!BIN || !TMP || !SHOTS) throw new Error('KC_BIN, KC_TEST_TMP and KC_SHOTS must be set');

// The binary may be built with AddressSanitizer: generous, but bounded, waits.
const STEP_TIMEOUT = 15_000;
const SERVER_START_TIMEOUT = 20_000;

let server; // child process of `khuyencong serve`
let serverLog = ''; // its stderr, shown when something fails
let browser;
let base; // http://127.0.0.1:PORT
let adminPassword;
let scratch; // this run's directory under KC_TEST_TMP, removed at the end

function initDb(db) {
	const r = spawnSync(BIN, ['init', '--db', db], { encoding: 'utf8', timeout: SERVER_START_TIMEOUT });
	assert.equal(r.status, 0, `init failed: ${r.error ?? ''}${r.stdout}${r.stderr}`);
	const m = /password: (\S+)/.exec(r.stdout);
	assert.ok(m, `init printed no password:\n${r.stdout}`);
	return m[1];
}

function startServer(db) {
	return new Promise((resolve, reject) => {
		const child = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0'], {
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		server = child;
		let out = '';
		const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}${serverLog}`)),
			SERVER_START_TIMEOUT);
		child.stderr.setEncoding('utf8');
		child.stderr.on('data', (d) => { serverLog += d; });
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
			reject(new Error(`server exited (${code ?? sig}) before serving:\n${out}${serverLog}`));
		});
	});
}

/* SIGTERM, then SIGKILL after 10 s; resolves to the exit code, or the signal's name. */
async function stopServer() {
	if (!server) return 0;
	if (server.exitCode !== null || server.signalCode !== null) return server.exitCode ?? server.signalCode;
	const exited = new Promise((resolve) => server.once('exit', (code, sig) => resolve(code ?? sig)));
	server.kill('SIGTERM');
	const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
	const status = await exited;
	clearTimeout(timer);
	return status;
}

/* Polls fn() until it returns something deep-equal to want, like expect.poll. */
async function poll(what, fn, want, timeout = STEP_TIMEOUT) {
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

const pathOf = (page) => new URL(page.url()).pathname;
const htmlLang = (page) => page.locator('html').getAttribute('lang');

/* A row of the table whose cells number col (1-based) hold exactly the given texts. */
function rowWith(page, table, cells) {
	let rows = page.locator(`${table} tbody tr`);
	for (const [col, text] of Object.entries(cells))
		rows = rows.filter({ has: page.locator(`td:nth-child(${col})`, { hasText: new RegExp(`^${text}$`) }) });
	return rows;
}

before(async () => {
	mkdirSync(TMP, { recursive: true });
	mkdirSync(SHOTS, { recursive: true });
	scratch = mkdtempSync(path.join(TMP, 'e2e-shell-'));
	const db = path.join(scratch, 'kc.db');
	adminPassword = initDb(db);
	base = await startServer(db);
	// launch() gives every run a fresh temporary profile (user-data-dir) and removes it on close.
	browser = await chromium.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			'--disable-background-networking', '--disable-component-update', '--disable-sync'],
		timeout: SERVER_START_TIMEOUT,
	});
});

after(async () => {
	let status;
	try {
		if (browser) await browser.close();
	} finally {
		status = await stopServer();
		if (scratch) rmSync(scratch, { recursive: true, force: true });
	}
	// A clean shutdown exits 0; AddressSanitizer makes it fail on leaks and memory errors.
	assert.equal(status, 0, `server exit status on SIGTERM\n--- server stderr ---\n${serverLog}`);
});

test('shell: login, nav, language, accounts, audit, logout', { timeout: 55_000 }, async (t) => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
	const page = await context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT);
	page.setDefaultNavigationTimeout(STEP_TIMEOUT);
	const nav = page.locator('nav.nav');
	// Steps depend on each other: after a failure the rest are skipped, not failed in cascade.
	let failed = false;
	const step = (name, fn) => t.test(name, { skip: failed && 'an earlier step failed' }, async () => {
		try {
			await fn();
		} catch (e) {
			failed = true;
			if (serverLog) e.message += `\n--- server stderr ---\n${serverLog}`;
			throw e;
		}
	});
	try {
		await step('1. redirect to /login, wrong then right password', async () => {
			await page.goto(`${base}/`);
			await poll('path after GET /', () => pathOf(page), '/login');
			assert.equal(await htmlLang(page), 'vi');
			await page.locator('input[name=username]').fill('admin');
			await page.locator('input[name=password]').fill(`${adminPassword}-wrong`);
			await page.locator('form[action="/login"] button[type=submit]').click();
			await page.locator('#login-error').waitFor({ state: 'visible' });
			assert.equal(await page.locator('#login-error').innerText(), 'Sai tên đăng nhập hoặc mật khẩu.');
			assert.equal(pathOf(page), '/login');
			assert.equal(await page.locator('#welcome').count(), 0);

			await page.locator('input[name=username]').fill('admin');
			await page.locator('input[name=password]').fill(adminPassword);
			await page.locator('form[action="/login"] button[type=submit]').click();
			await page.locator('#welcome').waitFor({ state: 'visible' });
			assert.equal(pathOf(page), '/');
			for (const name of ['Trang chủ', 'Chương trình', 'Kế hoạch', 'Đề án', 'Kết quả',
				'Cơ sở CNNT', 'Làng nghề', 'Đề xuất', 'Tư vấn viên', 'Số liệu báo cáo',
				'Thống kê', 'Báo cáo', 'Sản phẩm', 'Tài khoản', 'Nhật ký'])
				await nav.getByRole('link', { name, exact: true }).waitFor();
			assert.equal(await page.locator('#lang-switch').innerText(), 'English');
			await page.locator('#logout').waitFor({ state: 'visible' });
		});

		await step('2. home screenshots; no horizontal overflow at 360 px', async () => {
			await page.screenshot({ path: path.join(SHOTS, 'e2e-home.png'), fullPage: true });
			await page.setViewportSize({ width: 360, height: 740 });
			await page.locator('#welcome').waitFor({ state: 'visible' });
			await page.screenshot({ path: path.join(SHOTS, 'e2e-home-phone.png'), fullPage: true });
			const width = await page.evaluate(() => document.documentElement.scrollWidth);
			assert.ok(width <= 361, `document is ${width} px wide at a 360 px viewport`);
			await page.setViewportSize({ width: 1280, height: 800 });
		});

		await step('3. language switch, kept per account', async () => {
			await page.locator('#lang-switch').click();
			await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
			await page.locator('#welcome').waitFor({ state: 'visible' });
			await nav.getByRole('link', { name: 'Establishments', exact: true }).waitFor();
			await nav.getByRole('link', { name: 'Audit trail', exact: true }).waitFor();
			assert.equal(await page.locator('#lang-switch').innerText(), 'Tiếng Việt');

			// Without the kc_lang cookie only the account can remember the language.
			await context.clearCookies({ name: 'kc_lang' });
			await page.reload();
			await page.locator('#welcome').waitFor({ state: 'visible' });
			assert.equal(await htmlLang(page), 'en');
			await nav.getByRole('link', { name: 'Establishments', exact: true }).waitFor();
			assert.equal(await page.locator('#lang-switch').innerText(), 'Tiếng Việt');

			await page.locator('#lang-switch').click();
			await page.locator('html[lang="vi"]').waitFor({ state: 'attached' });
			await nav.getByRole('link', { name: 'Cơ sở CNNT', exact: true }).waitFor();
			assert.equal(await page.locator('#lang-switch').innerText(), 'English');
		});

		await step('4. create an account; audit trail lists it and the login', async () => {
			await nav.getByRole('link', { name: 'Tài khoản', exact: true }).click();
			await page.locator('#user-create').waitFor();
			assert.equal(pathOf(page), '/admin/users');
			const form = page.locator('#user-create');
			await form.locator('input[name=username]').fill('canbo.hy');
			await form.locator('input[name=display_name]').fill('Cán bộ Hưng Yên');
			await form.locator('select[name=role]').selectOption('province');
			await form.locator('input[name=province]').fill('33');
			await form.locator('input[name=password]').fill('hung-yen-2024-secret');
			await form.locator('button[type=submit]').click();
			await page.locator('p.ok[role=status]').waitFor({ state: 'visible' });
			assert.equal(await page.locator('#form-error').count(), 0);
			const row = rowWith(page, '#users', { 1: 'canbo\\.hy' });
			await row.waitFor();
			assert.equal(await row.locator('td:nth-child(4)').innerText(), '33');

			await nav.getByRole('link', { name: 'Nhật ký', exact: true }).click();
			await page.locator('#audit').waitFor();
			assert.equal(pathOf(page), '/admin/audit');
			const created = rowWith(page, '#audit', { 2: 'admin', 3: 'user', 5: 'create' })
				.filter({ hasText: '"username":"canbo.hy"' });
			await created.waitFor();
			await rowWith(page, '#audit', { 2: 'admin', 3: 'session', 5: 'login' }).first().waitFor();
			await page.screenshot({ path: path.join(SHOTS, 'e2e-audit.png'), fullPage: true });
		});

		await step('5. logout', async () => {
			await page.locator('#logout').click();
			await page.locator('#welcome').waitFor({ state: 'detached' });
			await page.locator('input[name=password]').waitFor({ state: 'visible' });
			assert.equal(pathOf(page), '/login');
			assert.equal(await page.locator('#logout').count(), 0);
			await page.goto(`${base}/`);
			await poll('path after GET / when logged out', () => pathOf(page), '/login');
			await page.locator('input[name=password]').waitFor({ state: 'visible' });
		});
	} finally {
		await context.close();
	}
});
