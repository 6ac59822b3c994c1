import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

let built: string | undefined;

/** Builds the web app once per test process into a temp dir (what `npm run build` puts in dist/web). */
export function buildWebApp(): string {
  if (!built) {
    const dir = join(mkdtempSync(join(tmpdir(), 'ihl-web-')), 'web');
    execFileSync(process.execPath, [join(__dirname, '../../scripts/build-web.mjs'), dir], { stdio: 'pipe' });
    built = dir;
  }
  return built;
}
