import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '@ihl/event-store';

const ROOT = join(__dirname, '..');

describe('durability: kill -9 during a stream of acknowledged appends', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'ihl-crash-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([1, 2, 3])('loses no acknowledged event (round %i)', async (round) => {
    const file = join(dir, `events-${round}.sqlite`);
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(__dirname, 'support/append-forever.child.ts'), file],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const acked = new Map<string, number>();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    let buffer = '';
    const target = 400 * round;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`child acknowledged only ${acked.size} appends; stderr: ${stderr}`)),
        60_000,
      );
      child.stdout.on('data', (d: Buffer) => {
        buffer += d.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop()!;
        for (const line of lines) {
          const [tag, id, pos] = line.split(' ');
          if (tag === 'ACK') acked.set(id!, Number(pos));
        }
        if (acked.size >= target) {
          clearTimeout(timer);
          // SIGKILL mid-stream: appends are still in flight when the process dies.
          child.kill('SIGKILL');
          resolve();
        }
      });
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`child exited early (${code}); stderr: ${stderr}`));
      });
    });
    await new Promise((r) => child.once('close', r));

    const check = new Database(file);
    expect(check.pragma('integrity_check', { simple: true })).toBe('ok');
    check.close();
    const store = new SqliteEventStore({ file });
    const all = await store.readAll();
    await store.close();
    const stored = new Map(all.map((e) => [e.eventId, e.position]));
    const lost = [...acked.keys()].filter((id) => !stored.has(id));
    expect(lost).toEqual([]);
    for (const [id, pos] of acked) expect(stored.get(id)).toBe(pos);
    expect(all.length).toBeGreaterThanOrEqual(acked.size);
    // Positions stay dense and ordered after recovery.
    all.forEach((e, i) => expect(e.position).toBe(i + 1));
  });
});
