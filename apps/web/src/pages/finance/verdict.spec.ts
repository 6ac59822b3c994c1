import { verdictOf } from './verdict';

const form = (choice: 'full' | 'part' | 'none', eligibleTyped = '', reason = '', note = '') => ({
  choice,
  eligibleTyped,
  reason,
  note,
});

describe('a verdict from the verification form', () => {
  it('eligible in full needs no reason, and sends none even if one was picked before', () => {
    expect(verdictOf('45000.00', form('full'))).toEqual({ verdict: { eligible: '45000.00', ineligible: '0.00' } });
    expect(verdictOf('45000.00', form('full', '', 'not-paid', ' Gerai '))).toEqual({
      verdict: { eligible: '45000.00', ineligible: '0.00', note: 'Gerai' },
    });
  });

  it('a part: the rest is ineligible, to the cent, and needs a reason code', () => {
    expect(verdictOf('45000.00', form('part', '40 000,01', 'calculation-error', 'Per daug valandų'))).toEqual({
      verdict: {
        eligible: '40000.01',
        ineligible: '4999.99',
        ineligibleReason: 'calculation-error',
        note: 'Per daug valandų',
      },
    });
    expect(verdictOf('45000.00', form('part', '40000', '', 'Per daug'))).toEqual({ error: 'reason' });
    expect(verdictOf('45000.00', form('part', '45000.01', 'not-paid'))).toEqual({ error: 'amount' });
    expect(verdictOf('45000.00', form('part', 'daug', 'not-paid'))).toEqual({ error: 'amount' });
  });

  it('ineligible: all of it, with the code; `other` needs a note', () => {
    expect(verdictOf('10.50', form('none', '', 'no-supporting-document'))).toEqual({
      verdict: { eligible: '0.00', ineligible: '10.50', ineligibleReason: 'no-supporting-document' },
    });
    expect(verdictOf('10.50', form('none'))).toEqual({ error: 'reason' });
    expect(verdictOf('10.50', form('none', '', 'other', '  '))).toEqual({ error: 'note' });
    expect(verdictOf('10.50', form('none', '', 'other', 'Dvigubai'))).toEqual({
      verdict: { eligible: '0.00', ineligible: '10.50', ineligibleReason: 'other', note: 'Dvigubai' },
    });
  });
});
