// import.test.mjs - the web import in a real browser: an administrator uploads a CSV of
// establishments on /import, reads the dry run, clicks "Nhập", lands on the page of the
// background job, sees its progress bar, and (jobs.js polling the job's JSON, then
// reloading) the final summary; the records are in the list afterwards.
//
// Env: KC_BIN (the khuyencong binary), KC_TEST_TMP (scratch dir), KC_SHOTS (screenshot dir).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, STEP_TIMEOUT, Server, serverAndBrowser, login, pathOf, stepper } from './lib.mjs';

const server = new Server('e2e-import-');
let browser;
let base;

serverAndBrowser(server, (b, url) => {
	browser = b;
	base = url;
});

const ROWS = 400;
const NAME = 'Cơ sở nhập qua trình duyệt';

function csv() {
	const lines = ['Tên cơ sở,Loại hình,Xã/Phường,Số lao động'];
	for (let i = 0; i < ROWS; i++) lines.push(`${NAME} ${i},Hộ kinh doanh,"Mễ Sở, Hưng Yên",${(i % 20) + 1}`);
	return Buffer.from('\uFEFF' + lines.join('\r\n') + '\r\n', 'utf8');
}

const text = async (loc) => (await loc.innerText()).trim();

test('import: upload, dry run, commit as a job with a progress bar, summary', { timeout: 120_000 }, async (t) => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
	const page = await context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT);
	page.setDefaultNavigationTimeout(STEP_TIMEOUT);
	const step = stepper(t, server);
	try {
		await step('1. log in and open the import page of establishments', async () => {
			await login(page, base, 'admin', server.adminPassword);
			await page.goto(`${base}/import?kind=establishments`);
			await page.locator('#import-form').waitFor();
			assert.equal(await page.locator('#kind').inputValue(), 'establishments');
		});

		await step('2. upload the CSV: the dry run lists no problem and offers the import', async () => {
			await page.locator('#file').setInputFiles({ name: 'co-so.csv', mimeType: 'text/csv', buffer: csv() });
			await page.locator('#dry-run').click();
			await page.locator('#counts').waitFor();
			assert.equal(await text(page.locator('#count-rows')), String(ROWS));
			assert.equal(await text(page.locator('#count-created')), String(ROWS));
			assert.equal(await text(page.locator('#count-failed')), '0');
			await page.locator('#commit-all').waitFor();
		});

		let sawRunning = false;
		await step('3. "Nhập" opens the job\'s page with its progress bar', async () => {
			// The page polls the job and reloads itself once it ended; a reload
			// in the middle of the screenshot stalls it. Hold the polls until the
			// running page has been looked at, then let them through.
			let release;
			const held = new Promise((resolve) => (release = resolve));
			const polls = '**/api/v1/jobs/*';
			await page.route(polls, async (route) => {
				await held;
				await route.continue();
			});
			try {
				await page.locator('#commit-all').click();
				await page.waitForURL(/\/jobs\/\d+$/);
				const box = page.locator('#job');
				await box.waitFor();
				await page.locator('#job-progress').waitFor({ state: 'attached' });
				sawRunning = (await box.getAttribute('data-finished')) === '0';
				if (sawRunning) {
					await page.locator('#job-cancel').waitFor();
					await page.screenshot({ path: shot('e2e-import-progress.png'), fullPage: true });
				}
			} finally {
				release();
				await page.unroute(polls);
			}
		});

		await step('4. the page moves on by itself to the final summary', async () => {
			const status = page.locator('#import-status');
			await status.waitFor({ timeout: 90_000 });
			assert.equal(await text(status), 'Đã nhập.');
			assert.equal(await text(page.locator('#job-status')), 'Đã xong.');
			assert.equal(await text(page.locator('#count-created')), String(ROWS));
			const bar = page.locator('#job-progress');
			const max = await bar.getAttribute('max');
			assert.ok(Number(max) > 0, 'the bar counts the bytes of the file');
			assert.equal(await bar.getAttribute('value'), max, 'and is full');
			assert.equal(await page.locator('#job-cancel').count(), 0, 'no cancel once it ended');
			await page.screenshot({ path: shot('e2e-import-done.png'), fullPage: true });
			t.diagnostic(sawRunning ? 'the bar was seen while the job ran' : 'the job had ended before its page loaded');
		});

		await step('5. the records are in the list', async () => {
			await page.locator('#to-list').click();
			assert.equal(pathOf(page), '/establishments');
			await page.goto(`${base}/establishments?q=${encodeURIComponent(`${NAME} 399`)}`);
			await page.locator('table.records tbody tr').filter({ hasText: `${NAME} 399` }).first().waitFor();
		});
	} finally {
		await context.close();
	}
});
