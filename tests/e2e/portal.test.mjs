// portal.test.mjs - an establishment's day in a real browser (issue 19), at 1366 and 360 px:
// its own menu and home page, a proposal written without a record number and sent with
// "Gửi đề xuất" (reference and date shown), the department asking for more in the exchange
// and the establishment answering with a quotation attached, each side seeing its notification; a phone photo (a 4000 x
// 3000 JPEG of about 6 MB drawn in the browser) uploaded, shown resized and small enough for a
// phone with a readable "Gỡ ảnh"; three steps of a lot added at once; the outcomes of a support
// accepted a year before reported from its list, returned by the department with a comment,
// corrected, sent again and accepted, then counted by the statistics of effectiveness. Screenshots
// e2e-portal-*.png under the build directory.
//
// Env: KC_BIN (the khuyencong binary), KC_TEST_TMP (scratch dir), KC_SHOTS (screenshot dir).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { shot, STEP_TIMEOUT, Server, serverAndBrowser, login, pathOf, stepper, BIN } from './lib.mjs';

const server = new Server('e2e-portal-');
let browser;
let base;
serverAndBrowser(server, (b, url) => {
	browser = b;
	base = url;
});

const PW = 'portal-e2e-pass-1';
const EST = 'HTX Mây tre đan Phú Vinh';
const OUTCOME_PROJECT = 'Hỗ trợ máy vót nan';
const text = async (loc) => (await loc.innerText()).trim();

