import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';

/**
 * The pages' policy: scripts, styles, images and requests from this origin only; no inline script,
 * no framing, no plugins. The API's own answers are JSON and do not need it; Swagger's page (which
 * uses inline scripts) is left out on purpose.
 */
export const WEB_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths the pages never take: the API, the sign-in routes, the health probes, the queue board. */
const NOT_PAGES = /^\/(api|auth|health|admin)(\/|$)/;
/** Where `npm run build` puts the bundle, from the compiled file (dist/libs/…) or the source (libs/…). */
export function defaultWebDir(): string | undefined {
  const candidates = [resolve(__dirname, '../../../../web'), resolve(__dirname, '../../../../dist/web')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html')));
}

function securityHeaders(res: Response): void {
  res.setHeader('Content-Security-Policy', WEB_CONTENT_SECURITY_POLICY);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader('X-Frame-Options', 'DENY');
}

/** The precompressed copies the build writes beside each script and style sheet, best first. */
const PRECOMPRESSED = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;
/** The entry's script and style sheet, and the script chunks the build splits off (`chunks/`). */
const COMPRESSIBLE = /^\/(chunks\/)?[\w.-]+\.(js|css)$/;
/** A name the build gave a content hash (`app-M64SGKSW.js`): it never changes, so it is cached for ever. */
const HASHED = /-[A-Z0-9]{8}\.(js|css)(\.br|\.gz|\.LEGAL\.txt)?$/;

/** A year and immutable for a hashed name; anything else is asked again (a file under a fixed name can change). */
function assetHeaders(res: Response, path: string): void {
  securityHeaders(res);
  res.setHeader('Cache-Control', HASHED.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/** Whether an Accept-Encoding header takes an encoding (named with a q above 0, or by `*`). */
export function acceptsEncoding(header: string | undefined, encoding: string): boolean {
  const offers = (header ?? '').split(',').map((part) => {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return { name: name?.trim(), q: q === undefined ? 1 : Number(q) };
  });
  const named = offers.find((o) => o.name === encoding) ?? offers.find((o) => o.name === '*');
  return named !== undefined && named.q > 0;
}

/**
 * A script or style sheet asked for by a browser that accepts br or gzip: the request is pointed at
 * the precompressed copy, with the headers of the original (its type, `Content-Encoding`, `Vary`).
 */
function pickPrecompressed(assetsDir: string, req: Request, res: Response): void {
  if (!COMPRESSIBLE.test(req.path)) return;
  res.setHeader('Vary', 'Accept-Encoding');
  const header = req.headers['accept-encoding'];
  const found = PRECOMPRESSED.find(
    (p) => acceptsEncoding(header, p.encoding) && existsSync(join(assetsDir, `${req.path}${p.suffix}`)),
  );
  if (!found) return;
  res.type(req.path.endsWith('.js') ? 'text/javascript' : 'text/css');
  res.setHeader('Content-Encoding', found.encoding);
  req.url = `${req.path}${found.suffix}`;
}

/** The build's page-reads.json (from apps/web/src/page-reads.json): what the app itself reads from it. */
interface PageReads {
  /** The pages that open with a chart: index-charts.html, which preloads the ECharts chunk. */
  readonly chartPages: RegExp;
  /** The overview's paths, whose three reads start from the HTML for a signed-in user. */
  readonly overviewPages: RegExp;
  /** The roles the overview reads the budget for. */
  readonly budgetRoles: readonly string[];
}

function pageReads(dir: string): PageReads | undefined {
  const file = join(dir, 'page-reads.json');
  if (!existsSync(file)) return undefined;
  const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const { chartPages, overviewPages, budgetRoles } = json;
  if (typeof chartPages !== 'string' || typeof overviewPages !== 'string' || !Array.isArray(budgetRoles))
    throw new Error(`${file}: expected chartPages, overviewPages and budgetRoles`);
  return {
    chartPages: new RegExp(chartPages),
    overviewPages: new RegExp(overviewPages),
    budgetRoles: budgetRoles.map(String),
  };
}

/** What the page's HTML has the browser fetch at once: the project, and the role of the request's session. */
export interface WebBoot {
  readonly project: string | null;
  readonly roleOf: (req: Request) => string | undefined;
}

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
const preloadFetch = (href: string) => `<link rel="preload" href="${escapeHtml(href)}" as="fetch" crossorigin>\n`;

/**
 * The reads a page starts with, fetched as the HTML arrives rather than once its scripts have run:
 * the session (every page), and on the overview of a signed-in user its three reads, exactly as
 * overview-data.ts asks for them (the browser hands a preloaded answer only to the same request).
 * Not with an as-of day: the page then reads other addresses.
 */
function preloadsFor(req: Request, reads: PageReads | undefined, boot: WebBoot | undefined): string {
  let links = preloadFetch('/auth/me');
  const role = boot?.project ? boot.roleOf(req) : undefined;
  if (!reads || !boot?.project || !role || !reads.overviewPages.test(req.path) || req.query['asOf'] !== undefined)
    return links;
  const base = `/api/v1/projects/${encodeURIComponent(boot.project)}`;
  links += preloadFetch(base) + preloadFetch(`${base}/progress`);
  if (reads.budgetRoles.includes(role)) links += preloadFetch(`${base}/budget`);
  return links;
}

/**
 * Serves the bundled web app: hashed assets under /assets (the entry's, and the chunks the build
 * splits off under /assets/chunks; cached for a year, immutable) and
 * index.html, or index-charts.html on a page with a chart (never cached, so a new build is picked
 * up), with the page's first reads preloaded (`boot`), for every page path, where the app's own
 * router takes over. /api, /auth, /health and /admin (the queue board) are never answered here. Without a built bundle
 * nothing is served and `/` stays 404.
 */
export function webApp(dir: string | undefined, boot?: WebBoot): RequestHandler {
  if (!dir || !existsSync(join(dir, 'index.html'))) return (_req, _res, next) => next();
  const index = readFileSync(join(dir, 'index.html'), 'utf8');
  const chartsFile = join(dir, 'index-charts.html');
  const chartIndex = existsSync(chartsFile) ? readFileSync(chartsFile, 'utf8') : index;
  const reads = pageReads(dir);
  const assets = express.static(join(dir, 'assets'), {
    cacheControl: false,
    index: false,
    fallthrough: false,
    setHeaders: assetHeaders,
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path.startsWith('/assets/')) {
      req.url = req.url.slice('/assets'.length);
      pickPrecompressed(join(dir, 'assets'), req, res);
      return assets(req, res, (err?: unknown) => {
        if (err) return void res.status(404).type('text/plain').send('Not found');
        next();
      });
    }
    // A page path: no file extension and nothing of the API's.
    if (NOT_PAGES.test(req.path) || /\.[A-Za-z0-9]+$/.test(req.path)) return next();
    securityHeaders(res);
    res.setHeader('Cache-Control', 'no-cache');
    const html = reads?.chartPages.test(req.path) ? chartIndex : index;
    res.type('html').send(html.replace('</head>', `${preloadsFor(req, reads, boot)}</head>`));
  };
}
