// pickers.test.mjs - reference fields in a real browser, as a Hưng Yên officer fills them
// (issue 12, item 1): a commune found by the name of an old commune merged into it, a
// plan's "Thêm đề án" link opening a project form with the plan, province and year filled,
// an establishment chosen among many by typing part of its name without marks (keyboard),
// and a lot's inputs typed as rows. Screenshots of the open choices at 1366 and 360 px.
//
// Env: KC_BIN (the khuyencong binary), KC_TEST_TMP (scratch dir), KC_SHOTS (screenshot dir).
// Uses Debian's chromium through playwright-core; never downloads a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, STEP_TIMEOUT, Server, serverAndBrowser, login, pathOf, stepper } from './lib.mjs';

const server = new Server('e2e-pickers-');
let browser;
let base;

serverAndBrowser(server, (b, url) => {
	browser = b;
	base = url;
});

const PW = 'pickers-e2e-0101';
const MAKER = 'Cơ sở mây tre Đông Quỳnh Lộc';

/* The JSON API as the administrator: a bearer token of its own. */
async function api(method, p, json, token) {
	const res = await fetch(base + p, {
		method,
		headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
		body: json ? JSON.stringify(json) : undefined,
	});
	const body = await res.json().catch(() => null);
	assert.ok(res.status < 300, `${method} ${p}: ${res.status} ${JSON.stringify(body)}`);
	return body;
}

