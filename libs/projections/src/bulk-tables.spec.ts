import Database from 'better-sqlite3';
import { BulkTables } from './bulk-tables';
import { OPEN_END, WRITE_POSITION } from './versioned-tables';

function fileWith(history: boolean): Database.Database {
  const db = new Database(':memory:');
  db.exec(WRITE_POSITION.schema);
  db.exec('create table t (a text not null, b text not null, n integer not null, primary key (a, b))');
  if (history)
    db.exec(`create table t_v (a text, b text, n integer, h_from integer not null, h_to integer not null,
      primary key (a, b, h_from)) without rowid;
      create table t_k (a text, b text, primary key (a, b)) without rowid;`);
  return db;
}

const versions = (db: Database.Database) => db.prepare('select * from t_v order by a, b, h_from').raw().all();

describe('BulkTables', () => {
  it('closes a version when a row changes, keeps the last write at a position and skips an unchanged row', () => {
    const db = fileWith(true);
    const bulk = new BulkTables(db);
    const t = bulk.table('t');
    bulk.advance(1);
    t.add(['x', 'y'], [1]);
    bulk.advance(2);
    t.add(['x', 'y'], [1]);
    // The same position again: replaces the write of 2, no version [2, 2).
    t.add(['x', 'y'], [5]);
    bulk.advance(3);
    // Unchanged: no version.
    t.put(['x', 'y', 7]);
    bulk.flush();
    bulk.advance(4);
    t.put(['x', 'y', 7]);
    t.put(['x', 'z', 1]);
    bulk.advance(5);
    t.delete('x', 'z');
    bulk.finish();
    expect(versions(db)).toEqual([
      ['x', 'y', 1, 1, 2],
      ['x', 'y', 7, 2, OPEN_END],
      ['x', 'z', 1, 4, 5],
    ]);
    expect(db.prepare('select * from t').raw().all()).toEqual([['x', 'y', 7]]);
    expect(db.prepare('select * from t_k order by a, b').raw().all()).toEqual([
      ['x', 'y'],
      ['x', 'z'],
    ]);
  });

  it('a row deleted where it was written leaves no version there; a table without history gets its final rows only', () => {
    const db = fileWith(true);
    const bulk = new BulkTables(db);
    const t = bulk.table('t');
    bulk.advance(1);
    t.put(['a', 'b', 1]);
    bulk.advance(2);
    t.put(['a', 'b', 2]);
    t.delete('a', 'b');
    bulk.finish();
    expect(versions(db)).toEqual([['a', 'b', 1, 1, 2]]);
    expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 0 });

    const plain = fileWith(false);
    const other = new BulkTables(plain);
    other.advance(1);
    other.table('t').add(['a', 'b'], [3]);
    other.advance(2);
    expect(other.table('t').add(['a', 'b'], [-1])).toEqual(['a', 'b', 2]);
    other.finish();
    expect(plain.prepare('select * from t').raw().all()).toEqual([['a', 'b', 2]]);
  });

  it('refuses a table whose key is not its first columns', () => {
    const db = new Database(':memory:');
    db.exec(WRITE_POSITION.schema);
    db.exec('create table u (n integer, a text primary key)');
    expect(() => new BulkTables(db).table('u')).toThrow(/primary key as its first columns/);
  });
});
