/** Lithuanian number formats for the PDF pack: `1 234 567,89 €`, `4 018`, `12,5 %`. */

// A no-break space groups the digits (as Lithuanian typesetting does) so a line never breaks inside a figure.
const GROUP = '\u00a0';

function grouped(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, GROUP);
}

/** An amount in cents: `1 234 567,89 €`, exact at any size (whole cents in BigInt). */
export function eur(cents: number | bigint): string {
  const c = BigInt(cents);
  const abs = c < 0n ? -c : c;
  const fraction = String(abs % 100n).padStart(2, '0');
  return `${c < 0n ? '−' : ''}${grouped(String(abs / 100n))},${fraction}${GROUP}€`;
}

/** A count or a decimal (hours): digits grouped, decimal comma, at most `places` decimals. */
export function num(value: number, places = 0): string {
  const [whole, fraction] = Math.abs(value).toFixed(places).split('.');
  const shown = fraction && /[1-9]/.test(fraction) ? `,${fraction.replace(/0+$/, '')}` : '';
  return `${value < 0 ? '−' : ''}${grouped(whole!)}${shown}`;
}

/** A share of 1 as a percentage: `12,5 %`. */
export const percent = (share: number) => `${num(share * 100, 1)}${GROUP}%`;

/** An instant as Vilnius wall-clock time `YYYY-MM-DD HH:mm` (the time zone the agency reads in). */
export function vilniusMinute(iso: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/Vilnius',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(iso));
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}`;
}

/** The Lithuanian name of a code the ledger stores (target group, sex, service...); the code if none. */
export function lt(code: string): string {
  return LABELS[code] ?? ageBand(code) ?? code;
}

/** The definition's age bands (`under-18`, `18-29`, `55-plus`) as Lithuanian reads them. */
function ageBand(code: string): string | null {
  const under = /^under-(\d+)$/.exec(code);
  if (under) return `Iki ${under[1]} m.`;
  const plus = /^(\d+)-plus$/.exec(code);
  if (plus) return `${plus[1]} m. ir vyresni`;
  const range = /^(\d+)-(\d+)$/.exec(code);
  return range ? `${range[1]}–${range[2]} m.` : null;
}

const LABELS: Readonly<Record<string, string>> = {
  'disabled-child': 'Vaikai su negalia',
  'disabled-adult': 'Suaugusieji su negalia',
  elderly: 'Senyvo amžiaus asmenys',
  female: 'Moterys',
  male: 'Vyrai',
  'non-binary': 'Nebinariai',
  unknown: 'Nežinoma',
  other: 'Kita',
  yes: 'Su negalia',
  no: 'Be negalios',
  nursing: 'Slauga',
  rehabilitation: 'Reabilitacija',
  care: 'Priežiūra',
  home: 'Namuose',
  'pre-school': 'Ikimokyklinėje įstaigoje',
  staff: 'Darbuotojų išlaidos',
  services: 'Paslaugos',
  equipment: 'Įranga',
  vehicles: 'Transporto priemonės',
  training: 'Mokymai',
  promotion: 'Renginiai',
  indirect: 'Netiesioginės išlaidos',
};
