import { verdictOf } from './verdict';

describe('a verdict from the verification form', () => {
  it('eligible in full needs no reason', () => {
    expect(verdictOf('45000.00', { choice: 'full', eligibleTyped: '', reason: '' })).toEqual({
      verdict: { eligible: '45000.00', ineligible: '0.00' },
    });
  });

  it('a part: the rest is ineligible, to the cent, and needs a reason', () => {
    expect(verdictOf('45000.00', { choice: 'part', eligibleTyped: '40 000,01', reason: 'Per daug valandų' })).toEqual({
      verdict: { eligible: '40000.01', ineligible: '4999.99', note: 'Per daug valandų' },
    });
    expect(verdictOf('45000.00', { choice: 'part', eligibleTyped: '40000', reason: ' ' })).toEqual({ error: 'reason' });
    expect(verdictOf('45000.00', { choice: 'part', eligibleTyped: '45000.01', reason: 'x' })).toEqual({
      error: 'amount',
    });
    expect(verdictOf('45000.00', { choice: 'part', eligibleTyped: 'daug', reason: 'x' })).toEqual({ error: 'amount' });
  });

  it('ineligible: all of it, with the reason', () => {
    expect(verdictOf('10.50', { choice: 'none', eligibleTyped: '', reason: 'Nėra sąskaitos' })).toEqual({
      verdict: { eligible: '0.00', ineligible: '10.50', note: 'Nėra sąskaitos' },
    });
    expect(verdictOf('10.50', { choice: 'none', eligibleTyped: '', reason: '' })).toEqual({ error: 'reason' });
  });
});
