import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionStore } from './session-store';

describe('SessionStore', () => {
  let dir: string;
  let now: number;
  let store: SessionStore;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'ihl-sessions-'));
    now = Date.parse('2024-06-15T10:00:00Z');
    store = new SessionStore(join(dir, 'sessions.sqlite'), 3_600_000, () => now);
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds a session by its id until it expires, then forgets it', () => {
    const actor = { subject: 'u7', role: 'partner-submitter' as const, partnerId: 'visaginas-spc' };
    const { id, session } = store.create(actor);
    expect(store.find(id)).toEqual(session);
    expect(session.actor).toEqual(actor);
    now += 3_600_000 - 1;
    expect(store.find(id)?.actor).toEqual(actor);
    now += 1;
    expect(store.find(id)).toBeNull();
  });

  it('keeps only a hash of the id: the file gives no usable cookie', () => {
    const { id } = store.create({ subject: 'a', role: 'admin' });
    store.close();
    expect(readFileSync(join(dir, 'sessions.sqlite')).toString('latin1')).not.toContain(id);
    store = new SessionStore(join(dir, 'sessions.sqlite'), 3_600_000, () => now);
    expect(store.find(id)?.actor.subject).toBe('a');
  });

  it('ends a session at once', () => {
    const { id } = store.create({ subject: 'a', role: 'admin' });
    store.end(id);
    expect(store.find(id)).toBeNull();
    expect(store.find('no-such-id')).toBeNull();
  });

  it('gives a pending sign-in back once, and not after ten minutes', () => {
    store.beginLogin('state-1', { codeVerifier: 'v1', nonce: 'n1' });
    expect(store.takeLogin('state-1')).toEqual({ codeVerifier: 'v1', nonce: 'n1' });
    expect(store.takeLogin('state-1')).toBeNull();
    store.beginLogin('state-2', { codeVerifier: 'v2', nonce: 'n2' });
    now += 10 * 60_000;
    expect(store.takeLogin('state-2')).toBeNull();
  });
});
