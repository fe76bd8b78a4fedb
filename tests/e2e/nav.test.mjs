// nav.test.mjs - navigation and lists in a real browser, at 1366 px and on a 360-px phone:
// the skip link, the grouped menu (one row on a desktop, nothing cut off on the phone, the
// current item shown with its group closed), the home page's to-dos, sortable headers and
// numbered pages, cards and folded filters on the phone. Screenshots e2e-nav-*.png.
//
// Env: KC_BIN, KC_TEST_TMP, KC_SHOTS (see lib.mjs). axe-core checks every page (lib.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Server, serverAndBrowser, login, navTo, pathOf, shot, stepper, STEP_TIMEOUT } from './lib.mjs';

const server = new Server('e2e-nav-');
let browser;
let base;

serverAndBrowser(server, (b, url) => {
	browser = b;
	base = url;
});

const DESKTOP = { width: 1366, height: 768 };
const PHONE = { width: 360, height: 740 };

/* The boxes of the menu's top-level entries. */
const entries = (page) => page.locator('ul.nav-top > li').evaluateAll((els) =>
	els.map((e) => { const b = e.getBoundingClientRect(); return { top: Math.round(b.top), left: b.left, right: b.right }; }));
const docWidth = (page) => page.evaluate(() => document.documentElement.scrollWidth);

test('navigation and lists at 1366 and 360 px', { timeout: 120_000 }, async (t) => {
	const context = await browser.newContext({ viewport: DESKTOP, locale: 'vi-VN' });
	const page = await context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT);
	page.setDefaultNavigationTimeout(STEP_TIMEOUT);
	const step = stepper(t, server);
	try {
		await step('1. the skip link is the first stop and leads to #main', async () => {
			await login(page, base, 'admin', server.adminPassword);
			await page.keyboard.press('Tab');
			const skip = page.locator('a.skip');
			assert.equal(await skip.evaluate((e) => e === document.activeElement), true);
			assert.equal(await skip.innerText(), 'Bỏ qua, đến nội dung chính');
			const box = await skip.boundingBox();
			assert.ok(box && box.y >= 0 && box.x >= 0, 'shown on focus');
			await page.screenshot({ path: shot('e2e-nav-skip-1366.png') });
			await page.keyboard.press('Enter');
			assert.equal(new URL(page.url()).hash, '#main');
		});

		await step('2. desktop: at most 7 entries on one row; a group opens over the page', async () => {
			const boxes = await entries(page);
			assert.ok(boxes.length <= 7, `${boxes.length} entries`);
			assert.equal(new Set(boxes.map((b) => b.top)).size, 1, 'one row');
			await page.locator('#todo').waitFor();
			await page.locator('#recent-changes').waitFor();
			await page.screenshot({ path: shot('e2e-nav-home-1366.png'), fullPage: true });
			await page.locator('nav.nav summary', { hasText: /^Thống kê và báo cáo$/ }).click();
			const dash = page.locator('nav.nav').getByRole('link', { name: 'Tổng hợp', exact: true });
			await dash.waitFor({ state: 'visible' });
			await page.screenshot({ path: shot('e2e-nav-menu-1366.png') });
			// The part of it the guide shows (docs/img/nav-menu-1366.png).
			await page.screenshot({ path: shot('e2e-nav-menu-1366-top.png'), clip: { x: 0, y: 0, width: 760, height: 470 } });
			await navTo(page, 'Đề án');
			assert.equal(pathOf(page), '/projects');
			const here = page.locator('li.nav-group.here summary');
			assert.equal(await here.innerText(), 'Hồ sơ: Đề án');
		});

		await step('3. desktop lists: filters open, a header sorts, numbered pages', async () => {
			await page.goto(`${base}/figures?per_page=5`);
			await page.locator('#list-filters').waitFor({ state: 'visible' });
			const th = page.locator('table.records th').nth(1);
			const label = (await th.innerText()).trim();
			await th.locator('a').click();
			await page.locator('table.records th[aria-sort="ascending"]').waitFor();
			assert.equal((await page.locator('th[aria-sort="ascending"]').innerText()), label);
			await page.locator('nav.pages').getByRole('link', { name: '3', exact: true }).click();
			await page.locator('nav.pages a[aria-current="page"]', { hasText: /^3$/ }).waitFor();
			assert.match(page.url(), /sort=/, 'the pages keep the order');
			await page.screenshot({ path: shot('e2e-nav-list-1366.png'), fullPage: true });
		});

		await step('4. phone: the menu wraps, nothing cut off, the current item shown', async () => {
			await page.setViewportSize(PHONE);
			await page.goto(`${base}/projects`);
			assert.ok(await docWidth(page) <= PHONE.width, 'no horizontal scroll');
			for (const b of await entries(page)) assert.ok(b.left >= 0 && b.right <= PHONE.width, JSON.stringify(b));
			const here = page.locator('li.nav-group.here .nav-here');
			await here.waitFor({ state: 'visible' });
			const hb = await here.boundingBox();
			assert.ok(hb.x >= 0 && hb.x + hb.width <= PHONE.width, 'the current item is inside the screen');
			await page.screenshot({ path: shot('e2e-nav-phone-360.png') });
			await page.locator('li.nav-group.here summary').click();
			const cur = page.locator('nav.nav a[aria-current="page"]');
			await cur.waitFor({ state: 'visible' });
			const cb = await cur.boundingBox();
			assert.ok(cb.x >= 0 && cb.x + cb.width <= PHONE.width);
			assert.ok(await docWidth(page) <= PHONE.width);
			await page.screenshot({ path: shot('e2e-nav-menu-360.png') });
		});

		await step('5. phone lists: filters folded, rows as cards, titles not one word a line', async () => {
			await page.goto(`${base}/establishments`);
			const filters = page.locator('#list-filters');
			assert.equal(await filters.isVisible(), false, 'folded');
			await page.locator('#filter-box > summary').waitFor({ state: 'visible' });
			assert.equal(await page.locator('table.records thead').isVisible(), true, 'headers kept for screen readers');
			const thead = await page.locator('table.records thead').boundingBox();
			assert.ok(thead.x + thead.width < 0, 'the header row is off screen');
			const cards = await page.locator('table.records tbody tr').evaluateAll((rows) => rows.map((r) => {
				const a = r.querySelector('td:first-child a');
				return { display: getComputedStyle(r).display, lines: a.getClientRects().length, text: a.textContent };
			}));
			assert.ok(cards.length > 0);
			for (const c of cards) {
				assert.equal(c.display, 'block', 'a card');
				const words = c.text.split(/\s+/).length;
				assert.ok(c.lines <= Math.max(2, Math.ceil(words / 3)), `"${c.text}" takes ${c.lines} lines`);
			}
			assert.ok(await docWidth(page) <= PHONE.width);
			await page.screenshot({ path: shot('e2e-nav-list-360.png'), fullPage: true });
			await page.locator('#filter-box > summary').click();
			await filters.waitFor({ state: 'visible' });
			await page.screenshot({ path: shot('e2e-nav-filters-360.png') });
		});

		await step('6. phone home: the to-dos and recent changes fit', async () => {
			await page.goto(`${base}/`);
			await page.locator('#todo').waitFor();
			assert.ok(await docWidth(page) <= PHONE.width);
			await page.screenshot({ path: shot('e2e-nav-home-360.png'), fullPage: true });
		});
	} finally {
		await context.close();
	}
});
