import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { get } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { startLedgerTestApp, type LedgerTestApp } from './support/ledger-test-app';
import { buildWebApp } from './support/web-build';

/** The raw answer (no client-side decompression), its headers and bytes. */
function rawGet(
  url: string,
  acceptEncoding?: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, { headers: acceptEncoding === undefined ? {} : { 'Accept-Encoding': acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

describe('the web app’s scripts and styles go compressed to a browser that accepts it', () => {
  let t: LedgerTestApp;
  let webDir: string;
  let assets: string[];
  beforeAll(async () => {
    webDir = buildWebApp();
    t = await startLedgerTestApp(undefined, { LEDGER_WEB_DIR: webDir });
    assets = readdirSync(join(webDir, 'assets')).filter((f) => /\.(js|css)$/.test(f));
  });
  afterAll(() => t.close());

  it('sends the brotli copy for br, the gzip copy for gzip, the file itself otherwise, with the same type', async () => {
    expect(assets.length).toBe(2);
    for (const asset of assets) {
      const original = readFileSync(join(webDir, 'assets', asset));
      const type = asset.endsWith('.js') ? /^text\/javascript/ : /^text\/css/;
      const br = await rawGet(`${t.base}/assets/${asset}`, 'gzip, deflate, br');
      expect(br.status).toBe(200);
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-type']).toMatch(type);
      expect(br.headers['vary']).toMatch(/Accept-Encoding/);
      expect(br.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
      expect(br.body.length).toBeLessThan(original.length);
      expect(brotliDecompressSync(br.body).equals(original)).toBe(true);
      const gz = await rawGet(`${t.base}/assets/${asset}`, 'gzip');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gz.headers['content-type']).toMatch(type);
      expect(gunzipSync(gz.body).equals(original)).toBe(true);
      for (const refused of [undefined, 'identity', 'br;q=0, gzip;q=0']) {
        const plain = await rawGet(`${t.base}/assets/${asset}`, refused);
        expect(plain.headers['content-encoding']).toBeUndefined();
        expect(plain.headers['content-type']).toMatch(type);
        expect(plain.headers['vary']).toMatch(/Accept-Encoding/);
        expect(plain.body.equals(original)).toBe(true);
      }
    }
  });

  it('an unknown asset is still 404, whatever the encoding', async () => {
    expect((await rawGet(`${t.base}/assets/app-NOPE.js`, 'br')).status).toBe(404);
  });
});

describe('the script chunks the build splits off go compressed and cached like the entry', () => {
  let t: LedgerTestApp;
  let webDir: string;
  beforeAll(async () => {
    // A copy of the build with one file under a name without a hash, which must not be cached.
    webDir = join(mkdtempSync(join(tmpdir(), 'ihl-web-copy-')), 'web');
    cpSync(buildWebApp(), webDir, { recursive: true });
    writeFileSync(join(webDir, 'assets', 'chunks', 'unhashed.js'), 'export const x = 1;\n');
    t = await startLedgerTestApp(undefined, { LEDGER_WEB_DIR: webDir });
  });
  afterAll(() => t.close());

  it('each chunk: brotli for br, gzip for gzip, itself otherwise; immutable for a year', async () => {
    const chunks = readdirSync(join(webDir, 'assets', 'chunks')).filter((f) => /-[A-Z0-9]{8}\.js$/.test(f));
    expect(chunks.some((f) => f.startsWith('echarts-setup-'))).toBe(true);
    for (const chunk of chunks) {
      const original = readFileSync(join(webDir, 'assets', 'chunks', chunk));
      const path = `${t.base}/assets/chunks/${chunk}`;
      const br = await rawGet(path, 'gzip, br');
      expect(br.headers['content-encoding']).toBe('br');
      expect(br.headers['content-type']).toMatch(/^text\/javascript/);
      expect(br.headers['cache-control']).toMatch(/max-age=31536000.*immutable/);
      expect(brotliDecompressSync(br.body).equals(original)).toBe(true);
      const gz = await rawGet(path, 'gzip');
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).equals(original)).toBe(true);
      const plain = await rawGet(path);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.body.equals(original)).toBe(true);
    }
  });

  it('a name without a content hash is not cached for ever', async () => {
    const plain = await rawGet(`${t.base}/assets/chunks/unhashed.js`, 'br');
    expect(plain.status).toBe(200);
    expect(plain.headers['cache-control']).toBe('no-cache');
  });
});
