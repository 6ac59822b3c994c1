import type { IsoDate } from '@ihl/domain';

const VILNIUS = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Europe/Vilnius',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** Business dates are Europe/Vilnius calendar days, whatever the server's time zone. */
export function vilniusDate(instant: Date): IsoDate {
  return VILNIUS.format(instant);
}
