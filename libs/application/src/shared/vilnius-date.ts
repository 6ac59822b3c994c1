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

/**
 * The last millisecond of a Vilnius calendar day, as an instant. Found by bisection on vilniusDate
 * rather than a fixed offset, so daylight-saving days come out right.
 */
export function endOfVilniusDay(date: IsoDate): Date {
  // Vilnius is UTC+2 or +3: noon UTC is on that day there, noon UTC the next day is not.
  let lo = Date.parse(`${date}T12:00:00.000Z`);
  let hi = lo + 86_400_000;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (vilniusDate(new Date(mid)) > date) hi = mid;
    else lo = mid;
  }
  return new Date(lo);
}
