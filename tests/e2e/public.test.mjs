// public.test.mjs - the public side in a real browser, as the "done when" says: a
// visitor on a phone finds a product of seed 000 without logging in (search without
// diacritics), opens it and sees the maker's shop; an officer uploads a photo and prints the
// lot's labels; the QR code is decoded from its PNG (zbarimg) and the visitor follows it and
// sees "Mã hợp lệ · Verified"; an altered code says "Không xác minh được". Screenshots of the
// product and trace pages go to KC_SHOTS.
//
// Env: KC_BIN (the khuyencong binary), KC_TEST_TMP (scratch dir), KC_SHOTS (screenshot dir).
// Uses Debian's chromium through playwright-core; never downloads a browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { shot, STEP_TIMEOUT, Server, serverAndBrowser, login, pathOf, stepper } from './lib.mjs';

const server = new Server('e2e-public-');
let browser;
let base;

serverAndBrowser(server, (b, url) => {
	browser = b;
	base = url;
});

const PRODUCT = 'Tinh bột nghệ Hoàng Minh Châu';
const MAKER = 'Công ty TNHH Hoàng Minh Châu Hưng Yên';
const SHOP = 'https://example.com/shop/hoang-minh-chau-tinh-bot-nghe';
/* A real 2x2 PNG. */
const PNG = Buffer.from(
	'89504e470d0a1a0a0000000d4948445200000002000000020802000000fdd49a730000001049444154789c6338512102440c100a00280e0551bc3c05cd0000000049454e44ae426082',
	'hex');

const text = async (loc) => (await loc.innerText()).trim();

test('public: find a product, scan its QR code, see that it is genuine', { timeout: 90_000 }, async (t) => {
	const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'vi-VN', isMobile: true });
	const office = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
	const visitor = await phone.newPage();
	const officer = await office.newPage();
	for (const p of [visitor, officer]) {
		p.setDefaultTimeout(STEP_TIMEOUT);
		p.setDefaultNavigationTimeout(STEP_TIMEOUT);
	}
	const step = stepper(t, server);
	let productId, lotId, signed;

	try {
		await step('1. a visitor finds the product without logging in, searching without marks', async () => {
			await visitor.goto(`${base}/san-pham`);
			assert.equal(pathOf(visitor), '/san-pham', 'no login redirect');
			await visitor.locator('#product-filters input[name=q]').fill('tinh bot nghe');
			await visitor.locator('#product-filters button[type=submit]').click();
			await visitor.waitForURL(/q=tinh\+bot\+nghe/);
			const cards = visitor.locator('#products a.pcard');
			assert.equal(await cards.count(), 1);
			assert.equal(await text(cards.first().locator('.pname')), PRODUCT);
			await cards.first().click();
			await visitor.locator('#product').waitFor();
			productId = /\/san-pham\/(\d+)$/.exec(pathOf(visitor))[1];
			assert.equal(await text(visitor.locator('main h1')), PRODUCT);
			assert.equal(await text(visitor.locator('#maker a')), MAKER);
			// The maker's shop is a button; no staff menu on a public page.
			const shop = visitor.locator('#channels a.button.channel').first();
			assert.equal(await shop.getAttribute('href'), SHOP);
			assert.equal(await visitor.locator('nav.nav').count(), 0);
			// Readable on a phone: nothing wider than the screen.
			const overflow = await visitor.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
			assert.ok(overflow <= 1, `the page is ${overflow}px wider than the phone`);
		});

		await step('2. an officer uploads a photo and finds the lot, its QR code and labels', async () => {
			await login(officer, base, 'admin', server.adminPassword);
			await officer.goto(`${base}/products/${productId}`);
			const file = path.join(server.scratch, 'nghe.png');
			writeFileSync(file, PNG);
			await officer.locator('#photo-upload input[type=file]').setInputFiles(file);
			await officer.locator('#photo-upload button[type=submit]').click();
			await officer.locator('p.ok[role=status]').waitFor();
			assert.equal(await officer.locator('#photos .thumbs img').count(), 1);
			await officer.locator('#rel-lots table.records a').first().click();
			await officer.locator('#qr-image').waitFor();
			lotId = /\/lots\/(\d+)$/.exec(pathOf(officer))[1];
			signed = await text(officer.locator('#trace-url'));
			assert.match(signed, /\/01\/02000000000015\/10\/HMC-2025-031\?s=[A-Za-z0-9_-]{86}$/);
			const pdf = await officer.request.get(`${base}/lots/${lotId}/labels.pdf?size=30&count=10`);
			assert.equal(pdf.status(), 200);
			assert.equal((await pdf.body()).subarray(0, 4).toString(), '%PDF');
		});

		await step('3. the QR code decodes (zbarimg) to the signed URL', async () => {
			const png = await visitor.request.get(`${base}/t/${lotId}/qr.png`);
			assert.equal(png.status(), 200);
			const file = path.join(server.scratch, 'qr.png');
			writeFileSync(file, await png.body());
			const z = spawnSync('zbarimg', ['-q', '--raw', file], { encoding: 'utf8' });
			assert.equal(z.status, 0, `zbarimg: ${z.stderr}`);
			assert.equal(z.stdout.trim(), signed);
		});

		await step('4. the visitor follows the code and sees it is genuine', async () => {
			await visitor.goto(signed);
			const status = visitor.locator('#trace-status');
			await status.waitFor();
			assert.equal(await status.getAttribute('data-verified'), '1');
			assert.match(await text(status), /Mã hợp lệ · Verified/);
			assert.equal(await text(visitor.locator('#lot-code')), 'HMC-2025-031');
			assert.equal(await visitor.locator('#recall').count(), 0);
			assert.ok((await visitor.locator('#events li').count()) >= 3);
			assert.equal(await visitor.locator('#channels a.channel').first().getAttribute('href'), SHOP);
			await visitor.screenshot({ path: shot('e2e-public-trace-phone.png'), fullPage: true });
			await visitor.locator('#product-link').click();
			await visitor.locator('#gallery img').first().waitFor();
			assert.equal(await visitor.locator('#gallery img').first().evaluate((img) => img.naturalWidth), 2);
			await visitor.screenshot({ path: shot('e2e-public-product-phone.png'), fullPage: true });
		});

		await step('5. an altered code is shown as not verified', async () => {
			const res = await visitor.goto(signed.replace(/s=.{4}/, 's=AAAA'));
			assert.equal(res.status(), 200);
			const status = visitor.locator('#trace-status');
			assert.equal(await status.getAttribute('data-verified'), '0');
			assert.match(await text(status), /Không xác minh được · Not verified/);
		});
	} finally {
		await phone.close();
		await office.close();
	}
});
