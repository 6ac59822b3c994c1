import type { AgeBand } from '../project/project-definition';

export const OTHER_AGES = 'other';
export const UNKNOWN_AGE = 'unknown';

/**
 * Persons per age band of the definition, from persons per age ("unknown" when no birth year is
 * known). Ages that fall in no band go to "other", so the bands always sum to the persons counted.
 */
export function byAgeBand(
  byAge: Readonly<Record<string, number>>,
  bands: readonly AgeBand[],
): Readonly<Record<string, number>> {
  const out: Record<string, number> = Object.fromEntries(bands.map((b) => [b.id, 0]));
  out[OTHER_AGES] = 0;
  out[UNKNOWN_AGE] = 0;
  for (const [key, n] of Object.entries(byAge)) {
    const age = Number(key);
    if (key === UNKNOWN_AGE || !Number.isInteger(age)) {
      out[UNKNOWN_AGE] += n;
      continue;
    }
    const band = bands.find((b) => age >= b.minAge && (b.maxAge === null || age <= b.maxAge));
    out[band ? band.id : OTHER_AGES]! += n;
  }
  return out;
}
