// Bundles the web app (apps/web) with esbuild into dist/web (or the directory given as the first
// argument): hashed asset names under assets/, so they can be cached for ever, and a small
// index.html naming them. No inline script or style: the api serves it under a strict CSP.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = resolve(process.argv[2] ?? join(root, 'dist/web'));

rmSync(outDir, { recursive: true, force: true });
mkdirSync(join(outDir, 'assets'), { recursive: true });
const result = await build({
  entryPoints: { app: join(root, 'apps/web/src/main.tsx') },
  bundle: true,
  format: 'esm',
  target: ['es2022'],
  platform: 'browser',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: true,
  sourcemap: false,
  legalComments: 'linked',
  entryNames: '[name]-[hash]',
  // Code splitting: what only some pages need (ECharts, for the two charts) is a chunk of its own,
  // loaded by a dynamic import when such a page opens. Hashed too, so cached for ever.
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  outdir: join(outDir, 'assets'),
  metafile: true,
  tsconfig: join(root, 'apps/web/tsconfig.json'),
  logLevel: 'warning',
});
const assetsDir = join(outDir, 'assets');
const outputsOf = Object.entries(result.metafile.outputs);
const assetPath = (f) => relative(assetsDir, resolve(root, f));
// Paths under assets/: the entry's script and style sheet at its top, the chunks in chunks/.
const outputs = outputsOf.map(([f]) => assetPath(f));
const entry = outputsOf.find(([, o]) => o.entryPoint?.endsWith('main.tsx'));
const js = entry && assetPath(entry[0]);
const css = entry?.[1].cssBundle && assetPath(entry[1].cssBundle);
if (!js || !css) throw new Error(`build-web: expected a .js and a .css output, got ${outputs.join(', ')}`);
const charts = outputsOf.find(([, o]) => o.entryPoint?.endsWith('echarts-setup.ts'));
if (!charts) throw new Error(`build-web: expected the ECharts chunk, got ${outputs.join(', ')}`);
/** The scripts a script imports statically: fetched at once by modulepreload, not one after the other. */
const staticImports = ([, o]) => o.imports.filter((i) => i.kind === 'import-statement').map((i) => assetPath(i.path));
const preload = (files) => files.map((f) => `<link rel="modulepreload" href="/assets/${f}">\n`).join('');
const page = (preloads) => `<!doctype html>
<html lang="lt">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Integralios pagalbos apskaita</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/${css}">
<script type="module" src="/assets/${js}"></script>
${preloads}</head>
<body><div id="app"></div></body>
</html>
`;
const entryImports = staticImports(entry);
writeFileSync(join(outDir, 'index.html'), page(preload(entryImports)));
// The pages that draw a chart: the ECharts chunk (and what it imports) is fetched beside the entry
// rather than after the entry has run, asked for its session and opened the page.
const chartFiles = [assetPath(charts[0]), ...staticImports(charts).filter((f) => !entryImports.includes(f))];
writeFileSync(join(outDir, 'index-charts.html'), page(preload([...entryImports, ...chartFiles])));
// Which pages have a chart and which reads the overview starts with, for the api (web-app.middleware.ts)
// from the same file the app reads them from.
copyFileSync(join(root, 'apps/web/src/page-reads.json'), join(outDir, 'page-reads.json'));
// Precompressed copies beside each script and style sheet, made once here at the highest levels
// rather than on every request: the api sends one when the browser accepts it (web-app.middleware.ts).
for (const file of outputs.filter((f) => /\.(js|css)$/.test(f))) {
  const path = join(assetsDir, file);
  const bytes = readFileSync(path);
  writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
  writeFileSync(
    `${path}.br`,
    brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY } }),
  );
}
const sizes = Object.entries(result.metafile.outputs).map(
  ([f, o]) => `${relative(assetsDir, resolve(root, f))} ${Math.round(o.bytes / 1024)} KiB`,
);
console.log(`web app built into ${outDir}: ${sizes.join(', ')}`);
