import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '@ihl/domain';
import { PersonKeyStore, SEALED_PROFILE_BLOCK } from './person-key-store';
import { personalCodeCheckDigit } from './personal-code';
import { Pseudonymizer, parseKeyring } from './pseudonymizer';
import { DROPPED_REQUEST_HASH, RequestFingerprinter } from './request-fingerprinter';

const code = (firstTen: string) => firstTen + String(personalCodeCheckDigit(firstTen));
const CODE = code('4610101000');
const masterKey = Buffer.alloc(32, 4);
const ring1 = parseKeyring(`1:${'3'.repeat(64)}`);
const ring12 = parseKeyring(`1:${'3'.repeat(64)},2:${'5'.repeat(64)}`);

describe('RequestFingerprinter', () => {
  let dir: string;
  let keys: PersonKeyStore;
  const fingerprinter = (ring = ring1) => new RequestFingerprinter(ring, new Pseudonymizer(ring), keys, masterKey);
  const request = (body: unknown, path = '/api/v1/projects/P/activities/service-deliveries') => ({
    method: 'POST',
    path,
    subject: 'visaginas-user',
    body,
  });
  const visit = (profile?: object, durationMinutes = 60) => ({
    occurredOn: '2024-04-25',
    durationMinutes,
    recipient: { personalCode: CODE, ...(profile ? { profile } : {}) },
  });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-fingerprint-'));
    keys = new PersonKeyStore({ file: join(dir, 'person-keys.sqlite'), masterKey });
  });
  afterEach(() => {
    keys.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the same request matches; another body, profile, path or subject does not', () => {
    const f = fingerprinter();
    const stored = f.fingerprint(request(visit({ sex: 'female', disability: true }))).value();
    expect(stored).toMatch(/^f1:[0-9a-f]{64}:[0-9a-f]{64}$/);
    expect(f.fingerprint(request(visit({ disability: true, sex: 'female' }))).matches(stored)).toBe(true);
    expect(f.fingerprint(request(visit({ sex: 'female', disability: false }))).matches(stored)).toBe(false);
    expect(f.fingerprint(request(visit({ sex: 'female' }))).matches(stored)).toBe(false);
    expect(f.fingerprint(request(visit(undefined))).matches(stored)).toBe(false);
    expect(f.fingerprint(request(visit({ sex: 'female', disability: true }, 30))).matches(stored)).toBe(false);
    expect(f.fingerprint(request(visit({ sex: 'female', disability: true }), '/other')).matches(stored)).toBe(false);
    expect(
      f.fingerprint({ ...request(visit({ sex: 'female', disability: true })), subject: 'x' }).matches(stored),
    ).toBe(false);
    const otherPerson = {
      ...visit({ sex: 'female', disability: true }),
      recipient: { personalCode: code('4610101001') },
    };
    expect(f.fingerprint(request(otherPerson)).matches(stored)).toBe(false);
  });

  it('holds no unkeyed derivative of the code or the profile', () => {
    const f = fingerprinter();
    const body = visit({ sex: 'female', birthYear: 1961, disability: true });
    const stored = f.fingerprint(request(body)).value();
    const sha = (s: string) => createHash('sha256').update(s).digest('hex');
    for (const guess of [
      CODE,
      canonicalJson(body),
      canonicalJson(body.recipient),
      canonicalJson(body.recipient.profile),
      `POST /api/v1/projects/P/activities/service-deliveries\nvisaginas-user\n${canonicalJson(body)}`,
    ])
      expect(stored).not.toContain(sha(guess));
    expect(stored).not.toContain(CODE);
  });

  it('after an erasure the profile part cannot be compared: the rest of the request decides', () => {
    const f = fingerprinter();
    const stored = f.fingerprint(request(visit({ sex: 'female' }))).value();
    const pseudonym = new Pseudonymizer(ring1).pseudonymize(CODE).pseudonym;
    keys.erase(pseudonym);
    expect(f.fingerprint(request(visit({ sex: 'female' }))).matches(stored)).toBe(true);
    expect(f.fingerprint(request(visit({ sex: 'female' }, 30))).matches(stored)).toBe(false);
    // A digest made before the erasure is useless now: the key it was made with is gone.
    expect(f.fingerprint(request(visit({ sex: 'male' }))).value()).toMatch(/:e$/);
  });

  it('recognises fingerprints of an older key version after a rotation', () => {
    const stored = fingerprinter(ring1)
      .fingerprint(request(visit({ sex: 'male' })))
      .value();
    const rotated = fingerprinter(ring12);
    expect(rotated.fingerprint(request(visit({ sex: 'male' }))).value()).toMatch(/^f2:/);
    expect(rotated.fingerprint(request(visit({ sex: 'male' }))).matches(stored)).toBe(true);
    expect(rotated.fingerprint(request(visit({ sex: 'female' }))).matches(stored)).toBe(false);
  });

  it('recognises the old unkeyed hash, its migrated form and a dropped one (retries across the migration)', () => {
    const f = fingerprinter();
    const body = visit({ sex: 'female' });
    const r = request(body);
    const legacy = createHash('sha256')
      .update(`${r.method} ${r.path}\n${r.subject}\n${canonicalJson(body)}`)
      .digest('hex');
    expect(f.fingerprint(r).matches(legacy)).toBe(true);
    expect(f.fingerprint(request(visit({ sex: 'male' }))).matches(legacy)).toBe(false);
    const migrated = f.migrateLegacy(legacy);
    expect(migrated).toMatch(/^m:[0-9a-f]{64}$/);
    expect(f.fingerprint(r).matches(migrated)).toBe(true);
    expect(f.fingerprint(request(visit({ sex: 'male' }))).matches(migrated)).toBe(false);
    expect(f.fingerprint(r).matches(DROPPED_REQUEST_HASH)).toBe(true);
    expect(f.fingerprint(r).matches(undefined)).toBe(false);
    expect(f.fingerprint(r).matches('f9:' + '0'.repeat(64))).toBe(false);
  });

  it('fingerprints every personal code in a batch, in order', () => {
    const f = fingerprinter();
    const batch = (a: object, b: object) => ({
      records: [
        { kind: 'service-delivered', ...visit(a) },
        { kind: 'service-delivered', ...visit(b), recipient: { personalCode: code('3520202000'), profile: b } },
      ],
    });
    const stored = f.fingerprint(request(batch({ sex: 'female' }, { sex: 'male' }), '/batch')).value();
    expect(stored.split(':')[2]!.split(',')).toHaveLength(2);
    expect(f.fingerprint(request(batch({ sex: 'female' }, { sex: 'male' }), '/batch')).matches(stored)).toBe(true);
    expect(f.fingerprint(request(batch({ sex: 'male' }, { sex: 'female' }), '/batch')).matches(stored)).toBe(false);
  });
});

describe('sealed profiles', () => {
  it('have one length whatever the values (the ciphertext size tells nothing)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ihl-sealed-'));
    const keys = new PersonKeyStore({ file: join(dir, 'k.sqlite'), masterKey });
    const pseudonym = new Pseudonymizer(ring1).pseudonymize(CODE).pseudonym;
    try {
      const lengths = new Set(
        [
          {},
          { sex: 'male' },
          { sex: 'non-binary', birthYear: 1930, birthDate: '1930-01-01', disability: false },
          { sex: 'female', disability: true },
        ].map((p) => {
          const sealed = keys.encryptProfile(pseudonym, p);
          expect(keys.decryptProfile(pseudonym, sealed)).toEqual(p);
          return sealed.length;
        }),
      );
      expect(lengths.size).toBe(1);
      expect(SEALED_PROFILE_BLOCK).toBeGreaterThan(100);
    } finally {
      keys.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
