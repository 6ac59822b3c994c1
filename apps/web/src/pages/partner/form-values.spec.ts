import { csvRecords } from './csv-rows';
import { bodyOf, moneyText, valuesOf } from './form-values';
import { kindSpec } from './record-kinds';

describe('the record forms’ values', () => {
  it('turns money typed the local way into the API’s decimal string by string rules', () => {
    expect(moneyText('1 234,5')).toBe('1234.50');
    expect(moneyText('1234')).toBe('1234.00');
    expect(moneyText('0,07 €')).toBe('0.07');
    // Nothing is rounded or guessed: what is not money goes as typed, for the API to name the rule.
    expect(moneyText('12,345')).toBe('12.345');
    expect(moneyText('abc')).toBe('abc');
  });

  it('builds the body by the fields’ paths: whole numbers as numbers, empty fields left out, fixed values added', () => {
    const body = bodyOf(kindSpec('service-delivered'), {
      occurredOn: '2024-06-14',
      durationMinutes: '45',
      'recipient.personalCode': ' 445 0301 1013 ',
      workerRef: '',
    });
    expect(body).toEqual({ occurredOn: '2024-06-14', durationMinutes: 45, recipient: { personalCode: '44503011013' } });
    expect(bodyOf(kindSpec('service-delivered'), { durationMinutes: '4.5' }).durationMinutes).toBe('4.5');
    expect(bodyOf(kindSpec('vehicle'), { unitPrice: '100' })).toEqual({ unitPrice: '100.00', category: 'vehicle' });
  });

  it('fills a correction with the current values, money from cents, and never the recipient', () => {
    const values = valuesOf(kindSpec('equipment-procured'), {
      kind: 'equipment-procured',
      quantity: 2,
      unitPriceCents: 150005,
      total: '3000.10',
      recipient: { pseudonym: 'x' },
    });
    expect(values).toEqual({ quantity: '2', unitPrice: '1500.05', total: '3000.10' });
    expect(valuesOf(kindSpec('service-delivered'), { recipient: { pseudonym: 'p' } })).toEqual({});
  });

  it('reads the API’s error file: quoted fields, doubled quotes, CR LF', () => {
    const text = 'sheet,row,column,value,rule,message\r\ncsv,4,"Trukmė, min.","a""b",isInt,must be an integer\r\n';
    expect(csvRecords(text)).toEqual([
      { sheet: 'csv', row: '4', column: 'Trukmė, min.', value: 'a"b', rule: 'isInt', message: 'must be an integer' },
    ]);
  });
});
