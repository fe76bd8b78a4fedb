// dashboard.test.mjs - the statistics in a real browser, as a provincial officer reads them
// (issue 4: "A browser test opens the dashboard, changes a filter, follows a number to its
// records, and downloads the XLSX"): the dashboard's headline cards for the whole country,
// its filter (units of the time, 2014–2021), the "Làng nghề" card to the statistics page, the
// reported figure of Nam Định behind "98 làng nghề" with its quotation, then the periodic
// report of Hà Nội 2016–2020 and its Excel download; then the filters of content type, reporting
// year and illustrative records, and the "Đề án" card followed through /stats to the list of the
// projects behind it. Screenshot: ${KC_SHOTS}/e2e-dashboard.png.
//
// Env: KC_BIN (the khuyencong binary), KC_TEST_TMP (scratch dir), KC_SHOTS (screenshot dir).
// Uses Debian's chromium through playwright-core; never downloads a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { shot, STEP_TIMEOUT, Server, serverAndBrowser, login, navTo, pathOf, poll, stepper } from './lib.mjs';

const server = new Server('e2e-dashboard-');
let browser;
let base;

serverAndBrowser(server, (b, url) => {
	browser = b;
	base = url;
});

const text = async (loc) => (await loc.innerText()).trim();
const params = (page) => Object.fromEntries(new URL(page.url()).searchParams);

