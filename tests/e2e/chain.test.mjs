// chain.test.mjs - the reporting chain in a real browser (issue 14, docs/reporting.md): the
// administrator sets the deadline of the last period that ended to tomorrow; Hưng Yên sends its
// report and the ministry accepts it; Hà Nội sends, the ministry returns it with a comment; the
// deadline is moved back to the period's last day, so Hà Nội sends again late and is accepted;
// the national page of who has reported shows both accepted, Hưng Yên on time, Hà Nội late, the
// reporting rate 2 of 34 and the timeliness rate 1 of 34, and the map colours and stripes them;
// Hà Nội's two sendings are compared as picked on its page, and the national report
// consolidated from the accepted submissions covers 2 of 34 provinces.
// Screenshot: ${KC_SHOTS}/e2e-chain-1366.png.
//
// Env: KC_BIN, KC_TEST_TMP, KC_SHOTS. Uses Debian's chromium through playwright-core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { BIN, shot, STEP_TIMEOUT, Server, serverAndBrowser, login, stepper } from './lib.mjs';

const server = new Server('e2e-chain-');
let browser;
let base;

serverAndBrowser(server, (b, url) => {
	browser = b;
	base = url;
});

const PW = 'chain-e2e-2025';
/* The two provinces' officers and the ministry's, through the command line. */
function addUsers() {
	for (const [name, role, province] of [['hungyen', 'province', '33'], ['hanoi', 'province', '01'], ['cuc', 'ministry']]) {
		const args = ['user', 'add', name, '--role', role, '--db', server.db];
		if (province) args.push('--province', province);
		const r = spawnSync(BIN, args, { input: `${PW}\n`, encoding: 'utf8' });
		assert.equal(r.status, 0, `user add ${name}: ${r.stderr}`);
	}
}

/* Today in Vietnam (UTC+7), and the last period that ended by it under the default cut-off
 * dates (migration 0010: the year ends 14 December, its first half 14 June). */
const vn = (days) => new Date(Date.now() + 7 * 3600e3 + days * 86400e3);
const today = vn(0);
const md = (today.getUTCMonth() + 1) * 100 + today.getUTCDate();
const y = today.getUTCFullYear();
const PERIOD = md >= 1215 ? { kind: 'year', year: y, end: [12, 14] }
	: md >= 615 ? { kind: 'half_year', year: y, end: [6, 14] }
		: { kind: 'year', year: y - 1, end: [12, 14] };
const tomorrow = vn(1);
const STATUS = `/reporting-status?period_kind=${PERIOD.kind}&year=${PERIOD.year}`;