/* The admin's API, for what the department set up before the day. */
async function api(method, path, body) {
	const s = await fetch(`${base}/api/v1/session`, {
		method: 'POST', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ username: 'admin', password: server.adminPassword }),
	});
	const { token } = await s.json();
	const r = await fetch(base + path, {
		method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
		body: body && JSON.stringify(body),
	});
	const j = await r.json();
	assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(j)}`);
	return j;
}

function addUser(name, args) {
	const r = spawnSync(BIN, ['user', 'add', name, ...args, '--db', server.db], { input: `${PW}\n`, encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
}

/* No page wider than the screen: nothing to scroll sideways on a phone. */
async function fitsWidth(page, what) {
	const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
	assert.ok(scroll <= width, `${what}: ${scroll} px wide on a ${width} px screen`);
}

test('portal: an establishment proposes, talks with the department, adds a photo and lot steps', { timeout: 170_000 }, async (t) => {
	const step = stepper(t, server);
	let estPage, staffPage, proposalPath, productPath, estId;
	const contexts = [];
	async function pageAt(width) {
		const ctx = await browser.newContext({ viewport: { width, height: width > 500 ? 900 : 780 }, locale: 'vi-VN' });
		contexts.push(ctx);
		const p = await ctx.newPage();
		p.setDefaultTimeout(STEP_TIMEOUT);
		return p;
	}
	try {
		await step('0. the department made the account of the establishment', async () => {
			const e = await api('POST', '/api/v1/establishments', {
				name: EST, kind: 'cooperative', commune_id: 'Xã Mễ Sở, Hưng Yên', workers: 32,
				revenue: { 2021: 4500000000, 2022: 5100000000 },
			});
			await api('POST', '/api/v1/projects', {
				title: 'Hỗ trợ máy chẻ nan', kind: 'local', content_type: 'machinery', year: 2025,
				province: '33', establishment_id: e.id,
			});
			estId = e.id;
			addUser('htx', ['--role', 'establishment', '--establishment', String(e.id)]);
			addUser('sohy', ['--role', 'province', '--province', '33']);
		});

		await step('1. its home page: its proposals, establishment, support; a menu of its own', async () => {
			estPage = await pageAt(1366);
			await login(estPage, base, 'htx', PW);
			const links = await estPage.locator('nav.nav a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
			for (const staffOnly of ['/programmes', '/plans', '/stats', '/dashboard', '/reports'])
				assert.ok(!links.includes(staffOnly), `the menu offers ${staffOnly}`);
			await estPage.locator('#my-support').getByText('Hỗ trợ máy chẻ nan').waitFor();
			await estPage.screenshot({ path: shot('e2e-portal-home-1366.png'), fullPage: true });
		});

		await step('2. a proposal without a record number, sent with "Gửi đề xuất"', async () => {
			await estPage.locator('#new-proposal').click();
			const form = estPage.locator('#record-form');
			assert.match(await text(form.locator('#in-establishment_id')), /HTX Mây tre đan Phú Vinh/);
			await form.locator('#in-title').fill('Máy chẻ nan tự động');
			await form.locator('#in-content_type').selectOption('machinery');
			await form.locator('#in-year').fill('2027');
			await form.locator('#in-cost').fill('400 triệu đồng');
			await estPage.locator('#save').click();
			await estPage.getByRole('button', { name: 'Gửi đề xuất' }).click();
			const note = estPage.locator('#sent-note');
			await note.waitFor();
			assert.match(await text(note), /^Đã gửi đề xuất số ĐX-\d{4}-\d{4} ngày \d{2}\/\d{2}\/\d{4}\.$/);
			proposalPath = pathOf(estPage);
			await estPage.screenshot({ path: shot('e2e-portal-proposal-sent-1366.png'), fullPage: true });
		});

		await step('3. the department is notified and asks for quotations in the exchange', async () => {
			staffPage = await pageAt(1366);
			await login(staffPage, base, 'sohy', PW);
			assert.equal(await text(staffPage.locator('#notify-badge')), 'Thông báo 1');
			await staffPage.locator('#notify-badge').click();
			await staffPage.locator('#notifications a').first().click();
			assert.equal(pathOf(staffPage), proposalPath);
			await staffPage.locator('#proposal-actions textarea[name=note]').fill('Đề nghị bổ sung 3 báo giá máy');
			await staffPage.getByRole('button', { name: 'Cần bổ sung' }).click();
			await staffPage.locator('#thread').getByText('Đề nghị bổ sung 3 báo giá máy').waitFor();
		});

		await step('4. the establishment sees it first on its home page and replies', async () => {
			await estPage.goto(`${base}/`);
			assert.equal(await text(estPage.locator('#notify-badge')), 'Thông báo 1');
			const first = estPage.locator('#my-proposals tbody tr').first();
			assert.match(await text(first), /Cần bổ sung[^]*Cần bạn: hoàn thiện và gửi/);
			await first.locator('a').click();
			await estPage.locator('#reply textarea').fill('Đã có 2 báo giá, báo giá thứ ba gửi tuần sau.');
			await estPage.getByRole('button', { name: 'Gửi ý kiến' }).click();
			const msgs = estPage.locator('#thread li.msg');
			await msgs.nth(2).waitFor();
			assert.deepEqual((await msgs.allInnerTexts()).map((s) => /Đề nghị bổ sung|Đã có 2 báo giá|Đã gửi/.exec(s)?.[0]),
				['Đã gửi', 'Đề nghị bổ sung', 'Đã có 2 báo giá']);
			// A quotation goes with it: listed by its name, downloadable by the department.
			const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n'.padEnd(300, ' ') + '\n%%EOF\n');
			await estPage.locator('#file-upload input[type=file]').setInputFiles({ name: 'Báo giá 1.pdf', mimeType: 'application/pdf', buffer: pdf });
			await estPage.locator('#file-upload button[type=submit]').click();
			const link = estPage.locator('ul.files a', { hasText: 'Báo giá 1.pdf' });
			await link.waitFor();
			const got = await staffPage.request.get(base + await link.getAttribute('href'));
			assert.equal(got.status(), 200);
			assert.equal((await got.body()).toString(), pdf.toString());
			await staffPage.reload();
			assert.equal(await text(staffPage.locator('#notify-badge')), 'Thông báo 3');
			await estPage.screenshot({ path: shot('e2e-portal-thread-1366.png'), fullPage: true });
		});

		await step('5. a 6 MB phone photo is accepted and shown at a phone\'s size', async () => {
			await estPage.goto(`${base}/products/new`);
			const form = estPage.locator('#record-form');
			await form.locator('#in-name').fill('Giỏ mây đan tay');
			await form.locator('#in-category').selectOption('handicraft');
			await estPage.locator('#save').click();
			await estPage.locator('#photo-upload').waitFor();
			productPath = pathOf(estPage);
			// A 4000 x 3000 picture with fine detail, as a phone's camera makes it.
			const b64 = await estPage.evaluate(async () => {
				const c = document.createElement('canvas');
				c.width = 4000;
				c.height = 3000;
				const g = c.getContext('2d');
				const img = g.createImageData(4000, 3000);
				let s = 7;
				for (let i = 0; i < img.data.length; i += 4) {
					s = (s * 1103515245 + 12345) & 0x7fffffff;
					const n = s & 63;
					const x = (i / 4) % 4000;
					img.data[i] = (x >> 4) + n;
					img.data[i + 1] = 120 + (n >> 1);
					img.data[i + 2] = 60 + n;
					img.data[i + 3] = 255;
				}
				g.putImageData(img, 0, 0);
				let lo = 0.3;
				let hi = 0.98;
				let best = null;
				for (let k = 0; k < 7; k++) {
					const q = (lo + hi) / 2;
					const blob = await new Promise((r) => c.toBlob(r, 'image/jpeg', q));
					if (blob.size > 7_000_000) hi = q;
					else {
						lo = q;
						best = blob;
					}
					if (best && best.size > 5_000_000) break;
				}
				const bytes = new Uint8Array(await best.arrayBuffer());
				let bin = '';
				for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
				return btoa(bin);
			});
			const photo = Buffer.from(b64, 'base64');
			assert.ok(photo.length > 5_000_000 && photo.length <= 7_000_000, `photo of ${photo.length} bytes`);
			await estPage.locator('#photo-upload input[type=file]').setInputFiles({ name: 'IMG_2041.jpg', mimeType: 'image/jpeg', buffer: photo });
			await estPage.locator('#photo-upload button[type=submit]').click();
			const img = estPage.locator('.thumbs img').first();
			await img.waitFor();
			await estPage.waitForFunction(() => document.querySelector('.thumbs img')?.complete);
			const natural = await img.evaluate((el) => [el.naturalWidth, el.naturalHeight]);
			assert.deepEqual(natural, [1600, 1200], 'resized to 1600 px');
		});

		await step('6. at 360 px: the photo fits, "Gỡ ảnh" is readable, no page is wider than the screen', async () => {
			const phone = await pageAt(360);
			await login(phone, base, 'htx', PW);
			await fitsWidth(phone, 'home');
			await phone.screenshot({ path: shot('e2e-portal-home-360.png'), fullPage: true });
			await phone.goto(base + productPath);
			const box = await phone.locator('.thumbs img').first().boundingBox();
			assert.ok(box.width <= 340 && box.height <= 200, `photo shown at ${box.width} x ${box.height}`);
			const remove = phone.getByRole('button', { name: 'Gỡ ảnh' });
			const [fg, bg] = await remove.evaluate((el) => {
				const s = getComputedStyle(el);
				return [s.color, s.backgroundColor];
			});
			assert.notEqual(fg, bg, 'the button text is not the colour of its background');
			assert.notEqual(fg, 'rgb(255, 255, 255)', 'not white on a white card');
			await fitsWidth(phone, 'product');
			await phone.locator('#photos').screenshot({ path: shot('e2e-portal-photo-360.png') });
			await phone.goto(base + proposalPath);
			await fitsWidth(phone, 'proposal');
			await phone.screenshot({ path: shot('e2e-portal-proposal-360.png'), fullPage: true });
		});

		await step('7. a lot, then three of its steps at once', async () => {
			await estPage.goto(`${base}/lots/new`);
			const form = estPage.locator('#record-form');
			await form.locator('#in-product_id').selectOption({ label: 'Giỏ mây đan tay' });
			await form.locator('#in-lot_code').fill('GM-2026-01');
			await form.locator('#in-production_date').fill('01/12/2026');
			await estPage.locator('#save').click();
			const steps = estPage.locator('#lot-steps');
			await steps.waitFor();
			const rows = [['02/12/2026', 'Chẻ nan', 'Xưởng HTX', 'Tổ 1'], ['03/12/2026', 'Đan giỏ', '', 'Tổ 2'],
				['04/12/2026', 'Sấy chống mốc', 'Xưởng HTX', '']];
			for (const [i, r] of rows.entries())
				for (const [k, col] of ['event_date', 'what', 'place', 'who'].entries())
					if (r[k]) await steps.locator(`input[name=${col}_${i + 1}]`).fill(r[k]);
			await estPage.locator('#save-steps').click();
			const table = estPage.locator('#rel-lot-events table tbody tr');
			await table.nth(2).waitFor();
			assert.equal(await table.count(), 3);
			await estPage.screenshot({ path: shot('e2e-portal-lot-steps-1366.png'), fullPage: true });
		});

		await step('8. an outcome report: written, sent, returned with a comment, sent again, accepted, counted', async () => {
			// The department accepted a support to the establishment in mid-2025.
			const p = await api('POST', '/api/v1/projects', {
				title: OUTCOME_PROJECT, kind: 'local', content_type: 'machinery', year: 2025,
				province: '33', establishment_id: estId, approved_local: 180000000,
			});
			for (const [to, date, more] of [['province_appraised', '01/03/2025'], ['approved', '01/04/2025'],
				['contracted', '01/05/2025'], ['advanced', '02/05/2025', { advanced_local: '180 triệu' }],
				['in_progress', '03/05/2025'], ['accepted', '30/06/2025']])
				await api('POST', `/api/v1/projects/${p.id}/transitions`, { to, date, ...more });
			const stat = async (indicator) => (await api('GET',
				`/api/v1/stats?indicator=${indicator}&province=33&from=2026&to=2026`)).total;
			assert.ok(!((await stat('outcomes.reports')).value > 0), 'nothing counted before');
			// The establishment writes its report from its list of supports and sends it.
			await estPage.goto(`${base}/`);
			await estPage.locator('#my-outcomes').click();
			const row = estPage.locator('#outcome-supports tbody tr', { hasText: OUTCOME_PROJECT });
			assert.match(await text(row), /30\/06\/2026/);
			await row.getByRole('link', { name: 'Lập báo cáo' }).click();
			const form = estPage.locator('#record-form');
			await form.locator('#in-year').fill('2026');
			await form.locator('#in-revenue').fill('1,8 tỷ đồng');
			await form.locator('#in-workers').fill('24');
			await form.locator('#in-machine_in_use').selectOption('yes');
			await form.locator('#in-products').fill('Rổ rá, giỏ mây xuất khẩu');
			await estPage.locator('#save').click();
			await estPage.getByRole('button', { name: 'Gửi báo cáo' }).click();
			await estPage.waitForURL(/done=sent/);
			const reportPath = pathOf(estPage);
			// The department returns it with a comment, from its own list.
			await staffPage.goto(`${base}/outcomes`);
			await staffPage.locator('#outcome-supports tbody tr', { hasText: OUTCOME_PROJECT })
				.getByRole('link', { name: /Báo cáo năm 2026/ }).click();
			assert.equal(pathOf(staffPage), reportPath);
			await staffPage.locator('#outcome-actions textarea[name=note]').fill('Ghi rõ số lao động nữ trong 24 lao động');
			await staffPage.getByRole('button', { name: 'Trả lại' }).click();
			await staffPage.waitForURL(/done=saved/);
			// The establishment reads the comment, corrects and sends again.
			await estPage.goto(`${base}/outcomes`);
			const back = estPage.locator('#outcome-supports tbody tr', { hasText: OUTCOME_PROJECT });
			assert.match(await text(back), /Trả lại/);
			await back.getByRole('link', { name: /Báo cáo năm 2026/ }).click();
			await estPage.getByText('Ghi rõ số lao động nữ trong 24 lao động').waitFor();
			await estPage.locator('#edit').click();
			await estPage.locator('#record-form #in-workers').fill('26');
			await estPage.locator('#save').click();
			await estPage.getByRole('button', { name: 'Gửi báo cáo' }).click();
			await estPage.waitForURL(/done=sent/);
			assert.ok(!((await stat('outcomes.reports')).value > 0), 'sent is not counted');
			// The department accepts it: the statistics of effectiveness count it.
			await staffPage.goto(base + reportPath);
			await staffPage.getByRole('button', { name: 'Đã chấp nhận' }).click();
			await staffPage.waitForURL(/done=saved/);
			await staffPage.locator('#outcome-actions').waitFor({ state: 'detached' });
			assert.equal((await stat('outcomes.reports')).value, 1);
			assert.equal((await stat('outcomes.workers')).value, 26);
			assert.equal((await stat('outcomes.revenue')).value, 1800000000);
			await estPage.goto(`${base}/outcomes`);
			assert.match(await text(estPage.locator('#outcome-supports tbody tr', { hasText: OUTCOME_PROJECT })), /Đã chấp nhận/);
			await staffPage.screenshot({ path: shot('e2e-portal-outcome-1366.png'), fullPage: true });
		});
	} finally {
		for (const c of contexts) await c.close();
	}
});
