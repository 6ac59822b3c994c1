import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { startLedgerTestApp, type LedgerTestApp } from './support/ledger-test-app';
import { buildWebApp } from './support/web-build';

describe('the api serves the built web app beside the API, never in its place', () => {
  let t: LedgerTestApp;
  let webDir: string;
  beforeAll(async () => {
    webDir = buildWebApp();
    t = await startLedgerTestApp(undefined, { LEDGER_WEB_DIR: webDir });
  });
  afterAll(() => t.close());

  it('answers / and every page path with the small index.html under a strict CSP', async () => {
    for (const path of ['/', '/overview', '/sign-in', '/projects/07-003-P-0001']) {
      const res = await request(t.base).get(path).expect(200);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(res.text).toMatch(/<script type="module" src="\/assets\/app-[A-Z0-9]+\.js"><\/script>/);
      // No inline script: every <script> names its source.
      expect(res.text.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
      expect(res.headers['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
      expect(res.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves hashed assets as immutable for a year, and 404 for an unknown one', async () => {
    const assets = readdirSync(join(webDir, 'assets')).filter((f) => /\.(js|css)$/.test(f));
    expect(assets.length).toBeGreaterThanOrEqual(2);
    for (const asset of assets) {
      const res = await request(t.base).get(`/assets/${asset}`).expect(200);
      expect(res.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
      expect(res.headers['content-security-policy']).toMatch(/default-src 'self'/);
    }
    await request(t.base).get('/assets/app-NOPE.js').expect(404);
  });

  it('never shadows /api, /auth, /health or the queue board: those answer as before', async () => {
    const api = await request(t.base).get('/api/v1/projects/07-003-P-0001').expect(401);
    expect(api.headers['content-type']).toMatch(/json/);
    const unknown = await request(t.base).get('/api/v1/nothing-here').expect(404);
    expect(unknown.headers['content-type']).toMatch(/json/);
    await request(t.base).get('/health').expect(200);
    const auth = await request(t.base).get('/auth/nothing-here').expect(404);
    expect(auth.headers['content-type']).toMatch(/json/);
    // The queue board (its own 503 without Redis here), not the pages' index.html.
    const board = await request(t.base).get('/admin/queues');
    expect(board.text).not.toContain('<div id="app">');
    // A path with a file extension is not a page.
    await request(t.base).get('/favicon.ico').expect(404);
  });

  it('without a built bundle, / stays 404', async () => {
    const bare = await startLedgerTestApp(undefined, { LEDGER_WEB_DIR: join(webDir, 'missing') });
    try {
      await request(bare.base).get('/').expect(404);
    } finally {
      await bare.close();
    }
  });
});
