import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
const N = 1_000_000;
const ids = Array.from({ length: N }, () => randomUUID());
function t(label: string, f: () => void) { const s = process.hrtime.bigint(); f(); const ms = Number(process.hrtime.bigint() - s) / 1e6; console.log(label, ms.toFixed(0), 'ms', (ms * 1000 / N).toFixed(2), 'us/row'); }
function fresh() { rmSync('/tmp/mb/z.sqlite', { force: true }); const db = new Database('/tmp/mb/z.sqlite'); db.pragma('journal_mode = OFF'); db.pragma('synchronous = OFF'); db.pragma('locking_mode = EXCLUSIVE'); return db; }
{
  const db = fresh();
  db.exec('create table r (id integer primary key, uuid text not null, partner text, kind text, a integer, b integer, c integer, d text)');
  const K = 50;
  const ins = db.prepare('insert into r values ' + Array(K).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(','));
  t('multirow 50x8', () => { db.transaction(() => { const args: unknown[] = []; for (let i = 0; i < N; i++) { args.push(i + 1, ids[i], 'partner-xyz', 'service-delivered', i, 2 * i, 3, '2024-01-01'); if (args.length === K * 8) { ins.run(args); args.length = 0; } } })(); });
  db.close();
}
{
  const db = fresh();
  db.exec('create table r (id integer primary key, uuid text not null, partner integer, kind integer, a integer, b integer, c integer, d integer)');
  const ins = db.prepare('insert into r values (?, ?, ?, ?, ?, ?, ?, ?)');
  t('single 8 ints+uuid', () => { db.transaction(() => { for (let i = 0; i < N; i++) ins.run(i + 1, ids[i], 7, 3, i, 2 * i, 3, 20240101); })(); });
  db.close();
}
{
  const db = fresh();
  db.exec('create table r (id integer primary key, uuid text not null, f text)');
  const ins = db.prepare('insert into r values (?, ?, ?)');
  const obj = { kind: 'service-delivered', occurredOn: '2024-01-01', service: 'home-care', setting: 'home', durationMinutes: 60, workerRef: 'w-12', recipient: { pseudonym: 'p1_' + 'ab'.repeat(32) } };
  t('single 3 cols json', () => { db.transaction(() => { for (let i = 0; i < N; i++) ins.run(i + 1, ids[i], JSON.stringify(obj)); })(); });
  db.close();
}
{
  const db = fresh();
  db.exec('create table r (id integer primary key, uuid text not null, partner text, kind text, a integer, b integer, c integer, d text)');
  const ins = db.prepare('insert into r values (?, ?, ?, ?, ?, ?, ?, ?)');
  t('single 8 (exclusive)', () => { db.transaction(() => { for (let i = 0; i < N; i++) ins.run(i + 1, ids[i], 'partner-xyz', 'service-delivered', i, 2 * i, 3, '2024-01-01'); })(); });
  db.close();
}
