// The requests of the hostile load test (test/hostile-load.e2e-spec.ts): valid writes, and the bad
// requests with the answer each must get. Kept apart from the test so the test reads as the run.
import { mintToken } from '@ihl/auth';
import { SECRET } from './crash-round';

export const PROJECT = '/api/v1/projects/07-003-P-0001';
const ISSUER = 'integral-help-ledger';

export interface Shot {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly token?: string;
  /** Sent as it is (malformed JSON, bytes that are not UTF-8, a stream without a length); absent: no body. */
  readonly body?: string | Uint8Array | (() => ReadableStream<Uint8Array>);
  readonly key?: string;
  /** More headers (Content-Encoding, If-Match, another Content-Type). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A valid write and where its id comes back. */
export interface ValidWrite {
  readonly shot: Shot & { readonly body: string; readonly key: string };
  readonly collection: 'activities' | 'expenditures';
  readonly idField: 'activityId' | 'expenditureId';
  readonly eventType: string;
}

/** A token per subject (each has its own rate-limit budget): partners, an auditor, an admin. */
export async function tokenFor(
  subject: string,
  role: 'partner-submitter' | 'agency-auditor' | 'admin',
  partnerId?: string,
): Promise<string> {
  return mintToken({ secret: SECRET, issuer: ISSUER }, { subject, role, ...(partnerId ? { partnerId } : {}) });
}

/** A record date inside the project and after both partners joined, spread over 2024. */
const dayOf = (n: number) => `2024-${String(1 + (n % 12)).padStart(2, '0')}-${String(1 + (n % 28)).padStart(2, '0')}`;

export function validWrite(token: string, key: string, n: number): ValidWrite {
  const on = dayOf(n);
  switch (n % 3) {
    case 0:
      return {
        shot: {
          method: 'POST',
          path: `${PROJECT}/activities/trainings`,
          token,
          key,
          body: JSON.stringify({
            occurredOn: on,
            trainingKind: 'competence',
            topic: `Topic ${n}`,
            durationMinutes: 60,
            participants: 1 + (n % 20),
          }),
        },
        collection: 'activities',
        idField: 'activityId',
        eventType: 'TrainingHeld',
      };
    case 1:
      return {
        shot: {
          method: 'POST',
          path: `${PROJECT}/activities/promotion-events`,
          token,
          key,
          body: JSON.stringify({
            occurredOn: on,
            audience: 'community',
            title: `Open day ${n}`,
            attendees: 1 + (n % 90),
          }),
        },
        collection: 'activities',
        idField: 'activityId',
        eventType: 'InformalHelpEventHeld',
      };
    default:
      return {
        shot: {
          method: 'POST',
          path: `${PROJECT}/expenditures`,
          token,
          key,
          body: JSON.stringify({
            categoryId: 'staff',
            amount: `${1 + (n % 500)}.${String(n % 100).padStart(2, '0')}`,
            occurredOn: on,
            documentRef: `INV-${n}`,
            description: `Hostile load ${n}`,
          }),
        },
        collection: 'expenditures',
        idField: 'expenditureId',
        eventType: 'ExpenditureDeclared',
      };
  }
}

/** What a bad request must be answered with: these statuses, and an issue or message naming `field`. */
export interface BadShot {
  readonly kind: string;
  readonly shot: Shot;
  readonly statuses: readonly number[];
  /** The field the answer names (an issue's field, or the message's start); absent: a message only. */
  readonly field?: string;
}

const training = {
  occurredOn: '2024-03-01',
  trainingKind: 'competence',
  topic: 'Bad',
  durationMinutes: 60,
  participants: 3,
};

/** Tokens that must not pass: another key, alg none, expired, another issuer. */
export async function forgedTokens(): Promise<Record<string, string>> {
  const actor = { subject: 'forger', role: 'admin' as const };
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    sub: 'forger',
    role: 'admin',
    iss: ISSUER,
    aud: 'integral-help-ledger-api',
    iat: now,
    exp: now + 3600,
  };
  return {
    'forged-signature': await mintToken({ secret: 'another-secret-that-is-long-enough-012345', issuer: ISSUER }, actor),
    'forged-alg-none': `${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`,
    'forged-expired': await mintToken({ secret: SECRET, issuer: ISSUER }, actor, {
      expiresIn: '1h',
      now: new Date(Date.now() - 3 * 3600_000),
    }),
    'forged-issuer': await mintToken({ secret: SECRET, issuer: 'someone-else' }, actor),
  };
}

export interface Attackers {
  /** Partner B's token (utena-spc), for requests about partner A's records. */
  readonly partnerB: string;
  /** Partner A's token, for bodies that are bad in themselves. */
  readonly partnerA: string;
  readonly forged: Record<string, string>;
}

