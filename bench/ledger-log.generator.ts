/**
 * Writes a large, realistic ledger log through the application layer: every event comes from a
 * command sent on the Nest CommandBus, as the API sends them (partners record activities in batches
 * of up to 500, correct and void them, declare expenditure; the agency verifies, rejects, locks
 * periods and decides restatements; finance allocates and verifies expenditure).
 *
 * Deterministic: the same seed and size send the same commands in the same order (record ids,
 * dates, amounts, personal codes), with the clock pinned to the simulated day. What the application
 * itself draws at random still differs between generations: event ids (the container's UUID
 * generator) and the sealed profiles' ciphertext (per-person keys, random IVs).
 */
import Database from 'better-sqlite3';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ApproveRestatementCommand,
  CorrectActivityCommand,
  CorrectExpenditureCommand,
  DeclareExpenditureCommand,
  DeclineRestatementCommand,
  LockPeriodCommand,
  RecordActivitiesBatchCommand,
  RegisterPartnerCommand,
  RegisterProjectCommand,
  RejectActivityCommand,
  ReopenPeriodCommand,
  SetAllocationCommand,
  VerifyActivityCommand,
  VerifyExpenditureCommand,
  VoidActivityCommand,
  VoidExpenditureCommand,
  type ActivityInput,
  type Actor,
  type BatchItem,
  type Clock,
  type RequestContext,
} from '@ihl/application';
import {
  formatMoney,
  parseMoney,
  parseProjectDefinition,
  type ExpenditureFields,
  type ProjectDefinition,
  type TargetGroup,
} from '@ihl/domain';
import { SqliteEventStore } from '@ihl/event-store';
import { personalCodeCheckDigit } from '@ihl/privacy';
import { LedgerCoreModule } from '@ihl/runtime';
import { seededRandom } from './harness';

/** Bump whenever the commands generated for a seed change: it is part of the cache key. */
export const GENERATOR_VERSION = 1;

/** Secrets of the benchmark ledger only (pseudonyms and profile keys); never used elsewhere. */
export const BENCH_PRIVACY = {
  pseudonymKeyring: `1:${'5a'.repeat(32)}`,
  profileMasterKey: '6b'.repeat(32),
} as const;

export const PROJECT_FILE = join(__dirname, '../projects/07-003-P-0001.json');

export interface LogSpec {
  readonly seed: number;
  /** The log gets at least this many events (a few percent more). */
  readonly targetEvents: number;
  /** Partner municipalities, at most 60 (Visaginas, from the definition, is always one). */
  readonly partners: number;
  readonly persons: number;
}

export interface LogSummary {
  readonly seed: number;
  readonly targetEvents: number;
  readonly generatorVersion: number;
  readonly events: number;
  /** Events in the project stream, which every write command reads and folds. */
  readonly projectStreamEvents: number;
  readonly partners: number;
  readonly persons: number;
  readonly commands: number;
  readonly byType: Record<string, number>;
  readonly seconds: number;
  readonly fileBytes: number;
}

