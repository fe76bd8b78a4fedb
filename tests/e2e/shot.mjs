// shot.mjs - developer tool: log in and screenshot pages (not a test).
// usage: node tests/e2e/shot.mjs BASE_URL USER PASSWORD OUTDIR path...
import { chromium } from 'playwright-core';
const [base, user, pass, out, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
await page.goto(base + '/login');
await page.fill('input[name=username]', user);
await page.fill('input[name=password]', pass);
await page.click('main button[type=submit]');
for (const p of paths) {
  await page.goto(base + p);
  const name = p.replace(/[^a-z0-9]+/gi, '_') || 'root';
  await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
  console.log(`${out}/${name}.png`);
}
await browser.close();