/** The bad request number `n` (cycling through every kind); `victim`: an id and key partner A wrote, if any yet. */
export function badShot(
  a: Attackers,
  n: number,
  key: string,
  victim: { id: string; key: string } | undefined,
  bodyLimit: number,
): BadShot {
  const post = (path: string, body: Shot['body'], token = a.partnerA): Shot => ({
    method: 'POST',
    path,
    token,
    key,
    body,
  });
  const trainings = `${PROJECT}/activities/trainings`;
  // Until partner A has a record to aim at: a request without a token.
  const noToken: BadShot = {
    kind: 'no-token',
    shot: { method: 'GET', path: PROJECT },
    statuses: [401],
    field: 'Authorization',
  };
  const kinds: (() => BadShot)[] = [
    () => ({
      kind: 'malformed-json',
      shot: post(trainings, '{"occurredOn": "2024-03-01", "topic": '),
      statuses: [400],
      field: '(body)',
    }),
    () => ({
      kind: 'wrong-type',
      shot: post(trainings, JSON.stringify({ ...training, durationMinutes: 'sixty' })),
      statuses: [400],
      field: 'durationMinutes',
    }),
    () => ({
      kind: 'unknown-field',
      shot: post(trainings, JSON.stringify({ ...training, colour: 'red' })),
      statuses: [400],
      field: 'colour',
    }),
    () => ({
      kind: 'float-money',
      shot: post(
        `${PROJECT}/expenditures`,
        JSON.stringify({
          categoryId: 'staff',
          amount: 12.34,
          occurredOn: '2024-03-01',
          documentRef: 'X',
          description: 'float',
        }),
      ),
      statuses: [400],
      field: 'amount',
    }),
    () => ({
      kind: 'date-before-project',
      shot: post(trainings, JSON.stringify({ ...training, occurredOn: '2021-06-01' })),
      statuses: [400, 422],
      field: 'occurredOn',
    }),
    () => ({
      kind: 'date-after-project',
      shot: post(trainings, JSON.stringify({ ...training, occurredOn: '2031-06-01' })),
      statuses: [400, 422],
      field: 'occurredOn',
    }),
    () => ({
      kind: 'oversized',
      shot: post(trainings, JSON.stringify({ ...training, topic: 'x'.repeat(bodyLimit * 3) })),
      statuses: [413],
      field: '(body)',
    }),
    ...Object.entries(a.forged).map(([kind, token]) => () => ({
      kind,
      shot:
        n % 2 === 0
          ? post(trainings, JSON.stringify(training), token)
          : { method: 'GET' as const, path: PROJECT, token },
      statuses: [401],
      field: 'Authorization',
    })),
    () => ({
      kind: 'deep-nesting',
      shot: post(trainings, '['.repeat(5000) + ']'.repeat(5000)),
      statuses: [400],
      field: '(body)',
    }),
    () => ({
      kind: 'proto-key',
      shot: post(trainings, `{"__proto__": {"admin": true}, ${JSON.stringify(training).slice(1)}`),
      statuses: [400],
      field: '__proto__',
    }),
    () => ({
      kind: 'not-utf8',
      shot: post(trainings, Uint8Array.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])),
      statuses: [400],
      field: '(body)',
    }),
    () => ({
      kind: 'bad-gzip',
      shot: { ...post(trainings, JSON.stringify(training)), headers: { 'Content-Encoding': 'gzip' } },
      statuses: [400, 415],
    }),
    () => ({
      kind: 'not-json-type',
      shot: { ...post(trainings, JSON.stringify(training)), headers: { 'Content-Type': 'text/plain' } },
      statuses: [415],
      field: 'Content-Type',
    }),
    () => ({
      kind: 'bad-if-match',
      shot: {
        ...post(
          `${PROJECT}/activities/${victim?.id ?? '00000000-0000-4000-8000-000000000000'}/void`,
          JSON.stringify({ reason: 'x' }),
        ),
        headers: { 'If-Match': 'W/"not a revision' },
      },
      statuses: [400, 404, 412],
    }),
    () => ({
      kind: 'chunked-oversized',
      shot: post(trainings, () => chunked(bodyLimit * 3)),
      statuses: [413],
      field: '(body)',
    }),
    () => ({
      kind: 'other-partner-id',
      shot: post(trainings, JSON.stringify({ ...training, partnerId: 'visaginas-spc' }), a.partnerB),
      statuses: [403],
      field: 'partnerId',
    }),
    () =>
      victim
        ? {
            kind: 'other-partner-read',
            shot: { method: 'GET', path: `${PROJECT}/activities/${victim.id}`, token: a.partnerB },
            statuses: [403, 404],
          }
        : noToken,
    () =>
      victim
        ? {
            kind: 'other-partner-void',
            shot: post(`${PROJECT}/activities/${victim.id}/void`, JSON.stringify({ reason: 'not mine' }), a.partnerB),
            statuses: [403, 404],
          }
        : noToken,
    () =>
      victim
        ? {
            kind: 'key-reused-other-body',
            shot: { ...post(trainings, JSON.stringify({ ...training, topic: `reuse ${n}` })), key: victim.key },
            statuses: [409, 422],
          }
        : noToken,
  ];
  return kinds[n % kinds.length]!();
}

/** A JSON body sent in chunks without a Content-Length, longer than the limit. */
function chunked(bytes: number): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode('x'.repeat(8192));
  let sent = 0;
  return new ReadableStream({
    start(c) {
      c.enqueue(new TextEncoder().encode('{"topic": "'));
    },
    pull(c) {
      if (sent >= bytes) return c.close();
      sent += chunk.length;
      c.enqueue(chunk);
    },
  });
}