test('the chain for two provinces: one on time, one returned and late', { timeout: 120_000 }, async (t) => {
	const step = stepper(t, server);
	const contexts = [];
	const as = async (user, password = PW) => {
		const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
		contexts.push(context);
		const page = await context.newPage();
		page.setDefaultTimeout(STEP_TIMEOUT);
		await login(page, base, user, password);
		return page;
	};
	/* The administrator's deadline of the period: due day and month. */
	const deadline = async (page, [month, day]) => {
		await page.goto(`${base}/admin/reporting-periods`);
		const form = page.locator(`#period-${PERIOD.kind}`);
		await form.locator('input[name=due_day]').fill(String(day));
		await form.locator('input[name=due_month]').fill(String(month));
		await form.locator('button[type=submit]').click();
		await page.waitForURL(/done=/);
	};
	/* One move on the submission's page, waiting for the status it leads to. */
	const move = async (page, to, note) => {
		const form = page.locator(`#move-${to}`);
		if (note) await form.locator('textarea[name=note]').fill(note);
		await form.locator('button[type=submit]').click();
		await page.locator(`#status.status-${to}`).waitFor();
	};
	const start = async (page) => {
		await page.goto(`${base}/submissions`);
		const form = page.locator('form#start');
		await form.locator('select[name=period_kind]').selectOption(PERIOD.kind);
		await form.locator('input[name=year]').fill(String(PERIOD.year));
		await form.locator('button[type=submit]').click();
		await page.locator('#status.status-draft').waitFor();
		return new URL(page.url()).pathname;
	};
	try {
		let admin, hy, hn, cuc, hyUrl, hnUrl;
		await step('1. the deadline of the last period that ended is tomorrow', async () => {
			addUsers();
			admin = await as('admin', server.adminPassword);
			await deadline(admin, [tomorrow.getUTCMonth() + 1, tomorrow.getUTCDate()]);
		});

		await step('2. Hưng Yên sends; the ministry accepts', async () => {
			hy = await as('hungyen');
			hyUrl = await start(hy);
			await move(hy, 'submitted');
			cuc = await as('cuc');
			await cuc.goto(base + hyUrl);
			await move(cuc, 'accepted');
		});

		await step('3. Hà Nội sends; the ministry returns it with a comment', async () => {
			hn = await as('hanoi');
			hnUrl = await start(hn);
			await move(hn, 'submitted');
			await cuc.goto(base + hnUrl);
			await move(cuc, 'returned', 'Bổ sung số liệu hội chợ');
			await cuc.goto(base + STATUS);
			assert.match(await cuc.locator('tr[data-province="01"]').getAttribute('class'), /status-returned/);
		});

		await step('4. the deadline passes; Hà Nội sends again, late, and is accepted', async () => {
			await deadline(admin, PERIOD.end);
			await hn.goto(base + hnUrl);
			assert.ok((await hn.locator('main').innerText()).includes('Bổ sung số liệu hội chợ'));
			await move(hn, 'submitted');
			await cuc.goto(base + hnUrl);
			await move(cuc, 'accepted');
		});

		await step('5. who has reported: statuses, on time and late, rates, the map', async () => {
			await cuc.goto(base + STATUS);
			const row = (code) => cuc.locator(`#who tr[data-province="${code}"]`);
			for (const code of ['33', '01']) assert.match(await row(code).getAttribute('class'), /status-accepted/);
			assert.equal(await row('33').locator('td').last().innerText(), 'Đúng hạn');
			assert.equal(await row('01').locator('td').last().innerText(), 'Muộn');
			assert.equal(await cuc.locator('#received').innerText(), '2');
			assert.equal(await cuc.locator('#on-time').innerText(), '1');
			const rates = await cuc.locator('#rates').innerText();
			assert.ok(rates.includes('2 (5,9%)'), rates); // 2 of 34 received
			assert.ok(rates.includes('1 (2,9%)'), rates); // 1 of 34 on time
			assert.equal(await cuc.locator('#overdue').innerText(), '32');
			const map = cuc.locator('svg#who-map');
			for (const code of ['33', '01'])
				assert.equal(await map.locator(`path.map-unit[data-code="${code}"]`).getAttribute('fill'), '#1a9850');
			assert.equal(await map.locator('path.map-marked[data-code="33"]').count(), 0);
			assert.equal(await map.locator('path.map-marked[data-code="01"]').count(), 1);
			await cuc.screenshot({ path: shot('e2e-chain-1366.png'), fullPage: true });
			await map.locator('path.map-unit[data-code="01"]').click();
			await cuc.waitForURL((u) => u.pathname === hnUrl);
		});

		await step('6. Hà Nội\'s two sendings compared the other way round, picked on its page', async () => {
			assert.equal(await cuc.locator('#sendings-pair').innerText(), 'Lần gửi 1 → 2');
			await cuc.selectOption('#in-from', '2');
			await cuc.selectOption('#in-to', '1');
			await cuc.locator('#compare-form button').click();
			await cuc.waitForURL((u) => u.searchParams.get('from') === '2');
			assert.equal(await cuc.locator('#sendings-pair').innerText(), 'Lần gửi 2 → 1');
		});

		await step('7. the national report from the two accepted submissions', async () => {
			await cuc.goto(base + STATUS);
			await cuc.locator('#consolidated-link').click();
			await cuc.waitForURL((u) => u.pathname === '/reports/consolidated');
			assert.equal(await cuc.locator('#included').innerText(), '2');
			assert.equal(await cuc.locator('#expected').innerText(), '34');
			const report = await cuc.locator('#report').innerText();
			for (const code of ['33', '01']) assert.ok(report.includes(`BC-${code}-`), report.slice(0, 400));
		});
	} finally {
		for (const c of contexts) await c.close();
	}
});