test('pickers: commune by old name, plan -> project, establishment by typing, lot rows', { timeout: 90_000 }, async (t) => {
	const { token } = await api('POST', '/api/v1/session', { username: 'admin', password: server.adminPassword });
	await api('POST', '/api/v1/users', { username: 'hungyen', role: 'province', province: '33', password: PW }, token);
	/* More establishments than a select shows: the field becomes a search box. */
	for (let i = 1; i <= 31; i++)
		await api('POST', '/api/v1/establishments', { name: `Hộ kinh doanh số ${i}`, kind: 'household', commune_id: 'Xã Mễ Sở, Hưng Yên' }, token);

	const context = await browser.newContext({ viewport: { width: 1366, height: 800 }, locale: 'vi-VN' });
	const page = await context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT);
	page.setDefaultNavigationTimeout(STEP_TIMEOUT);
	const form = page.locator('#record-form');
	const step = stepper(t, server);
	let planId;

	try {
		await step('1. the officer logs in', async () => {
			await login(page, base, 'hungyen', PW);
		});

		await step('2. a commune is found by the name of an old commune merged into it', async () => {
			await page.goto(`${base}/establishments/new`);
			await form.locator('#in-name').fill(MAKER);
			await form.locator('#in-kind').selectOption('household');
			const box = form.locator('#in-commune_id');
			await box.pressSequentially('thang loi');
			const choice = page.locator('#in-commune_id-choices li', { hasText: 'Xã Mễ Sở, Hưng Yên' });
			await choice.waitFor();
			assert.match(await choice.innerText(), /← Xã Thắng Lợi/);
			assert.equal(await box.getAttribute('aria-expanded'), 'true');
			await page.screenshot({ path: shot('e2e-picker-commune-1366.png'), fullPage: true });
			await choice.click();
			assert.match(await box.inputValue(), /^#\d+ Xã Mễ Sở, Hưng Yên$/);
			await page.locator('#save').click();
			await page.locator('#f-commune_id').waitFor();
			assert.match(await page.locator('#f-commune_id').innerText(), /Mễ Sở/);
		});

		await step('3. a plan, then "Thêm đề án" from its page: the form has the plan, province and year', async () => {
			await page.goto(`${base}/plans/new`);
			assert.equal(await form.locator('#in-province').inputValue(), '33', 'the officer\'s province is chosen');
			assert.equal(await form.locator('[name=illustrative]').count(), 0);
			await form.locator('#in-name').fill('Kế hoạch khuyến công 2026');
			await form.locator('#in-year').fill('2026');
			await page.locator('#save').click();
			await page.locator('#add-projects').waitFor();
			planId = /\/plans\/(\d+)/.exec(pathOf(page))[1];
			assert.equal(await page.locator('#add-projects').innerText(), '+ Thêm đề án');
			await page.locator('#add-projects').click();
			await form.waitFor();
			assert.equal(await form.locator('#in-plan_id').inputValue(), planId);
			assert.equal(await form.locator('#in-province').inputValue(), '33');
			assert.equal(await form.locator('#in-year').inputValue(), '2026');
		});

		await step('4. the main establishment chosen among many by typing without marks, with the keyboard', async () => {
			const box = form.locator('#in-establishment_id');
			assert.equal(await box.getAttribute('role'), 'combobox');
			await box.pressSequentially('dong quynh');
			const choice = page.locator('#in-establishment_id-choices li', { hasText: MAKER });
			await choice.waitFor();
			await page.screenshot({ path: shot('e2e-picker-establishment-1366.png'), fullPage: true });
			await box.press('ArrowDown');
			assert.equal(await choice.getAttribute('aria-selected'), 'true');
			await box.press('Enter');
			assert.match(await box.inputValue(), new RegExp(`^#\\d+ ${MAKER}$`));
			assert.equal(await page.locator('#in-establishment_id-choices').isHidden(), true);
			await form.locator('#in-title').fill('Hỗ trợ máy chẻ nan');
			await form.locator('#in-content_type').selectOption('machinery');
			await form.locator('#in-kind').selectOption('local');
			await page.locator('#save').click();
			await page.locator('#f-plan_id').waitFor();
			assert.equal(await page.locator('#f-plan_id').innerText(), 'Kế hoạch khuyến công 2026');
			assert.equal(await page.locator('#f-establishment_id').innerText(), MAKER);
		});

		await step('5. a lot\'s inputs typed as rows, the origin picked as words', async () => {
			const est = /\/establishments\/(\d+)/.exec(await page.locator('#f-establishment_id a').getAttribute('href'))[1];
			const prod = await api('POST', '/api/v1/products', { establishment_id: Number(est), name: 'Giỏ mây', category: 'handicraft' }, token);
			await page.goto(`${base}/products/${prod.id}`);
			await page.locator(`a[href="/lots/new?product_id=${prod.id}"]`).click();
			await form.waitFor();
			await form.locator('#in-lot_code').fill('L-01');
			await form.locator('#in-production_date').fill('02/03/2026');
			const row = page.locator('#inputs-rows tbody tr').first();
			await row.locator('input[name=inputs_name]').fill('Mây');
			const origin = row.locator('input[name=inputs_origin]');
			await origin.pressSequentially('me so');
			await page.locator('.picker-list li', { hasText: 'Xã Mễ Sở, Hưng Yên' }).click();
			assert.equal(await origin.inputValue(), 'Xã Mễ Sở, Hưng Yên');
			await row.locator('input[name=inputs_quantity]').fill('200 kg');
			await page.locator('#save').click();
			await page.locator('#f-inputs').waitFor();
			const cells = await page.locator('#f-inputs table.rows tbody tr').first().locator('td').allInnerTexts();
			assert.deepEqual(cells, ['Mây', 'Xã Mễ Sở, Hưng Yên', '', '200 kg']);
		});

		await step('6. on a phone (360 px) the choices fit the screen', async () => {
			await page.setViewportSize({ width: 360, height: 740 });
			await page.goto(`${base}/machinery/new`);
			const box = form.locator('#in-establishment_id');
			await box.pressSequentially('ho kinh doanh so 1');
			const list = page.locator('#in-establishment_id-choices');
			await list.locator('li').first().waitFor();
			const lb = await list.boundingBox();
			assert.ok(lb.x >= 0 && lb.x + lb.width <= 360, `the list is within the screen: ${JSON.stringify(lb)}`);
			await page.screenshot({ path: shot('e2e-picker-establishment-360.png'), fullPage: true });
		});
	} finally {
		await context.close();
	}
});
