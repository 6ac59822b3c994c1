import type { TargetGroup } from '@ihl/domain';
import { personalCodeCheckDigit } from '@ihl/privacy';
import { pad2, seasonOf, type SimMonth } from './simulation-calendar';
import type { PlannedPartner, PlannedPerson } from './simulation-plan';
import type { SeededRandom } from './seeded-random';

/** Months a new partner needs to reach its full intake of new persons. */
const RAMP_MONTHS = 8;

function birthDateOf(group: TargetGroup, rnd: SeededRandom): string {
  const year =
    group === 'elderly' ? rnd.int(1926, 1960) : group === 'disabled-adult' ? rnd.int(1955, 2004) : rnd.int(2009, 2022);
  return `${year}-${pad2(rnd.int(1, 12))}-${pad2(rnd.int(1, 28))}`;
}

/** A valid Lithuanian personal code for the birth date and sex, not used before. */
function personalCodeOf(birthDate: string, sex: 'male' | 'female', used: Set<string>, rnd: SeededRandom): string {
  const century = Number(birthDate.slice(0, 4)) < 2000 ? 3 : 5;
  const digit = century + (sex === 'female' ? 1 : 0);
  for (;;) {
    const ten = `${digit}${birthDate.slice(2, 4)}${birthDate.slice(5, 7)}${birthDate.slice(8, 10)}${String(rnd.int(0, 999)).padStart(3, '0')}`;
    const code = `${ten}${personalCodeCheckDigit(ten)}`;
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
  }
}

/** Picks a partner in proportion to its size and pace: partners behind take fewer persons. */
function partnerPicker(partners: readonly PlannedPartner[], rnd: SeededRandom): () => PlannedPartner {
  const total = partners.reduce((a, p) => a + p.weight * p.pace, 0);
  return () => {
    let x = rnd.next() * total;
    for (const p of partners) if ((x -= p.weight * p.pace) <= 0) return p;
    return partners[partners.length - 1]!;
  };
}

/**
 * The month of a person's first service: new persons arrive over the partner's months in the
 * project, fewer while it ramps up and in the quiet seasons, so the target is reached at the end.
 */
function firstMonthOf(partner: PlannedPartner, months: readonly SimMonth[], rnd: SeededRandom): SimMonth {
  const open = months.filter((m) => m.lastDay >= partner.joinedOn);
  const weights = open.map((m, i) => seasonOf(m.month) * Math.min(1, (i + 1) / RAMP_MONTHS));
  let x = rnd.next() * weights.reduce((a, w) => a + w, 0);
  for (let i = 0; i < open.length; i++) if ((x -= weights[i]!) <= 0) return open[i]!;
  return open[open.length - 1]!;
}

export function planPersons(
  count: number,
  partners: readonly PlannedPartner[],
  months: readonly SimMonth[],
  rnd: SeededRandom,
): PlannedPerson[] {
  const used = new Set<string>();
  const pickPartner = partnerPicker(partners, rnd);
  const persons: PlannedPerson[] = [];
  for (let i = 0; i < count; i++) {
    const r = rnd.next();
    const group: TargetGroup = r < 0.56 ? 'elderly' : r < 0.86 ? 'disabled-adult' : 'disabled-child';
    const sex = rnd.chance(group === 'elderly' ? 0.64 : 0.5) ? 'female' : 'male';
    const birthDate = birthDateOf(group, rnd);
    const partner = pickPartner();
    const first = firstMonthOf(partner, months, rnd);
    const lowest = first.firstDay < partner.joinedOn ? Number(partner.joinedOn.slice(8, 10)) : 1;
    const stay = group === 'elderly' ? rnd.int(3, 16) : rnd.int(2, 12);
    persons.push({
      personalCode: personalCodeOf(birthDate, sex, used, rnd),
      birthDate,
      sex,
      group,
      disability: group !== 'elderly' || rnd.chance(0.4),
      partner,
      firstMonth: first.index,
      lastMonth: Math.min(months.length - 1, first.index + stay - 1),
      firstDay: `${first.id}-${pad2(rnd.int(lowest, first.days))}`,
      intensity: 0.5 + rnd.next() * 1.2,
    });
  }
  return persons;
}
