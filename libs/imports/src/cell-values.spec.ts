import { cellToValue, moneyText } from './cell-values';

describe('cell values (Lithuanian conventions)', () => {
  it('reads both date forms and an Excel date cell as YYYY-MM-DD', () => {
    expect(cellToValue('date', '2024-03-14')).toBe('2024-03-14');
    expect(cellToValue('date', '2024.03.14')).toBe('2024-03-14');
    expect(cellToValue('date', '2024.03.14.')).toBe('2024-03-14');
    expect(cellToValue('date', new Date(Date.UTC(2024, 2, 14)))).toBe('2024-03-14');
    // Anything else is handed on for the API's rule to refuse.
    expect(cellToValue('date', '14/03/2024')).toBe('14/03/2024');
  });

  it('reads money with a decimal comma or point to two places, without floats', () => {
    expect(moneyText('1234,57')).toBe('1234.57');
    expect(moneyText('1 234,5')).toBe('1234.50');
    expect(moneyText('1.234,56')).toBe('1234.56');
    expect(moneyText('1,234.56')).toBe('1234.56');
    expect(moneyText('12')).toBe('12.00');
    expect(moneyText('12,345')).toBe('12,345');
    expect(cellToValue('money', 1234.57)).toBe('1234.57');
    expect(cellToValue('money', 0.1 + 0.2)).toBe('0.30');
    expect(cellToValue('money', 1.234)).toBe('1.234');
  });

  it('reads whole numbers with a decimal comma, booleans in Lithuanian and English, and empty cells as absent', () => {
    expect(cellToValue('integer', '90')).toBe(90);
    expect(cellToValue('integer', '90,0')).toBe(90);
    expect(cellToValue('integer', '9,5')).toBe(9.5);
    expect(cellToValue('integer', 'daug')).toBe('daug');
    expect(cellToValue('boolean', 'Taip')).toBe(true);
    expect(cellToValue('boolean', 'ne')).toBe(false);
    expect(cellToValue('boolean', 'yes')).toBe(true);
    expect(cellToValue('text', '  ')).toBeUndefined();
    expect(cellToValue('text', null)).toBeUndefined();
    expect(cellToValue('personal-code', 34001011238)).toBe('34001011238');
  });

  it('reads a time as typed, an Excel time cell (a day fraction or a 1899-12-30 date) as HH:MM', () => {
    expect(cellToValue('time', '08:30')).toBe('08:30');
    expect(cellToValue('time', 8.5 / 24)).toBe('08:30');
    expect(cellToValue('time', new Date(Date.UTC(1899, 11, 30, 17, 5)))).toBe('17:05');
    // Not a time of day: handed on for the API's rule to refuse.
    expect(cellToValue('time', 1.5)).toBe('1.5');
    expect(cellToValue('time', '8.30 val.')).toBe('8.30 val.');
  });
});
