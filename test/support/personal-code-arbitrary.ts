import fc from 'fast-check';
import { personalCodeCheckDigit } from '@ihl/privacy';

/** Valid Lithuanian personal codes: any sex, any real birth date 1800-2099 (the first digit follows the century), any serial. */
export const validPersonalCode = fc
  .record({
    male: fc.boolean(),
    date: fc.date({
      min: new Date('1800-01-01T00:00:00Z'),
      max: new Date('2099-12-31T00:00:00Z'),
      noInvalidDate: true,
    }),
    serial: fc.integer({ min: 0, max: 999 }),
  })
  .map(({ male, date, serial }) => {
    const iso = date.toISOString();
    const first = (Number(iso.slice(0, 2)) - 18) * 2 + (male ? 1 : 2);
    const ten = `${first}${iso.slice(2, 10).replace(/-/g, '')}${String(serial).padStart(3, '0')}`;
    return ten + String(personalCodeCheckDigit(ten));
  });