// The 60 Lithuanian municipalities: one partner each (Visaginas is in the definition already).
const MUNICIPALITIES = [
  ['akmene', 'Akmenė'],
  ['alytaus-m', 'Alytus (city)'],
  ['alytaus-r', 'Alytus (district)'],
  ['anyksciai', 'Anykščiai'],
  ['birstonas', 'Birštonas'],
  ['birzai', 'Biržai'],
  ['druskininkai', 'Druskininkai'],
  ['elektrenai', 'Elektrėnai'],
  ['ignalina', 'Ignalina'],
  ['jonava', 'Jonava'],
  ['joniskis', 'Joniškis'],
  ['jurbarkas', 'Jurbarkas'],
  ['kaisiadorys', 'Kaišiadorys'],
  ['kalvarija', 'Kalvarija'],
  ['kauno-m', 'Kaunas (city)'],
  ['kauno-r', 'Kaunas (district)'],
  ['kazlu-ruda', 'Kazlų Rūda'],
  ['kedainiai', 'Kėdainiai'],
  ['kelme', 'Kelmė'],
  ['klaipedos-m', 'Klaipėda (city)'],
  ['klaipedos-r', 'Klaipėda (district)'],
  ['kretinga', 'Kretinga'],
  ['kupiskis', 'Kupiškis'],
  ['lazdijai', 'Lazdijai'],
  ['marijampole', 'Marijampolė'],
  ['mazeikiai', 'Mažeikiai'],
  ['moletai', 'Molėtai'],
  ['neringa', 'Neringa'],
  ['pagegiai', 'Pagėgiai'],
  ['pakruojis', 'Pakruojis'],
  ['palanga', 'Palanga'],
  ['panevezio-m', 'Panevėžys (city)'],
  ['panevezio-r', 'Panevėžys (district)'],
  ['pasvalys', 'Pasvalys'],
  ['plunge', 'Plungė'],
  ['prienai', 'Prienai'],
  ['radviliskis', 'Radviliškis'],
  ['raseiniai', 'Raseiniai'],
  ['rietavas', 'Rietavas'],
  ['rokiskis', 'Rokiškis'],
  ['skuodas', 'Skuodas'],
  ['sakiai', 'Šakiai'],
  ['salcininkai', 'Šalčininkai'],
  ['siauliu-m', 'Šiauliai (city)'],
  ['siauliu-r', 'Šiauliai (district)'],
  ['silale', 'Šilalė'],
  ['silute', 'Šilutė'],
  ['sirvintos', 'Širvintos'],
  ['svencionys', 'Švenčionys'],
  ['taurage', 'Tauragė'],
  ['telsiai', 'Telšiai'],
  ['trakai', 'Trakai'],
  ['ukmerge', 'Ukmergė'],
  ['utena', 'Utena'],
  ['varena', 'Varėna'],
  ['vilkaviskis', 'Vilkaviškis'],
  ['vilniaus-m', 'Vilnius (city)'],
  ['vilniaus-r', 'Vilnius (district)'],
  ['visaginas', 'Visaginas'],
  ['zarasai', 'Zarasai'],
] as const;

const FIRST_MONTH = { year: 2023, month: 1 };
const MONTHS = 48; // 2023-01 .. 2026-12

// Shares of the log, tuned so the total lands a few percent above the target.
const SHARE = {
  services: 0.87,
  consultations: 0.032,
  psych: 0.016,
  trainings: 0.004,
  equipment: 0.005,
  promotion: 0.006,
  correct: 0.015,
  void: 0.01,
  // A sample, as audits work; every review is one command that folds the project stream.
  review: 0.05,
  reject: 0.05, // of reviews
  expenditures: 0.009,
};

/**
 * Budget lines a partner has (every partner the first four, the largest fifth also vehicles):
 * each allocation is an event in the project stream, which every command folds, so the grid is
 * kept to the lines partners spend on.
 */
const CATEGORIES = [
  { id: 'staff', share: 0.5, min: 1500, max: 28000, everyone: true },
  { id: 'services', share: 0.25, min: 300, max: 12000, everyone: true },
  { id: 'equipment', share: 0.1, min: 80, max: 6000, everyone: true },
  { id: 'indirect', share: 0.1, min: 200, max: 7000, everyone: true },
  { id: 'vehicles', share: 0.05, min: 9000, max: 38000, everyone: false },
] as const;
type Category = (typeof CATEGORIES)[number];

interface Partner {
  readonly id: string;
  readonly municipality: string;
  readonly joinedOn: string;
  readonly weight: number;
  readonly workers: number;
  readonly categories: readonly Category[];
  readonly actor: Actor;
}

