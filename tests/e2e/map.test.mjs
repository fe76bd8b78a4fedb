// map.test.mjs - the map on the statistics page in a real browser (issue 15): the
// employment rate by province, switched from Bảng to Bản đồ, shows today's 34 provinces with
// a <title> each, Hà Nội's reported "trên 80%" written on the map, Hoàng Sa and Trường Sa, a
// legend whose values are in the table beside it; then the 63 provinces of the time; then a
// province's link to its own statistic. Screenshots: ${KC_SHOTS}/e2e-map-1366.png and
// e2e-map-360.png (a phone).
//
// Env: KC_BIN, KC_TEST_TMP, KC_SHOTS. Uses Debian's chromium through playwright-core.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, STEP_TIMEOUT, Server, serverAndBrowser, login, stepper } from './lib.mjs';

const server = new Server('e2e-map-');
let browser;
let base;

serverAndBrowser(server, (b, url) => {
	browser = b;
	base = url;
});

const Q = '/stats?indicator=training.employment_rate&by=province&illustrative=1';

test('statistics page: Bảng / Bản đồ, new and old units', { timeout: 90_000 }, async (t) => {
	const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
	const page = await context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT);
	const step = stepper(t, server);
	const map = page.locator('svg#stats-map');
	try {
		await step('1. the table by province, then the switch to the map', async () => {
			await login(page, base, 'admin', server.adminPassword);
			await page.goto(base + Q);
			assert.equal(await map.count(), 0, 'the table alone at first');
			await page.locator('#view-map').click();
			await map.waitFor();
			assert.equal(new URL(page.url()).searchParams.get('view'), 'map');
		});

		await step('2. 34 provinces with a title, the qualifier, the archipelagos, the legend', async () => {
			assert.equal(await map.locator('path.map-unit > title').count(), 34);
			assert.equal(await map.locator('text.map-qualifier[data-code="01"]').textContent(), 'trên 80%');
			assert.ok(await map.locator('#map-hoang-sa').isVisible());
			assert.ok(await map.locator('#map-truong-sa').isVisible());
			const table = await page.locator('#stats').innerText();
			for (const t of await map.locator('.map-class text').allTextContents())
				for (const v of t.split(' – ')) assert.ok(table.includes(v), `legend ${v} is in the table`);
			await page.screenshot({ path: shot('e2e-map-1366.png'), fullPage: true });
		});

		await step('3. the 63 provinces of the time', async () => {
			await page.goto(`${base}${Q}&units=old&view=map`);
			assert.equal(await map.locator('path.map-unit > title').count(), 63);
			assert.match(await map.locator('path.map-unit[data-code="36"] > title').textContent(), /Nam Định/);
		});

		await step('4. a province links to its statistic; the map fits a phone', async () => {
			await page.goto(`${base}${Q}&view=map`);
			await page.locator('path.map-unit[data-code="33"]').click();
			await page.waitForURL(/province=33/);
			await page.setViewportSize({ width: 360, height: 800 });
			await page.goto(`${base}${Q}&view=map`);
			const box = await map.boundingBox();
			const main = await page.locator('main').boundingBox();
			assert.ok(box.width <= main.width && box.width > 250, `map ${box.width} px in ${main.width}`);
			await page.screenshot({ path: shot('e2e-map-360.png'), fullPage: true });
		});
	} finally {
		await context.close();
	}
});
