import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
const N = 1_000_000;
const ids = Array.from({ length: N }, () => randomUUID());
function t(label: string, f: () => void) { const s = process.hrtime.bigint(); f(); const ms = Number(process.hrtime.bigint() - s) / 1e6; console.log(label, ms.toFixed(0), 'ms', (ms * 1000 / N).toFixed(2), 'us/row'); }
for (const mode of ['OFF', 'WAL']) {
  rmSync('/tmp/mb/x.sqlite', { force: true }); rmSync('/tmp/mb/x.sqlite-wal', { force: true });
  const db = new Database('/tmp/mb/x.sqlite');
  db.pragma(`journal_mode = ${mode}`); db.pragma('synchronous = OFF');
  db.exec('create table r (id integer primary key, uuid text not null, partner text, kind text, a integer, b integer, c integer, d text); create table e (position integer primary key, record integer not null)');
  const ins = db.prepare('insert into r values (?, ?, ?, ?, ?, ?, ?, ?)');
  const ie = db.prepare('insert into e values (?, ?)');
  t(mode + ' insert r int pk', () => { db.transaction(() => { for (let i = 0; i < N; i++) ins.run(i + 1, ids[i], 'partner-xyz', 'service-delivered', i, 2 * i, 3, '2024-01-01'); })(); });
  t(mode + ' insert e', () => { db.transaction(() => { for (let i = 0; i < N; i++) ie.run(i + 1, i + 1); })(); });
  t(mode + ' create index uuid', () => db.exec('create unique index r_uuid on r (uuid)'));
  t(mode + ' create index e', () => db.exec('create index e_rec on e (record, position)'));
  db.close();
}
{
  rmSync('/tmp/mb/y.sqlite', { force: true });
  const db = new Database('/tmp/mb/y.sqlite'); db.pragma('journal_mode = OFF'); db.pragma('synchronous = OFF');
  db.exec('create table r (uuid text primary key, partner text, kind text, a integer, b integer, c integer, d text)');
  const ins = db.prepare('insert into r values (?, ?, ?, ?, ?, ?, ?)');
  t('random uuid pk insert', () => { db.transaction(() => { for (let i = 0; i < N; i++) ins.run(ids[i], 'partner-xyz', 'service-delivered', i, 2 * i, 3, '2024-01-01'); })(); });
}
{
  const m = new Map<string, number>();
  t('js map set', () => { for (let i = 0; i < N; i++) m.set(ids[i]!, i); });
  const s = JSON.stringify({ a: 1, b: 'xyz', c: { d: 'e' } });
  t('json parse small', () => { for (let i = 0; i < N; i++) JSON.parse(s); });
}
