import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import request from 'supertest';
import { canonicalJson } from '@ihl/domain';
import { personalCodeCheckDigit } from '@ihl/privacy';

// The attacker's view of a ledger: codes in a small known range (women born 1961-01-01, serials
// 000-099), the bodies' shape (it is public: the API docs), and the data files and logs. The
// scenario writes a few of those persons through the API, then erases two of them.

const code = (serial: number) => {
  const firstTen = `4610101${String(serial).padStart(3, '0')}`;
  return firstTen + String(personalCodeCheckDigit(firstTen));
};
export const CANDIDATE_CODES = Array.from({ length: 100 }, (_, i) => code(i));

type Profile = { sex?: string; birthYear?: number; disability?: boolean };
export const PROFILE_GUESSES: (Profile | undefined)[] = [undefined];
for (const sex of [undefined, 'female', 'male', 'non-binary'])
  for (const birthYear of [undefined, 1961])
    for (const disability of [undefined, true, false]) {
      const p: Profile = {
        ...(sex ? { sex } : {}),
        ...(birthYear ? { birthYear } : {}),
        ...(disability !== undefined ? { disability } : {}),
      };
      if (Object.keys(p).length > 0) PROFILE_GUESSES.push(p);
    }

export const PERSONS = [
  { code: code(7), profile: { sex: 'female', birthYear: 1961, disability: true }, erased: false },
  { code: code(23), profile: { sex: 'female', birthYear: 1961, disability: true }, erased: true },
  { code: code(41), profile: { sex: 'female', disability: false }, erased: false },
  { code: code(88), profile: { sex: 'female', birthYear: 1961, disability: false }, erased: true },
];

export const SERVICE_PATH = (projectCode: string) => `/api/v1/projects/${projectCode}/activities/service-deliveries`;
export const ERASURE_PATH = '/api/v1/persons/erasures';
export const ERASURE_REASON = 'data subject request';

export function serviceBody(personalCode: string, profile: Profile | undefined) {
  return {
    occurredOn: '2024-04-10',
    service: 'nursing',
    targetGroup: 'elderly',
    setting: 'home',
    durationMinutes: 90,
    recipient: { personalCode, ...(profile ? { profile } : {}) },
    workerRef: 'nurse-07',
  };
}

export const idempotencyKeyOf = (i: number) => `visit-2024-04-10-${i}`;

/** Writes the scenario: a service for each person (with an Idempotency-Key), then two erasures. */
export async function writeScenario(
  base: string,
  projectCode: string,
  auth: { partner: string; admin: string },
): Promise<void> {
  for (const [i, p] of PERSONS.entries())
    await request(base)
      .post(SERVICE_PATH(projectCode))
      .set('Authorization', `Bearer ${auth.partner}`)
      .set('Idempotency-Key', idempotencyKeyOf(i))
      .send(serviceBody(p.code, p.profile))
      .expect(201);
  for (const p of PERSONS.filter((x) => x.erased))
    await request(base)
      .post(ERASURE_PATH)
      .set('Authorization', `Bearer ${auth.admin}`)
      .send({ personalCode: p.code, reason: ERASURE_REASON })
      .expect(201);
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const legacyRequestHash = (method: string, path: string, subject: string, body: unknown) =>
  sha256(`${method} ${path}\n${subject}\n${canonicalJson(body)}`);

export interface Found {
  readonly code: string;
  readonly profile?: Profile;
  readonly how: string;
  readonly where: string;
}

/**
 * Searches every candidate code (and every profile guess) against the given files and log lines,
 * by every unkeyed derivation the ledger uses or used: the code itself, SHA-256 of the code, of the
 * profile, and of the request bodies (service delivery and erasure) as the earlier versions hashed
 * them. Returns what it finds.
 */
export function bruteForce(
  sources: { name: string; text: string }[],
  projectCode: string,
  subjects: { partner: string; admin: string },
): Found[] {
  const hexes = new Map<string, string>();
  const digits = new Map<string, string>();
  for (const s of sources) {
    for (const m of s.text.matchAll(/[0-9a-f]{64}/g)) hexes.set(m[0], s.name);
    for (const m of s.text.matchAll(/\d{11}/g)) digits.set(m[0], s.name);
  }
  const found: Found[] = [];
  const check = (hex: string, f: Omit<Found, 'where'>) => {
    const where = hexes.get(hex);
    if (where) found.push({ ...f, where });
  };
  for (const c of CANDIDATE_CODES) {
    const plain = digits.get(c);
    if (plain) found.push({ code: c, how: 'the code in clear', where: plain });
    check(sha256(c), { code: c, how: 'SHA-256 of the code' });
    check(legacyRequestHash('POST', ERASURE_PATH, subjects.admin, { personalCode: c, reason: ERASURE_REASON }), {
      code: c,
      how: 'SHA-256 of the erasure request',
    });
    for (const profile of PROFILE_GUESSES) {
      const body = serviceBody(c, profile);
      check(legacyRequestHash('POST', SERVICE_PATH(projectCode), subjects.partner, body), {
        code: c,
        ...(profile ? { profile } : {}),
        how: 'SHA-256 of the service request',
      });
      check(sha256(canonicalJson(body.recipient)), {
        code: c,
        ...(profile ? { profile } : {}),
        how: 'SHA-256 of the recipient',
      });
    }
  }
  for (const profile of PROFILE_GUESSES.filter((p) => p !== undefined)) {
    for (const text of [canonicalJson(profile), JSON.stringify(profile)])
      check(sha256(text), { code: '', profile, how: 'SHA-256 of a profile' });
  }
  return found;
}

/** Every file below the folder, as latin1 text (bytes kept one to one). */
export function filesBelow(dir: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...filesBelow(path).map((f) => ({ ...f, name: `${name}/${f.name}` })));
    else out.push({ name, text: readFileSync(path).toString('latin1') });
  }
  return out;
}
