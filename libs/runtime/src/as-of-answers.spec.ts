import { AsOfAnswers } from './as-of-answers';

describe('AsOfAnswers', () => {
  it('reads an answer once per key, and hands out copies', () => {
    const answers = new AsOfAnswers();
    let reads = 0;
    const read = () => ({ n: ++reads, rows: [1, 2] });
    const first = answers.answer('a', 0, read);
    first.rows.push(3);
    const again = answers.answer('a', 0, read);
    expect(reads).toBe(1);
    expect(again).toEqual({ n: 1, rows: [1, 2] });
    again.rows.push(4);
    expect(answers.answer('a', 0, read)).toEqual({ n: 1, rows: [1, 2] });
  });

  it('keeps answers holding bigints (amounts in cents), as bigints', () => {
    const answers = new AsOfAnswers();
    answers.answer('a', 0, () => ({ cents: 12n }));
    expect(answers.answer('a', 0, () => ({ cents: 0n }))).toEqual({ cents: 12n });
  });

  it('drops every answer once the number of erasures has moved', () => {
    const answers = new AsOfAnswers();
    answers.answer('a', 0, () => 'before');
    answers.answer('b', 0, () => 'before');
    expect(answers.answer('a', 1, () => 'after')).toBe('after');
    expect(answers.entries).toBe(1);
    expect(answers.answer('b', 1, () => 'after')).toBe('after');
  });

  it('keeps at most its entries, the least recently used out first', () => {
    const answers = new AsOfAnswers(2);
    answers.answer('a', 0, () => 'a');
    answers.answer('b', 0, () => 'b');
    answers.answer('a', 0, () => 'read again');
    answers.answer('c', 0, () => 'c');
    expect(answers.entries).toBe(2);
    expect(answers.answer('a', 0, () => 'read again')).toBe('a');
    expect(answers.answer('b', 0, () => 'read again')).toBe('read again');
  });

  it('keeps at most its size, and never an answer larger than all of it', () => {
    const answers = new AsOfAnswers(100, 25);
    answers.answer('a', 0, () => 'x'.repeat(10));
    answers.answer('b', 0, () => 'y'.repeat(10));
    answers.answer('c', 0, () => 'z'.repeat(10));
    expect(answers.entries).toBe(2);
    expect(answers.answer('a', 0, () => 'read again')).toBe('read again');
    answers.answer('huge', 0, () => 'h'.repeat(100));
    expect(answers.answer('huge', 0, () => 'read again')).toBe('read again');
  });

  it('keeps what a thread read within both bounds, under the erasures it was read with', () => {
    const answers = new AsOfAnswers(3, 50);
    for (const key of ['a', 'b', 'c', 'd']) answers.keep(key, 0, { key, pad: 'xx' });
    expect(answers.entries).toBe(2);
    expect(answers.chars).toBeLessThanOrEqual(50);
    expect(answers.get('a', 0)).toEqual({ found: false });
    expect(answers.get('d', 0)).toEqual({ found: true, value: { key: 'd', pad: 'xx' } });
    // Read before an erasure the file has since applied: dropped when asked with the new count.
    answers.keep('e', 0, 1);
    expect(answers.get('e', 1)).toEqual({ found: false });
    expect(answers.entries).toBe(0);
  });
});