interface Person {
  readonly code: string;
  readonly birthDate: string;
  readonly sex: 'male' | 'female';
  readonly group: TargetGroup;
  readonly disability: boolean;
  readonly partners: readonly Partner[];
  readonly firstMonth: number;
  readonly lastMonth: number;
  readonly intensity: number;
  profiled: boolean;
}

interface Recorded {
  readonly activityId: string;
  readonly partner: Partner;
  input: ActivityInput;
  voided: boolean;
}

interface Expenditure {
  readonly id: string;
  readonly partner: Partner;
  fields: ExpenditureFields;
  voided: boolean;
}

const AGENCY: Actor = { subject: 'esfa-auditor-1', role: 'agency-auditor' };
const FINANCE: Actor = { subject: 'esfa-finance-1', role: 'finance-officer' };
const ADMIN: Actor = { subject: 'esfa-admin-1', role: 'admin' };

/** Pinned, advancing clock: each reading moves it by 3 ms, so recording times stay ordered. */
class SimulatedClock implements Clock {
  private t = Date.parse('2023-01-02T07:00:00Z');
  now(): Date {
    this.t += 3;
    return new Date(this.t);
  }
  /** Moves to `iso` unless it is already later. */
  at(iso: string): void {
    this.t = Math.max(this.t, Date.parse(iso));
  }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const monthOf = (m: number) => {
  const y = FIRST_MONTH.year + Math.floor((FIRST_MONTH.month - 1 + m) / 12);
  const mo = ((FIRST_MONTH.month - 1 + m) % 12) + 1;
  return { y, mo, id: `${y}-${pad(mo)}`, days: new Date(Date.UTC(y, mo, 0)).getUTCDate() };
};
const quarterOf = (m: number) => {
  const { y, mo } = monthOf(m);
  return `${y}-Q${Math.ceil(mo / 3)}`;
};
const ageOn = (birth: string, date: string) => {
  const years = Number(date.slice(0, 4)) - Number(birth.slice(0, 4));
  return date.slice(5) < birth.slice(5) ? years - 1 : years;
};

export async function generateLedgerLog(dir: string, spec: LogSpec, log: (line: string) => void): Promise<LogSummary> {
  const started = performance.now();
  const rnd = seededRandom(spec.seed);
  const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const chance = (p: number) => rnd() < p;
  /** Splits an expected count into a whole number, keeping the expectation. */
  const count = (expected: number) => Math.floor(expected + rnd());
  const uuid = () => {
    const h = Array.from({ length: 32 }, () => Math.floor(rnd() * 16).toString(16));
    h[12] = '4';
    h[16] = '89ab'[Math.floor(rnd() * 4)]!;
    const s = h.join('');
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
  };
  const money = (lo: number, hi: number) => formatMoney(between(lo * 100, hi * 100));
  const cents = (decimal: string) => {
    const c = parseMoney(decimal);
    if (c === null) throw new Error(`not a decimal amount: ${decimal}`);
    return c;
  };

  const personCount = spec.persons;
  const clock = new SimulatedClock();
  const store = new SqliteEventStore({ file: join(dir, 'events.sqlite'), clock: () => clock.now() });
  const app = await NestFactory.createApplicationContext(
    LedgerCoreModule.forRoot({ dataDir: dir, eventStore: store, clock, readModels: false, privacy: BENCH_PRIVACY }),
    { logger: false },
  );
  const bus = app.get(CommandBus);
  let commands = 0;
  const ctx = (actor: Actor): RequestContext => ({ actor, correlationId: `bench-${++commands}` });
  const send = <R>(command: object): Promise<R> => bus.execute(command);
  /** Commands on distinct streams, a few at a time: their appends share group commits, as under load. */
  const concurrently = async (jobs: (() => Promise<unknown>)[], width = 32) => {
    for (let i = 0; i < jobs.length; i += width) await Promise.all(jobs.slice(i, i + width).map((j) => j()));
  };

  try {
    // ---- project, partners, allocations
    const definition: ProjectDefinition = parseProjectDefinition(JSON.parse(readFileSync(PROJECT_FILE, 'utf8')));
    await send(new RegisterProjectCommand(definition, ctx(ADMIN)));
    const code = definition.code;
    // Visaginas first, then a seeded choice of the other municipalities.
    const chosen = [...MUNICIPALITIES]
      .map((m) => ({ m, key: m[0] === 'visaginas' ? -1 : rnd() }))
      .sort((a, b) => a.key - b.key)
      .slice(0, Math.min(spec.partners, MUNICIPALITIES.length))
      .map((x) => x.m)
      .sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const partners: Partner[] = chosen.map(([slug, name]) => {
      const existing = definition.partners.find((p) => p.municipality === name);
      const id = existing?.id ?? `${slug}-spc`;
      const joinedOn = existing?.joinedOn ?? `2023-${pad(between(1, 9))}-${pad(between(2, 28))}`;
      const weight = 0.3 + rnd() * 2.7;
      return {
        id,
        municipality: name,
        joinedOn,
        weight,
        workers: 3 + Math.round(weight * 4),
        categories: CATEGORIES.filter((c) => c.everyone || weight > 2.4),
        actor: { subject: `${id}-user`, role: 'partner-submitter', partnerId: id },
      };
    });
    for (const p of partners) {
      if (definition.partners.some((d) => d.id === p.id)) continue;
      await send(
        new RegisterPartnerCommand(
          code,
          {
            id: p.id,
            name: `${p.municipality.replace(/ \(.*\)$/, '')} socialinių paslaugų centras`,
            municipality: p.municipality,
            joinedOn: p.joinedOn,
          },
          ctx(ADMIN),
        ),
      );
    }
    const weightSum = partners.reduce((a, p) => a + p.weight, 0);
    // 90 % of the envelope, split by partner size and category share.
    const envelope = definition.envelopeCents;
    for (const p of partners) {
      for (const c of p.categories) {
        const amount = formatMoney(Math.floor((envelope * 0.9 * (p.weight / weightSum) * c.share) / 100) * 100);
        await send(new SetAllocationCommand(code, p.id, c.id, cents(amount), ctx(FINANCE)));
      }
    }
    const cells = partners.reduce((a, p) => a + p.categories.length, 0);
    log(`  project, ${partners.length} partners and ${cells} allocations registered`);

    // ---- persons: ~5,000 at full size, each served for a stretch of months by one partner (some by two)
    const usedCodes = new Set<string>();
    const persons: Person[] = [];
    const partnerPick = () => {
      let x = rnd() * weightSum;
      for (const p of partners) if ((x -= p.weight) <= 0) return p;
      return partners[partners.length - 1]!;
    };
    for (let i = 0; i < personCount; i++) {
      const r = rnd();
      const group: TargetGroup = r < 0.6 ? 'elderly' : r < 0.88 ? 'disabled-adult' : 'disabled-child';
      const year =
        group === 'elderly'
          ? between(1928, 1958)
          : group === 'disabled-adult'
            ? between(1950, 2004)
            : between(2010, 2022);
      const sex = chance(0.58) ? 'female' : 'male';
      const birthDate = `${year}-${pad(between(1, 12))}-${pad(between(1, 28))}`;
      let personalCode: string;
      do {
        const g = year < 2000 ? (sex === 'male' ? 3 : 4) : sex === 'male' ? 5 : 6;
        const ten = `${g}${birthDate.slice(2, 4)}${birthDate.slice(5, 7)}${birthDate.slice(8, 10)}${pad(between(0, 999), 3)}`;
        personalCode = ten + String(personalCodeCheckDigit(ten));
      } while (usedCodes.has(personalCode));
      usedCodes.add(personalCode);
      const home = partnerPick();
      const joined = home.joinedOn.slice(0, 7);
      // Reach ramps up over the first year and then runs steadily to the deadline.
      let first = Math.floor(Math.pow(rnd(), 0.85) * (MONTHS - 1));
      while (monthOf(first).id < joined) first++;
      const second = chance(0.06) ? partnerPick() : null;
      persons.push({
        code: personalCode,
        birthDate,
        sex,
        group,
        disability: group !== 'elderly' || chance(0.35),
        partners: second && second !== home && second.joinedOn.slice(0, 7) <= joined ? [home, second] : [home],
        firstMonth: first,
        lastMonth: Math.min(MONTHS - 1, first + between(2, 30)),
        intensity: 0.4 + rnd() * 1.6,
        profiled: false,
      });
    }
    const intensitySum = persons.reduce((a, p) => a + p.intensity * (p.lastMonth - p.firstMonth + 1), 0);
    const servicesPerIntensity = (spec.targetEvents * SHARE.services) / intensitySum;
    const activitySharePerPartnerMonth = (share: number) => (spec.targetEvents * share) / (weightSum * MONTHS);

    // ---- month by month, in the order a year of reporting happens
    let previous: Recorded[] = [];
    let previousExpenditures: Expenditure[] = [];
    let lockedLastQuarter: Recorded[] = [];
    for (let m = 0; m < MONTHS; m++) {
      const month = monthOf(m);
      const next = monthOf(m + 1);
      const day = (p: Partner, birth?: string) => {
        for (;;) {
          const d = `${month.id}-${pad(between(1, month.days))}`;
          if (d >= p.joinedOn && d >= definition.period.start && (!birth || d > birth)) return d;
          if (`${month.id}-${pad(month.days)}` < p.joinedOn) return null;
        }
      };
      // Day 1-5 of the next month: partners report the month.
      clock.at(`${next.id}-01T06:00:00Z`);
      const recorded: Recorded[] = [];
      const batches: { partner: Partner; items: BatchItem[] }[] = [];
      const byPartner = new Map<Partner, BatchItem[]>();
      const add = (p: Partner, input: ActivityInput) => {
        const activityId = uuid();
        const list = byPartner.get(p) ?? [];
        list.push({ input, activityId });
        byPartner.set(p, list);
        recorded.push({ activityId, partner: p, input, voided: false });
      };
      for (const person of persons) {
        if (m < person.firstMonth || m > person.lastMonth) continue;
        const services = count(person.intensity * servicesPerIntensity);
        for (let s = 0; s < services; s++) {
          const p = person.partners.length > 1 && chance(0.3) ? person.partners[1]! : person.partners[0]!;
          const occurredOn = day(p, person.birthDate);
          if (!occurredOn) continue;
          const age = ageOn(person.birthDate, occurredOn);
          const setting = person.group === 'disabled-child' && age < 7 && chance(0.5) ? 'pre-school' : 'home';
          const service =
            person.group === 'elderly'
              ? pick(['nursing', 'nursing', 'care', 'care', 'rehabilitation'] as const)
              : pick(['nursing', 'care', 'rehabilitation', 'rehabilitation'] as const);
          const profile = person.profiled
            ? undefined
            : { sex: person.sex, birthYear: Number(person.birthDate.slice(0, 4)), disability: person.disability };
          person.profiled = true;
          add(p, {
            kind: 'service-delivered',
            occurredOn,
            service,
            targetGroup: person.group,
            setting,
            durationMinutes: 15 * between(2, 12),
            workerRef: `w-${pad(between(1, p.workers))}`,
            ...(chance(0.4) ? { teamRef: `mobile-${between(1, 3)}` } : {}),
            recipient: { personalCode: person.code, ...(profile ? { profile } : {}) },
          });
        }
      }
      for (const p of partners) {
        if (`${month.id}-${pad(month.days)}` < p.joinedOn) continue;
        const n = (share: number) => count(activitySharePerPartnerMonth(share) * p.weight);
        for (let i = n(SHARE.consultations); i > 0; i--) {
          const d = day(p);
          if (d)
            add(p, {
              kind: 'caregiver-consultation',
              occurredOn: d,
              topic: pick(['preparing-to-care', 'help-with-own-issues'] as const),
              durationMinutes: 15 * between(2, 8),
              familyMembers: between(1, 4),
              workerRef: `w-${pad(between(1, p.workers))}`,
            });
        }
        for (let i = n(SHARE.psych); i > 0; i--) {
          const d = day(p);
          const group = chance(0.25);
          if (d)
            add(p, {
              kind: 'psychological-support',
              occurredOn: d,
              recipientKind: pick(['disabled-person', 'elderly-person', 'family-caregiver', 'worker'] as const),
              format: group ? 'group' : 'individual',
              durationMinutes: group ? 90 : 15 * between(3, 6),
              participants: group ? between(3, 12) : 1,
              workerRef: `psy-${between(1, 2)}`,
            });
        }
        for (let i = n(SHARE.trainings); i > 0; i--) {
          const d = day(p);
          if (d)
            add(p, {
              kind: 'training-held',
              occurredOn: d,
              trainingKind: pick(['competence', 'qualification'] as const),
              topic: pick(['Safe patient handling', 'Dementia care', 'First aid', 'Palliative care basics', 'Ethics']),
              durationMinutes: 60 * between(2, 16),
              participants: between(4, 30),
            });
        }
        for (let i = n(SHARE.equipment); i > 0; i--) {
          const d = day(p);
          const category = pick(['nursing-aid', 'nursing-aid', 'equipment', 'device', 'vehicle'] as const);
          const quantity = category === 'vehicle' ? 1 : between(1, 40);
          const unitPrice = category === 'vehicle' ? money(18000, 36000) : money(8, 1800);
          if (d)
            add(p, {
              kind: 'equipment-procured',
              occurredOn: d,
              category,
              description: category === 'vehicle' ? 'Car for the mobile team' : 'Hoists, beds and walking aids',
              quantity,
              unitPriceCents: cents(unitPrice),
              totalCents: cents(formatMoney(quantity * cents(unitPrice))),
              supplier: pick(['UAB Medicinos pagalba', 'UAB Slaugos prekės', 'UAB Auto centras']),
              contractRef: `SUT-${month.y}-${pad(between(1, 999), 3)}`,
            });
        }
        for (let i = n(SHARE.promotion); i > 0; i--) {
          const d = day(p);
          if (d)
            add(p, {
              kind: 'promotion-event',
              occurredOn: d,
              audience: pick(['workers', 'family-members', 'community'] as const),
              title: pick(['Informal help day', 'Caring together', 'Open doors at the centre']),
              attendees: between(8, 120),
            });
        }
      }
      for (const [partner, items] of byPartner)
        for (let i = 0; i < items.length; i += 500) batches.push({ partner, items: items.slice(i, i + 500) });
      await concurrently(
        batches.map(
          (b) => () => send(new RecordActivitiesBatchCommand(code, b.partner.id, b.items, ctx(b.partner.actor))),
        ),
        4,
      );

      // Partners fix the month before it is locked: corrections and voids of distinct records.
      clock.at(`${next.id}-06T08:00:00Z`);
      const fixes: (() => Promise<unknown>)[] = [];
      for (const r of recorded) {
        const x = rnd();
        if (x < SHARE.correct) {
          const input = corrected(r.input);
          r.input = input;
          fixes.push(() =>
            send(
              new CorrectActivityCommand(
                code,
                r.activityId,
                input,
                'Corrected after checking the visit log',
                ctx(r.partner.actor),
              ),
            ),
          );
        } else if (x < SHARE.correct + SHARE.void) {
          r.voided = true;
          fixes.push(() =>
            send(new VoidActivityCommand(code, r.activityId, 'Entered twice by mistake', ctx(r.partner.actor))),
          );
        }
      }
      await concurrently(fixes);

      // Expenditure of the month, with a few corrections and voids before the lock.
      const declared: Expenditure[] = [];
      for (const p of partners) {
        if (`${month.id}-${pad(month.days)}` < p.joinedOn) continue;
        for (let i = count(activitySharePerPartnerMonth(SHARE.expenditures) * p.weight); i > 0; i--) {
          let x = rnd() * p.categories.reduce((a, k) => a + k.share, 0);
          const c = p.categories.find((k) => (x -= k.share) <= 0) ?? p.categories[0]!;
          const occurredOn = day(p);
          if (!occurredOn) continue;
          declared.push({
            id: uuid(),
            partner: p,
            voided: false,
            fields: {
              categoryId: c.id,
              amountCents: cents(money(c.min, c.max)),
              occurredOn,
              documentRef: `INV-${month.y}-${pad(between(1, 9999), 4)}`,
              description: `${c.id} costs of ${month.id}`,
            },
          });
        }
      }
      await concurrently(
        declared.map(
          (e) => () => send(new DeclareExpenditureCommand(code, e.partner.id, e.fields, ctx(e.partner.actor), e.id)),
        ),
      );
      const expenditureFixes: (() => Promise<unknown>)[] = [];
      for (const e of declared) {
        const x = rnd();
        if (x < 0.03) {
          const fields = { ...e.fields, amountCents: Math.max(100, e.fields.amountCents - between(100, 5000)) };
          e.fields = fields;
          expenditureFixes.push(() =>
            send(new CorrectExpenditureCommand(code, e.id, fields, 'Invoice amount corrected', ctx(e.partner.actor))),
          );
        } else if (x < 0.05) {
          e.voided = true;
          expenditureFixes.push(() =>
            send(new VoidExpenditureCommand(code, e.id, 'Declared under the wrong project', ctx(e.partner.actor))),
          );
        }
      }
      await concurrently(expenditureFixes);

      // Mid-month: the agency reviews a sample of last month's records, finance verifies last month's costs.
      clock.at(`${next.id}-12T09:00:00Z`);
      const reviews: (() => Promise<unknown>)[] = [];
      for (const r of previous) {
        if (r.voided || !chance(SHARE.review)) continue;
        reviews.push(() =>
          chance(SHARE.reject)
            ? send(new RejectActivityCommand(code, r.activityId, 'No signature of the recipient', ctx(AGENCY)))
            : send(new VerifyActivityCommand(code, r.activityId, undefined, ctx(AGENCY))),
        );
      }
      for (const e of previousExpenditures) {
        if (e.voided || !chance(0.92)) continue;
        const ineligible = chance(0.15) ? Math.floor(e.fields.amountCents * rnd() * 0.3) : 0;
        const eligibleText = formatMoney(e.fields.amountCents - ineligible);
        const ineligibleText = formatMoney(ineligible);
        reviews.push(() =>
          send(
            new VerifyExpenditureCommand(
              code,
              e.id,
              cents(eligibleText),
              cents(ineligibleText),
              undefined,
              ctx(FINANCE),
              // An ineligible amount needs its reason code (as the simulation gives it).
              ineligible > 0 ? 'no-supporting-document' : undefined,
            ),
          ),
        );
      }
      await concurrently(reviews);

      // Restatements of the quarter locked last month: proposed by partners, decided by the agency.
      if (lockedLastQuarter.length > 0) {
        const proposals = lockedLastQuarter.filter((r) => !r.voided).slice(0, 6);
        for (const r of proposals) {
          const input = corrected(r.input);
          await send(
            new CorrectActivityCommand(
              code,
              r.activityId,
              input,
              'Late correction of the visit log',
              ctx(r.partner.actor),
            ),
          );
          if (chance(0.8)) {
            r.input = input;
            await send(new ApproveRestatementCommand(code, r.activityId, 'Checked against the visit log', ctx(AGENCY)));
          } else
            await send(new DeclineRestatementCommand(code, r.activityId, 'Not supported by documents', ctx(AGENCY)));
        }
        lockedLastQuarter = [];
      }

      // Day 20: the quarter just reported is locked; once a year one is reopened for a late void.
      clock.at(`${next.id}-20T10:00:00Z`);
      if (month.mo % 3 === 0) {
        await send(new LockPeriodCommand(code, quarterOf(m), `Quarter ${quarterOf(m)} reported`, ctx(AGENCY)));
        lockedLastQuarter = recorded;
        if (month.mo === 12) {
          const late = recorded.find((r) => !r.voided);
          if (late) {
            await send(new ReopenPeriodCommand(code, quarterOf(m), 'Duplicate record found by the audit', ctx(AGENCY)));
            await send(
              new VoidActivityCommand(code, late.activityId, 'Duplicate found by the audit', ctx(late.partner.actor)),
            );
            late.voided = true;
            await send(new LockPeriodCommand(code, quarterOf(m), 'Locked again after the audit', ctx(AGENCY)));
          }
        }
      }
      // Once a year finance moves money between categories of a few partners.
      if (month.mo === 6) {
        for (const p of partners.slice(0, 8)) {
          const raised = envelope * 0.9 * (p.weight / weightSum) * 0.1 * (1 + 0.02 * (month.y - 2022));
          const amount = formatMoney(Math.floor(raised / 100) * 100);
          await send(new SetAllocationCommand(code, p.id, 'equipment', cents(amount), ctx(FINANCE)));
        }
      }
      previous = recorded;
      previousExpenditures = declared;
      log(`  ${month.id}: ${recorded.length} records, ${await store.headPosition()} events so far`);
    }
  } finally {
    await app.close();
  }

  const events = await store.headPosition();
  await store.close();
  // Deterministic, so a shortfall is a tuning error of SHARE, not bad luck: fail loudly.
  if (events < spec.targetEvents)
    throw new Error(`generated ${events} events, fewer than the ${spec.targetEvents} asked for`);
  const db = new Database(join(dir, 'events.sqlite'), { readonly: true });
  const byType = Object.fromEntries(
    (
      db.prepare('select type, count(*) as n from events group by type order by 2 desc').all() as {
        type: string;
        n: number;
      }[]
    ).map((r) => [r.type, r.n]),
  );
  const projectStreamEvents = (
    db.prepare("select count(*) as n from events where stream_id like 'project-%'").get() as { n: number }
  ).n;
  const pageBytes = db.pragma('page_size', { simple: true }) as number;
  const pages = db.pragma('page_count', { simple: true }) as number;
  db.close();
  return {
    seed: spec.seed,
    targetEvents: spec.targetEvents,
    generatorVersion: GENERATOR_VERSION,
    events,
    projectStreamEvents,
    partners: Math.min(spec.partners, MUNICIPALITIES.length),
    persons: personCount,
    commands,
    byType,
    seconds: Math.round((performance.now() - started) / 100) / 10,
    fileBytes: pageBytes * pages,
  };
}

/** New values of the same kind: another duration, day or head count. */
function corrected(input: ActivityInput): ActivityInput {
  switch (input.kind) {
    case 'service-delivered': {
      const { profile: _sentOnce, ...recipient } = input.recipient;
      return { ...input, recipient, durationMinutes: input.durationMinutes === 15 ? 30 : input.durationMinutes - 15 };
    }
    case 'caregiver-consultation':
      return { ...input, familyMembers: input.familyMembers + 1 };
    case 'psychological-support':
      return { ...input, durationMinutes: input.durationMinutes + 15 };
    case 'training-held':
      return { ...input, participants: input.participants + 1 };
    case 'equipment-procured':
      return { ...input, supplier: `${input.supplier} (branch)` };
    case 'promotion-event':
      return { ...input, attendees: input.attendees + 3 };
  }
}
