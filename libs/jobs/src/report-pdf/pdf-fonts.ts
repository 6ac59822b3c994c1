import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The bundled TrueType fonts: the standard PDF fonts have no ą č ę ė į š ų ū ž. */
export const FONT_FILES = { regular: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;

/**
 * The repository's `assets/fonts`, found by walking up from this file: the same from the sources
 * (libs/jobs/src/report-pdf), from the build (dist/libs/jobs/src/report-pdf) and in tests, and in the
 * image, which keeps `assets` beside `dist`.
 */
export function fontsDir(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'assets', 'fonts');
    if (existsSync(join(candidate, FONT_FILES.regular))) return candidate;
    if (dirname(dir) === dir) throw new Error(`assets/fonts/${FONT_FILES.regular} not found above ${from}`);
  }
}
