// records.test.mjs - record pages in a real browser, as a provincial officer works: an
// establishment (a validation error first, then saved), a project, a training class added
// from the project's page, searches without diacritics, and one step of the project's
// lifecycle; with screenshots of the project page and of the form showing its error. Then an
// officer of the project's province looks at, and adds to, the project's training classes.
//
// Env: KC_BIN (the khuyencong binary), KC_TEST_TMP (scratch dir), KC_SHOTS (screenshot dir).
// Uses Debian's chromium through playwright-core; never downloads a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, STEP_TIMEOUT, Server, serverAndBrowser, login, navTo, pathOf, poll, stepper } from './lib.mjs';

const server = new Server('e2e-records-');
let browser;
let base;

serverAndBrowser(server, (b, url) => {
	browser = b;
	base = url;
});

const ESTABLISHMENT = 'Cơ sở mây tre đan Phú Vinh';
// Phú Nghĩa: code 10030 of Hà Nội (01) in data/units/2025-07-01_communes.csv; Đồng Nai (75)
// has a Phú Nghĩa too (25267), so the province in the name is what picks the right one.
const COMMUNE = 'Phú Nghĩa, Hà Nội';
const PROJECT = 'Đào tạo nghề mây tre đan xuất khẩu';
const TOPIC = 'Đan lát mây tre';

/* The id at the end of /collection/ID. */
function idOf(page, collection) {
	const m = new RegExp(`^/${collection}/(\\d+)$`).exec(pathOf(page));
	assert.ok(m, `not on a ${collection} page: ${page.url()}`);
	return m[1];
}

const text = async (loc) => (await loc.innerText()).trim();

/* The rows of a records table whose text contains s (the table itself waited for). */
function rowsWith(page, table, s) {
	return page.locator(`${table} tbody tr`).filter({ hasText: s });
}

