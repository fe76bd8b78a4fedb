// shell.test.mjs - the page shell in a real browser: login, navigation, language switch,
// account creation, audit trail and logout, with screenshots at desktop and phone sizes.
//
// Env: KC_BIN (the khuyencong binary), KC_TEST_TMP (scratch dir), KC_SHOTS (screenshot dir).
// Uses Debian's chromium through playwright-core; never downloads a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server, serverAndBrowser, navTo, poll, pathOf, shot, STEP_TIMEOUT } from './lib.mjs';

const server = new Server('e2e-shell-'); // scratch dir, database, process, stderr (lib.mjs)
let browser;
let base; // http://127.0.0.1:PORT
let adminPassword;

const htmlLang = (page) => page.locator('html').getAttribute('lang');

/* A row of the table whose cells number col (1-based) hold exactly the given texts. */
function rowWith(page, table, cells) {
	let rows = page.locator(`${table} tbody tr`);
	for (const [col, text] of Object.entries(cells))
		rows = rows.filter({ has: page.locator(`td:nth-child(${col})`, { hasText: new RegExp(`^${text}$`) }) });
	return rows;
}

serverAndBrowser(server, (b, url) => {
	browser = b;
	base = url;
	adminPassword = server.adminPassword;
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
			if (server.log) e.message += `\n--- server stderr ---\n${server.log}`;
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
			// The menu: a few entries, the groups closed until opened (tests/http/nav.test.mjs
			// checks every role's items; the browser test nav.test.mjs the phone).
			await nav.getByRole('link', { name: 'Trang chủ', exact: true }).waitFor();
			for (const name of ['Hồ sơ', 'Kết quả hỗ trợ', 'Thống kê và báo cáo', 'Sản phẩm', 'Quản trị'])
				await nav.locator('summary', { hasText: new RegExp(`^${name}$`) }).waitFor();
			for (const name of ['Chương trình', 'Đề án', 'Cơ sở CNNT', 'Số liệu báo cáo', 'Tài khoản', 'Nhật ký'])
				await nav.getByRole('link', { name, exact: true, includeHidden: true }).waitFor({ state: 'attached' });
			assert.equal(await page.locator('#lang-switch').innerText(), 'English');
			await page.locator('#logout').waitFor({ state: 'visible' });
		});

		await step('2. home screenshots; no horizontal overflow at 360 px', async () => {
			await page.screenshot({ path: shot('e2e-home.png'), fullPage: true });
			await page.setViewportSize({ width: 360, height: 740 });
			await page.locator('#welcome').waitFor({ state: 'visible' });
			await page.screenshot({ path: shot('e2e-home-phone.png'), fullPage: true });
			const width = await page.evaluate(() => document.documentElement.scrollWidth);
			assert.ok(width <= 361, `document is ${width} px wide at a 360 px viewport`);
			await page.setViewportSize({ width: 1280, height: 800 });
		});

		await step('3. language switch, kept per account', async () => {
			await page.locator('#lang-switch').click();
			await page.locator('html[lang="en"]').waitFor({ state: 'attached' });
			await page.locator('#welcome').waitFor({ state: 'visible' });
			await nav.locator('summary', { hasText: /^Records$/ }).waitFor();
			await nav.getByRole('link', { name: 'Audit trail', exact: true, includeHidden: true }).waitFor({ state: 'attached' });
			assert.equal(await page.locator('#lang-switch').innerText(), 'Tiếng Việt');

			// Without the kc_lang cookie only the account can remember the language.
			await context.clearCookies({ name: 'kc_lang' });
			await page.reload();
			await page.locator('#welcome').waitFor({ state: 'visible' });
			assert.equal(await htmlLang(page), 'en');
			await nav.locator('summary', { hasText: /^Records$/ }).waitFor();
			assert.equal(await page.locator('#lang-switch').innerText(), 'Tiếng Việt');

			await page.locator('#lang-switch').click();
			await page.locator('html[lang="vi"]').waitFor({ state: 'attached' });
			await nav.locator('summary', { hasText: /^Hồ sơ$/ }).waitFor();
			assert.equal(await page.locator('#lang-switch').innerText(), 'English');
		});

		await step('4. create an account; audit trail lists it and the login', async () => {
			await navTo(page, 'Tài khoản');
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

			await navTo(page, 'Nhật ký');
			await page.locator('#audit').waitFor();
			assert.equal(pathOf(page), '/admin/audit');
			// In words: Vietnam's time, the entity and action named, each field with its label.
			const created = rowWith(page, '#audit', { 2: 'admin', 3: 'Tài khoản', 5: 'Tạo mới' })
				.filter({ hasText: 'canbo.hy' });
			await created.waitFor();
			assert.match(await created.locator('td:nth-child(1)').innerText(), /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
			assert.doesNotMatch(await created.innerText(), /[{}"]/, 'no raw JSON');
			await rowWith(page, '#audit', { 2: 'admin', 3: 'Phiên đăng nhập', 5: 'Đăng nhập' }).first().waitFor();
			await page.screenshot({ path: shot('e2e-audit.png'), fullPage: true });
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
