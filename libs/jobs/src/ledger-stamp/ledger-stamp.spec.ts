import { findLedgerStamp, stampCsv, stampJson, stampText, stampXml, type LedgerStamp } from './ledger-stamp';

const stamp: LedgerStamp = {
  position: 42,
  checkpoint: {
    position: 40,
    hash: 'ab'.repeat(32),
    takenAt: '2024-06-15T10:00:00.000Z',
    keyId: '0123456789abcdef',
    signature: `${'A'.repeat(86)}==`,
  },
};

describe('ledger stamp: where each format carries the checkpoint, and reading it back', () => {
  it('reads back the position and the checkpoint from the text it wrote', () => {
    expect(findLedgerStamp(`x ${stampText(stamp)} y`)).toEqual(stamp);
  });

  it('takes a token without a position as built at the checkpoint', () => {
    const token = stampText(stamp).replace('IHL-POSITION/1:42 ', '');
    expect(findLedgerStamp(token)).toEqual({ ...stamp, position: 40 });
    expect(findLedgerStamp('no token here')).toBeNull();
  });

  it('CSV: a first comment line, after the BOM and with the file’s own line ends', () => {
    expect(stampCsv('a,b\n1,2\n', stamp)).toBe(`# ${stampText(stamp)}\na,b\n1,2\n`);
    expect(stampCsv('\uFEFFa;b\r\n1;2\r\n', stamp)).toBe(`\uFEFF# ${stampText(stamp)}\r\na;b\r\n1;2\r\n`);
    expect(stampCsv('a,b\n', null)).toBe('a,b\n');
  });

  it('JSON gets a field, XML a comment after its declaration; nothing without a checkpoint', () => {
    expect(stampJson({ position: 42 }, stamp)).toEqual({
      position: 42,
      ledgerCheckpoint: { position: 42, token: stampText(stamp) },
    });
    expect(stampXml('<?xml version="1.0"?><a/>', stamp)).toBe(
      `<?xml version="1.0"?>\n<!-- ${stampText(stamp)} --><a/>`,
    );
    expect(stampJson({ position: 1 }, null)).toEqual({ position: 1 });
  });
});