test('dashboard: headline cards, filter, a number to its figure, the report and its XLSX', { timeout: 90_000 }, async (t) => {
	const context = await browser.newContext({
		viewport: { width: 1280, height: 800 }, locale: 'vi-VN', acceptDownloads: true,
	});
	const page = await context.newPage();
	page.setDefaultTimeout(STEP_TIMEOUT);
	page.setDefaultNavigationTimeout(STEP_TIMEOUT);
	const cards = page.locator('#headline .card');
	const filters = page.locator('#dashboard-filters');
	const periodForm = page.locator('#dashboard-period-form');
	/* The detailed period's form, folded under the picker: opened first. */
	const openPeriod = async () => {
		if (!(await page.locator('details.more-period').evaluate((d) => d.open)))
			await page.locator('details.more-period summary').click();
	};
	const step = stepper(t, server);
	let figureHref;

	/* The headline card of one indicator (its data-indicator attribute). */
	const card = (code) => page.locator(`#headline .card[data-indicator="${code}"]`);

	try {
		await step('1. log in as admin', async () => {
			await login(page, base, 'admin', server.adminPassword);
			assert.equal(pathOf(page), '/');
		});

		await step('2. the dashboard of the whole country: this reporting year first, then every year: headline cards with 9.590', async () => {
			await navTo(page, 'Tổng hợp');
			await page.locator('#headline').waitFor();
			assert.equal(pathOf(page), '/dashboard');
			// Unasked, the current reporting year, named on the page and on each card (issue 12, 4).
			assert.match(await text(page.locator('#dashboard-period')), /^Kỳ: năm báo cáo \d{4} \(15\/12\/\d{4} – 14\/12\/\d{4}\)$/);
			assert.match(await filters.locator('#period-picker').inputValue(), /^ry-\d{4}$/);
			assert.doesNotMatch(await text(page.locator('#headline')), /9\.590/, 'the 2016–2020 figure is not of this year');
			await filters.locator('#period-picker').selectOption({ label: 'Tất cả các năm' });
			await filters.locator('button[type=submit]').click();
			await poll('the period in the URL', () => params(page).preset, 'all');
			await page.locator('#headline').waitFor();
			// Each card says what its number covers: the 9.590 of Hà Nội is reported for 2016–2020.
			assert.match(await text(card('training.craft_transfer.trainees')), /Kỳ: 2016–2020\s+theo số liệu báo cáo/);
			assert.ok(await cards.count() >= 3, `${await cards.count()} headline cards`);
			assert.ok((await text(page.locator('main'))).includes('9.590'), 'the 9.590 rural workers of Hà Nội');
			// Seed 001: 9.590 lao động; seed 003: 98 làng nghề (the only craft villages figure).
			assert.match(await text(card('training.craft_transfer.trainees')), /9\.590 lao động/);
			assert.match(await text(card('villages.count')), /Làng nghề[\s\S]*98 làng nghề/);
			// Each card's number goes to the statistics page, and the line under it to the
			// records or reported figures behind the number itself.
			for (const href of await page.locator('#headline .card h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
				assert.match(href, /^\/stats\?indicator=[\w.]+/, 'each number goes to the statistics page');
			// A card without data says so and has nothing behind it (issue 19, 9).
			const behind = await page.locator('#headline .card:not(.no-data)').evaluateAll((cs) => cs.map((c) => c.querySelectorAll('a.behind-records, a.behind-figures').length));
			assert.ok(behind.length >= 3 && behind.every((n) => n >= 1), `lists behind each card: ${behind}`);
			for (const empty of await page.locator('#headline .card.no-data').all())
				assert.match(await text(empty), /không có số liệu|không áp dụng/);
			const villageFigures = card('villages.count').locator('a.behind-figures');
			assert.match(await villageFigures.getAttribute('href'), /^\/figures\?indicator=villages\.count&/);
			// The charts are images drawn on the server (their own URLs, issue 17), each loaded:
			// wait until the browser has fetched every one, then none is broken.
			const charts = page.locator('figure.chart img');
			assert.ok(await charts.count() >= 1, 'at least one chart');
			await page.waitForFunction(() => [...document.querySelectorAll('figure.chart img')].every((i) => i.complete));
			const broken = await charts.evaluateAll((imgs) => imgs.filter((i) => !i.complete || i.naturalWidth === 0).length);
			assert.equal(broken, 0, 'every chart image is loaded');
			await page.locator('#pivot-form').waitFor();
			await page.screenshot({ path: shot('e2e-dashboard.png'), fullPage: true });
		});

		await step('3. filter: units of the time, 2014–2021; the URL and the cards follow', async () => {
			await filters.locator('select[name=units]').selectOption({ label: 'Thời điểm phát sinh' });
			await filters.locator('button[type=submit]').click();
			await poll('the units in the URL', () => params(page).units, 'old');
			await openPeriod();
			await periodForm.locator('input[name=from]').fill('2014');
			await periodForm.locator('input[name=to]').fill('2021');
			await periodForm.locator('button[type=submit]').click();
			await poll('the filter in the URL', () => {
				const p = params(page);
				return [p.units, p.from, p.to];
			}, ['old', '2014', '2021']);
			await page.locator('#headline').waitFor();
			assert.equal(pathOf(page), '/dashboard');
			// The form keeps what was chosen.
			assert.equal(await filters.locator('select[name=units]').inputValue(), 'old');
			assert.equal(await periodForm.locator('input[name=from]').inputValue(), '2014');
			assert.equal(await periodForm.locator('input[name=to]').inputValue(), '2021');
			assert.equal(await filters.locator('#period-picker').inputValue(), 'custom');
			// The cards are those of the new scope: each links to its statistics with it.
			assert.ok(await cards.count() >= 3);
			for (const href of await page.locator('#headline .card h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
				const p = new URL(href, base).searchParams;
				assert.deepEqual([p.get('units'), p.get('from'), p.get('to')], ['old', '2014', '2021'], href);
			}
			// Every seed figure of 2014–2021 is inside the period: the same numbers.
			assert.match(await text(card('training.craft_transfer.trainees')), /9\.590 lao động/);
			assert.match(await text(card('villages.count')), /98 làng nghề/);
			// The chart of craft villages by province names the province of the time.
			const chartTitles = await page.locator('figure.chart figcaption').allInnerTexts();
			assert.ok(chartTitles.some((c) => /Làng nghề/.test(c)), JSON.stringify(chartTitles));
		});

		await step('4. the "Làng nghề" card leads to /stats: Tỉnh Nam Định (cũ), 98 làng nghề, its figure', async () => {
			const villages = card('villages.count').locator('h3 a');
			assert.match(await villages.getAttribute('href'), /^\/stats\?indicator=villages\.count&/);
			await villages.click();
			const table = page.locator('table#stats');
			await table.waitFor();
			assert.equal(pathOf(page), '/stats');
			const p = params(page);
			assert.deepEqual([p.indicator, p.units, p.from, p.to], ['villages.count', 'old', '2014', '2021']);
			const row = table.locator('tbody tr').filter({ hasText: 'Tỉnh Nam Định (cũ)' });
			assert.equal(await row.count(), 1, 'one row for old Nam Định');
			assert.equal(await text(row.locator('td.num')), '98 làng nghề');
			const link = row.locator('a[href^="/figures/"]');
			assert.equal(await link.count(), 1, 'a link to the reported figure');
			figureHref = await link.getAttribute('href');
			assert.match(figureHref, /^\/figures\/\d+$/);
			// Units of the time: no row of today's Ninh Bình.
			assert.equal(await table.locator('tbody tr').filter({ hasText: 'Ninh Bình' }).count(), 0);
		});

		await step('5. the figure page quotes the article: "98 làng nghề"', async () => {
			await page.locator(`table#stats tbody tr:has-text("Tỉnh Nam Định (cũ)") a[href="${figureHref}"]`).click();
			await page.locator('dl.fields').waitFor();
			assert.equal(pathOf(page), figureHref);
			assert.match(await text(page.locator('#f-quote')), /98 làng nghề/);
			assert.equal(await text(page.locator('#f-indicator')), 'villages.count');
			assert.match(await text(page.locator('#f-unit_id')), /Nam Định/);
			assert.equal(await text(page.locator('#f-source_title')), 'Nam Định: Tích cực hỗ trợ phát triển làng nghề');
		});

		await step('6. /reports: province 01, 2016–2020; #report shows the narrative', async () => {
			await navTo(page, 'Báo cáo');
			const form = page.locator('#report-form');
			await form.waitFor();
			assert.equal(pathOf(page), '/reports');
			await form.locator('select[name=province]').selectOption('01');
			await form.locator('input[name=from]').fill('2016');
			await form.locator('input[name=to]').fill('2020');
			await form.locator('button[type=submit]').click();
			const report = page.locator('#report');
			await report.waitFor();
			const p = params(page);
			assert.deepEqual([p.province, p.from, p.to], ['01', '2016', '2020']);
			const body = (await text(report)).replace(/\s+/g, ' ');
			assert.ok(body.includes('Giai đoạn 2016 – 2020, đã tổ chức 274 lớp truyền nghề cho 9.590 lao động nông thôn; '
				+ 'trên 80% số lao động có việc làm sau đào tạo'), body.slice(0, 600));
			assert.ok(body.includes('Hà Nội'), 'the place is named');
			// An administrative document: the national name and motto, a draft until numbered.
			assert.ok(body.includes('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM'), body.slice(0, 300));
			assert.ok(body.includes('Độc lập - Tự do - Hạnh phúc'));
			await page.locator('#draft-mark').waitFor();
			await page.screenshot({ path: shot('e2e-report.png'), fullPage: true });
		});

		await step('7. #download-xlsx downloads a ZIP (an .xlsx)', async () => {
			const [download] = await Promise.all([
				page.waitForEvent('download'),
				page.locator('#download-xlsx').click(),
			]);
			assert.equal(await download.failure(), null);
			assert.match(download.suggestedFilename(), /^bao-cao-khuyen-cong_01_2016-2020_\d{8}\.xlsx$/);
			const bytes = await readFile(await download.path());
			assert.equal(bytes.subarray(0, 2).toString('latin1'), 'PK', 'a ZIP');
			assert.ok(bytes.length > 1000, `${bytes.length} bytes`);
			// The names of a ZIP's entries are stored as they are: an XLSX has its worksheets.
			const names = bytes.toString('latin1');
			assert.ok(names.includes('xl/workbook.xml'), 'a workbook');
			assert.match(names, /xl\/worksheets\/sheet\d+\.xml/, 'a worksheet');
			// The report page is still there.
			assert.equal(pathOf(page), '/reports');
		});

		await step('8. filters: content type "Mô hình trình diễn kỹ thuật", reporting years 2014–2021, illustrative records', async () => {
			await navTo(page, 'Tổng hợp');
			await filters.waitFor();
			await filters.locator('select[name=content_type]').selectOption({ label: 'Mô hình trình diễn kỹ thuật' });
			await filters.locator('input[name=illustrative]').check();
			await filters.locator('button[type=submit]').click();
			await poll('the filters in the URL', () => params(page).content_type, 'demo_model');
			await openPeriod();
			await periodForm.locator('select[name=period]').selectOption('reporting_year');
			await periodForm.locator('input[name=from]').fill('2014');
			await periodForm.locator('input[name=to]').fill('2021');
			await periodForm.locator('button[type=submit]').click();
			await poll('the filters in the URL', () => {
				const p = params(page);
				return [p.period, p.from, p.to, p.content_type, p.illustrative];
			}, ['reporting_year', '2014', '2021', 'demo_model', '1']);
			await page.locator('#headline').waitFor();
			assert.equal(await filters.locator('select[name=content_type]').inputValue(), 'demo_model');
			assert.equal(await periodForm.locator('select[name=period]').inputValue(), 'reporting_year');
			// Only the figures of demonstration models: 6 of Bà Rịa – Vũng Tàu and the illustrative
			// one of Hưng Yên; the training card says it has none (issue 19, 9).
			assert.match(await text(card('demo_models.count')), /7 mô hình/);
			assert.match(await text(card('training.trainees')), /không có số liệu/);
			assert.match(await card('training.trainees').getAttribute('class'), /no-data/);
			assert.match(await text(card('projects.count')), /1 đề án/);
			for (const href of await page.locator('#headline .card h3 a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
				const p = new URL(href, base).searchParams;
				assert.deepEqual([p.get('content_type'), p.get('period'), p.get('illustrative')],
					['demo_model', 'reporting_year', '1'], href);
			}
		});

		await step('9. the "Đề án" card: /stats by province, then the records of Hưng Yên: the demonstration-model project', async () => {
			await card('projects.count').locator('h3 a').click();
			const table = page.locator('table#stats');
			await table.waitFor();
			assert.equal(pathOf(page), '/stats');
			assert.equal(params(page).content_type, 'demo_model');
			const row = table.locator('tbody tr').filter({ hasText: 'Hưng Yên' });
			assert.equal(await row.count(), 1);
			assert.equal(await text(row.locator('td.num')), '1 đề án');
			const records = row.locator('a[href^="/projects?"]');
			assert.equal(await records.count(), 1, 'a link to the records');
			await records.click();
			const list = page.locator('table.records[data-collection="projects"]');
			await list.waitFor();
			assert.equal(pathOf(page), '/projects');
			const p = params(page);
			assert.deepEqual([p.province, p.content_type], ['33', 'demo_model']);
			const body = await text(list.locator('tbody'));
			assert.ok(body.includes('HY-2021-QG-01'), body.slice(0, 400));
			assert.ok(!body.includes('HY-2021-DP-01'), 'the machinery project is not behind this number');
			assert.equal(await list.locator('tbody tr').count(), 1);
		});
	} finally {
		await context.close();
	}
});

/* The ministry analyst (issue 19, 7-10): provinces picked by name, several at once, compared
 * side by side with ranks and values per establishment; the nation by province with every
 * province and the coverage; a programme's targets. At 1366 and 360 px; screenshots
 * ${KC_SHOTS}/e2e-analyst-*.png. */
test('analyst: provinces compared by name, every province with the coverage, a programme\'s targets', { timeout: 90_000 }, async (t) => {
	for (const width of [1366, 360]) {
		const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'vi-VN' });
		const page = await context.newPage();
		page.setDefaultTimeout(STEP_TIMEOUT);
		page.setDefaultNavigationTimeout(STEP_TIMEOUT);
		const step = stepper(t, server);
		try {
			await step(`${width}: log in`, () => login(page, base, 'admin', server.adminPassword));
			await step(`${width}: /stats, two provinces picked by name: side by side`, async () => {
				await page.goto(`${base}/stats`);
				const form = page.locator('#stats-form');
				await form.locator('select[name=indicator]').selectOption({ label: 'Làng nghề' });
				await form.locator('#province-picker').selectOption([{ label: 'Hà Nội' }, { label: 'Ninh Bình' }]);
				await form.locator('button[type=submit]').click();
				await page.locator('#compare').waitFor();
				const rows = page.locator('table#stats tbody tr');
				assert.equal(await rows.count(), 2);
				assert.match(await text(rows.nth(0)), /Hà Nội\s+không có số liệu/);
				assert.match(await text(rows.nth(1)), /Ninh Bình\s+98 làng nghề\s+1/);
				assert.deepEqual(new URL(page.url()).searchParams.getAll('province'), ['01', '37']);
				// On a phone the table is below the form: the screenshot shows it.
				if (width < 400) await page.locator('#compare').evaluate((e) => e.scrollIntoView());
				await page.screenshot({ path: shot(`e2e-analyst-compare-${width}.png`), fullPage: width > 400 });
			});
			await step(`${width}: the nation by province: 34 rows, the coverage said`, async () => {
				await page.goto(`${base}/stats?indicator=villages.count&by=province`);
				assert.equal(await text(page.locator('#coverage')), 'Số liệu của 1/34 tỉnh, thành phố');
				assert.equal(await page.locator('table#stats tbody tr:not(.total)').count(), 34);
				assert.equal(await page.locator('table#stats tbody tr.no-data').count(), 33);
				await page.locator('#coverage').evaluate((e) => e.scrollIntoView());
				await page.screenshot({ path: shot(`e2e-analyst-provinces-${width}.png`) });
			});
			await step(`${width}: the dashboard leads to a programme's targets page`, async () => {
				await page.goto(`${base}/dashboard?preset=cal-2021-2025`);
				await page.locator('#targets-links a').filter({ hasText: 'quốc gia giai đoạn 2021–2025' }).click();
				const table = page.locator('table#targets');
				await table.waitFor();
				assert.match(pathOf(page), /^\/programmes\/\d+\/targets$/);
				assert.equal(await table.locator('tbody tr').count(), 7);
				assert.match(await text(table), /Xây dựng mô hình trình diễn kỹ thuật\s+340 mô hình/);
				if (width < 400) await table.evaluate((e) => e.scrollIntoView());
				await page.screenshot({ path: shot(`e2e-analyst-targets-${width}.png`), fullPage: width > 400 });
			});
		} finally {
			await context.close();
		}
	}
});

/* Charts readable at the size they are shown (issue 12, 4): at 1366 and 360 px every chart is
 * drawn at its shown size, so its smallest text (data-text-px, in pixels of the drawing) times
 * the shown/drawn ratio is at least 11 px; every card states its period. Screenshots
 * ${KC_SHOTS}/e2e-dashboard-periods-*.png. */
test('dashboard: chart text of 11 px or more at 1366 and 360 px, a period on every card', { timeout: 90_000 }, async (t) => {
	for (const width of [1366, 360]) {
		const context = await browser.newContext({ viewport: { width, height: 900 }, locale: 'vi-VN' });
		const page = await context.newPage();
		page.setDefaultTimeout(STEP_TIMEOUT);
		page.setDefaultNavigationTimeout(STEP_TIMEOUT);
		const step = stepper(t, server);
		try {
			await step(`${width}: log in`, () => login(page, base, 'admin', server.adminPassword));
			await step(`${width}: every year: charts at their drawn size, text ≥ 11 px`, async () => {
				await page.goto(`${base}/dashboard?preset=all`);
				const imgs = page.locator('figure.chart img');
				assert.ok(await imgs.count() >= 2, `${await imgs.count()} charts`);
				const sizes = await imgs.evaluateAll((list) => list.map((i) => ({
					shown: i.getBoundingClientRect().width, drawn: i.naturalWidth,
					text: Number(i.dataset.textPx), loaded: i.complete && i.naturalWidth > 0,
				})));
				for (const s of sizes) {
					assert.ok(s.loaded, 'the chart is loaded');
					const px = s.text * s.shown / s.drawn;
					assert.ok(px >= 11, `smallest text ${px.toFixed(1)} px (${JSON.stringify(s)})`);
				}
				// No chart is wider than the screen.
				for (const s of sizes) assert.ok(s.shown <= width, JSON.stringify(s));
				const periods = await page.locator('#headline .card .card-period').allInnerTexts();
				assert.equal(periods.length, await page.locator('#headline .card').count(), 'a period on every card');
				await page.screenshot({ path: shot(`e2e-dashboard-periods-${width}.png`), fullPage: true });
			});
		} finally {
			await context.close();
		}
	}
});