test('records: establishment, project, training class, search, lifecycle', { timeout: 58_000 }, async (t) => {
	const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
	const page = await context.newPage();
	const mainPage = page;
	page.setDefaultTimeout(STEP_TIMEOUT);
	page.setDefaultNavigationTimeout(STEP_TIMEOUT);
	const form = page.locator('#record-form');
	const step = stepper(t, server);
	let establishmentId, projectId, classId;

	/* Opens a list from the navigation, then its "Thêm mới" form. */
	async function openNewForm(navName, collection) {
		await navTo(page, navName);
		await page.locator('table.records').waitFor();
		assert.equal(pathOf(page), `/${collection}`);
		await page.locator('#new-record').click();
		await form.waitFor();
		assert.equal(pathOf(page), `/${collection}/new`);
	}

	/* Searches a list through its filter form; returns the matching rows. */
	async function search(collection, q, expect, page = mainPage) {
		await page.goto(`${base}/${collection}`);
		const filters = page.locator('#list-filters');
		await filters.locator('input[name=q]').fill(q);
		await filters.locator('button[type=submit]').click();
		await poll(`q in the URL of ${collection}`, () => new URL(page.url()).searchParams.get('q'), q);
		await page.locator('table.records').waitFor();
		const rows = rowsWith(page, 'table.records', expect);
		await rows.first().waitFor();
		assert.equal(await rows.count(), 1, `${collection}?q=${q}: one row with "${expect}"`);
		assert.ok(Number(await text(page.locator('#total'))) >= 1);
		assert.equal(await filters.locator('input[name=q]').inputValue(), q, 'the query stays in the box');
		return rows;
	}

	try {
		await step('1. log in as admin', async () => {
			await login(page, base, 'admin', server.adminPassword);
			assert.equal(pathOf(page), '/');
		});

		await step('2. establishment: more female workers than workers is refused beside the field', async () => {
			await openNewForm('Cơ sở CNNT', 'establishments');
			await form.locator('#in-name').fill(ESTABLISHMENT);
			await form.locator('#in-kind').selectOption('household');
			await form.locator('#in-commune_id').fill(COMMUNE);
			await form.locator('#in-workers').fill('1.250');
			await form.locator('#in-workers_female').fill('2000');
			await page.locator('#save').click();

			const fieldError = page.locator('.field-error#error-workers_female');
			await fieldError.waitFor({ state: 'visible' });
			assert.equal(pathOf(page), '/establishments/new');
			assert.match(await text(fieldError), /Lao động nữ không thể nhiều hơn tổng số lao động/);
			assert.match(await text(page.locator('#form-error')), /Lao động nữ/);
			// The error sits in the field's own block, after its input.
			const block = page.locator('.field.has-error');
			assert.equal(await block.count(), 1);
			await block.locator('#in-workers_female').waitFor();
			await block.locator('#error-workers_female').waitFor();
			// What was typed is kept.
			assert.equal(await form.locator('#in-name').inputValue(), ESTABLISHMENT);
			assert.equal(await form.locator('#in-kind').inputValue(), 'household');
			assert.equal(await form.locator('#in-commune_id').inputValue(), COMMUNE);
			assert.equal(await form.locator('#in-workers').inputValue(), '1.250');
			assert.equal(await form.locator('#in-workers_female').inputValue(), '2000');
			await page.screenshot({ path: shot('e2e-establishment-form-error.png'), fullPage: true });
		});

		await step('2b. the error beside the field is in the error colour', {}, async () => {
			const colour = (sel) => page.locator(sel).evaluate((el) => getComputedStyle(el).color);
			assert.equal(await colour('#error-workers_female'), await colour('#form-error'));
		});

		await step('3. establishment: fixed and saved; detail shows name, 1.250 workers, the commune', async () => {
			await form.locator('#in-workers_female').fill('900');
			await page.locator('#save').click();
			await page.locator('dl.fields').waitFor();
			establishmentId = idOf(page, 'establishments');
			await page.locator('p.ok[role=status]').waitFor();
			assert.equal(await text(page.locator('main h1')), ESTABLISHMENT);
			assert.equal(await text(page.locator('#f-name')), ESTABLISHMENT);
			assert.equal(await text(page.locator('#f-kind')), 'Hộ kinh doanh');
			assert.equal(await text(page.locator('#f-workers')), '1.250');
			assert.equal(await text(page.locator('#f-workers_female')), '900');
			assert.match(await text(page.locator('#f-commune_id')), /Phú Nghĩa/);
		});

		await step('4. project: created; detail shows 1,5 tỷ đồng', async () => {
			await openNewForm('Đề án', 'projects');
			await form.locator('#in-title').fill(PROJECT);
			await form.locator('#in-year').fill('2026');
			await form.locator('#in-province').selectOption('01');
			await form.locator('#in-content_type').selectOption({ label: 'Đào tạo nghề, truyền nghề' });
			assert.equal(await form.locator('#in-content_type').inputValue(), 'training');
			await form.locator('#in-kind').selectOption({ label: 'Địa phương' });
			await form.locator('#in-cost_total').fill('1,5 tỷ đồng');
			await page.locator('#save').click();
			await page.locator('dl.fields').waitFor();
			projectId = idOf(page, 'projects');
			assert.equal(await text(page.locator('main h1')), PROJECT);
			assert.equal(await text(page.locator('#f-title')), PROJECT);
			assert.equal(await text(page.locator('#f-year')), '2026');
			assert.match(await text(page.locator('#f-province')), /Hà Nội|^01/);
			assert.equal(await text(page.locator('#f-content_type')), 'Đào tạo nghề, truyền nghề');
			assert.equal(await text(page.locator('#f-kind')), 'Địa phương');
			assert.equal(await text(page.locator('#f-cost_total')), '1,5 tỷ đồng');
			assert.equal(await text(page.locator('#f-status')), 'Dự thảo');
		});

		await step('5. "+ Thêm lớp đào tạo" from the project: project prefilled; class saved', async () => {
			const rel = page.locator('section#rel-training-classes');
			await rel.waitFor();
			assert.match(await text(rel.locator('h2')), /\(0\)/);
			await rel.getByRole('link', { name: '+ Thêm lớp đào tạo', exact: true }).click();
			await form.waitFor();
			assert.equal(pathOf(page), '/training-classes/new');
			assert.equal(await form.locator('#in-project_id').inputValue(), projectId);
			await form.locator('#in-kind').selectOption({ label: 'Truyền nghề, cấy nghề' });
			await form.locator('#in-topic').fill(TOPIC);
			await form.locator('#in-year').fill('2026');
			await form.locator('#in-trainees').fill('35');
			await form.locator('#in-completed').fill('33');
			await form.locator('#in-employed').fill('30');
			await form.locator('#in-date_from').fill('02/03/2026');
			await form.locator('#in-date_to').fill('30/04/2026');
			await page.locator('#save').click();
			await page.locator('dl.fields').waitFor();
			classId = idOf(page, 'training-classes');
			assert.equal(await text(page.locator('#f-topic')), TOPIC);
			assert.equal(await text(page.locator('#f-kind')), 'Truyền nghề, cấy nghề');
			assert.equal(await text(page.locator('#f-trainees')), '35');
			assert.equal(await text(page.locator('#f-completed')), '33');
			assert.equal(await text(page.locator('#f-employed')), '30');
			assert.equal(await text(page.locator('#f-date_from')), '02/03/2026');
			assert.equal(await text(page.locator('#f-date_to')), '30/04/2026');
			assert.equal(await text(page.locator('#f-project_id')), PROJECT);
		});

		await step('6. back on the project page the class is listed', async () => {
			await page.locator('#f-project_id a').click();
			await page.locator('dl.fields').waitFor();
			assert.equal(pathOf(page), `/projects/${projectId}`);
			const rel = page.locator('section#rel-training-classes');
			assert.match(await text(rel.locator('h2')), /\(1\)/);
			const row = rowsWith(page, '#rel-training-classes table.records', TOPIC);
			await row.waitFor();
			assert.equal(await row.locator(`a[href="/training-classes/${classId}"]`).count(), 1);
		});

		await step('7. searches without diacritics find the three records', async () => {
			let rows = await search('training-classes', 'dan lat may tre', TOPIC);
			assert.equal(await rows.locator(`a[href="/training-classes/${classId}"]`).count(), 1);
			rows = await search('establishments', 'may tre dan phu vinh', ESTABLISHMENT);
			assert.equal(await rows.locator(`a[href="/establishments/${establishmentId}"]`).count(), 1);
			// The Phú Nghĩa of Hà Nội (01), not the one of Đồng Nai (75).
			const q = encodeURIComponent('may tre dan phu vinh');
			await page.goto(`${base}/establishments?q=${q}&province=01`);
			await rowsWith(page, 'table.records', ESTABLISHMENT).waitFor();
			await page.goto(`${base}/establishments?q=${q}&province=75`);
			assert.equal(await text(page.locator('#total')), '0');
			rows = await search('projects', 'dao tao nghe may tre', PROJECT);
			assert.equal(await rows.locator(`a[href="/projects/${projectId}"]`).count(), 1);
		});

		await step('8. "Chuyển bước": the Sở Công Thương appraises the project', async () => {
			await page.goto(`${base}/projects/${projectId}`);
			const tr = page.locator('form#transition');
			await tr.waitFor();
			await tr.locator('select[name=to]').selectOption({ label: 'Sở Công Thương đã thẩm định' });
			assert.equal(await tr.locator('select[name=to]').inputValue(), 'province_appraised');
			await tr.locator('input[name=date]').fill('10/03/2026');
			await tr.locator('button[type=submit]').click();
			await page.locator('p.ok[role=status]').waitFor();
			assert.equal(pathOf(page), `/projects/${projectId}`);
			assert.equal(await text(page.locator('dd#f-status')), 'Sở Công Thương đã thẩm định');
			// The step is recorded under the project, dated as typed.
			const steps = rowsWith(page, '#rel-project-events table.records', 'Sở Công Thương đã thẩm định');
			await steps.waitFor();
			assert.match(await text(steps), /10\/03\/2026/);
			await page.screenshot({ path: shot('e2e-project.png'), fullPage: true });
		});

		// A province officer's own session, for the records of their province.
		const officer = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'vi-VN' });
		const op = await officer.newPage();
		op.setDefaultTimeout(STEP_TIMEOUT);
		op.setDefaultNavigationTimeout(STEP_TIMEOUT);
		try {
			await step('9. admin creates an officer of Hà Nội (01), who logs in and opens the project', async () => {
				await navTo(page, 'Tài khoản');
				const users = page.locator('#user-create');
				await users.waitFor();
				await users.locator('input[name=username]').fill('canbo.hn');
				await users.locator('input[name=display_name]').fill('Cán bộ Sở Công Thương Hà Nội');
				await users.locator('select[name=role]').selectOption('province');
				await users.locator('input[name=province]').fill('01');
				await users.locator('input[name=password]').fill('ha-noi-2026-secret');
				await users.locator('button[type=submit]').click();
				await page.locator('p.ok[role=status]').waitFor({ state: 'visible' });

				await login(op, base, 'canbo.hn', 'ha-noi-2026-secret');
				await op.goto(`${base}/projects/${projectId}`);
				await op.locator('dl.fields').waitFor();
				assert.equal(await text(op.locator('#f-title')), PROJECT);
				await op.locator('#rel-training-classes').waitFor();
			});

			await step('10. the Hà Nội officer sees the class of the Hà Nội project', {}, async () => {
				await op.goto(`${base}/projects/${projectId}`);
				const rel = op.locator('section#rel-training-classes');
				assert.match(await text(rel.locator('h2')), /\(1\)/, 'the class is counted');
				await rowsWith(op, '#rel-training-classes table.records', TOPIC).waitFor({ timeout: 2_000 });
				await search('training-classes', 'dan lat may tre', TOPIC, op);
			});

			await step('11. the Hà Nội officer adds a class from the project page', {}, async () => {
				await op.goto(`${base}/projects/${projectId}`);
				await op.locator('#rel-training-classes')
					.getByRole('link', { name: '+ Thêm lớp đào tạo', exact: true }).click();
				const f = op.locator('#record-form');
				await f.waitFor();
				assert.equal(await f.locator('#in-project_id').inputValue(), projectId);
				await f.locator('#in-kind').selectOption({ label: 'Đào tạo nghề' });
				await f.locator('#in-topic').fill('Mây tre xuất khẩu nâng cao');
				await f.locator('#in-year').fill('2026');
				await f.locator('#in-trainees').fill('20');
				await op.locator('#save').click();
				await op.locator('#form-error, dl.fields').first().waitFor();
				const err = await op.locator('#form-error').count() ? await text(op.locator('#form-error')) : '';
				assert.equal(err, '', 'no error on save');
				idOf(op, 'training-classes');
				assert.match(await text(op.locator('#f-province')), /01/, 'the class takes the project\'s province');
			});
		} finally {
			await officer.close();
		}
	} finally {
		await context.close();
	}
});
