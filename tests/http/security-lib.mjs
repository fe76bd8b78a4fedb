// security-lib.mjs - what every response must carry (docs/security.md); used
// by headers.test.mjs and matrix.test.mjs.
import assert from 'node:assert/strict';

/* h: a fetch Headers or a plain object of lower-case names; what: the request,
 * for the message; hsts: the server runs with --secure-cookies. */
export function checkSecurityHeaders(h, what, { hsts = false } = {}) {
  const get = (n) => (typeof h.get === 'function' ? h.get(n) : (h[n] ?? null));
  assert.equal(get('x-content-type-options'), 'nosniff', `${what}: X-Content-Type-Options`);
  assert.equal(get('referrer-policy'), 'same-origin', `${what}: Referrer-Policy`);
  assert.equal(get('x-frame-options'), 'DENY', `${what}: X-Frame-Options`);
  assert.match(get('content-security-policy') || '', /frame-ancestors 'none'/, `${what}: CSP`);
  if (hsts) assert.match(get('strict-transport-security') || '', /^max-age=\d{7,}/, `${what}: HSTS`);
  else assert.equal(get('strict-transport-security'), null, `${what}: no HSTS over plain HTTP`);
}
