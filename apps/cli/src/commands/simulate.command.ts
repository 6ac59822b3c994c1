import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vilniusDate } from '@ihl/application';
import type { MaintenanceConfig } from '@ihl/config';
import { DomainValidationError, formatMoney, parseProjectDefinition, type ProjectDefinition } from '@ihl/domain';
import { planSimulation, runSimulation, type SimulationSummary } from '@ihl/simulation';

export interface SimulateOptions {
  readonly config: MaintenanceConfig;
  readonly projectFile: string;
  readonly scale: string | undefined;
  readonly seed: string | undefined;
  readonly until: string | undefined;
  readonly now: Date;
}

/** Yesterday in Vilnius (nothing simulated lies in the future), at most the project's last day. */
export function defaultUntil(definition: ProjectDefinition, now: Date): string {
  const yesterday = vilniusDate(new Date(now.getTime() - 86_400_000));
  return yesterday < definition.period.end ? yesterday : definition.period.end;
}

function numberFlag(field: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n))
    throw new DomainValidationError([{ field, rule: 'number', message: `--${field} must be a number` }]);
  return n;
}

/**
 * `ledger simulate`: writes a seeded simulation of the project into a fresh DATA_DIR through the
 * application's commands, and leaves its summary in DATA_DIR/simulation.json.
 */
export async function runSimulate(o: SimulateOptions, log: (line: string) => void): Promise<SimulationSummary> {
  if (o.config.eventStoreConnectionString)
    throw new Error('simulate writes the embedded SQLite store only: unset EVENTSTORE_CONNECTION_STRING');
  const definition = parseProjectDefinition(JSON.parse(readFileSync(o.projectFile, 'utf8')));
  const options = {
    scale: numberFlag('scale', o.scale, 1),
    seed: numberFlag('seed', o.seed, 1),
    until: o.until ?? defaultUntil(definition, o.now),
  };
  const plan = planSimulation(definition, options);
  log(
    `simulating project ${definition.code} at scale ${options.scale}, seed ${options.seed}, ` +
      `2023-01-02..${options.until}: ${plan.figures.commands} commands into ${o.config.dataDir}`,
  );
  const summary = await runSimulation(plan, { dataDir: o.config.dataDir, privacy: o.config.privacy }, log);
  writeFileSync(join(o.config.dataDir, 'simulation.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}

const pct = (part: number, whole: number) => `${((100 * part) / Math.max(1, whole)).toFixed(1)} %`;

export function summaryLines(s: SimulationSummary): string[] {
  const f = s.figures;
  const target = s.targetPersons * s.scale;
  const envelope = s.envelopeCents * s.scale;
  return [
    `simulated ${s.events.toLocaleString('en-US')} events from ${s.commands.toLocaleString('en-US')} commands in ${s.seconds} s`,
    `  partners: ${f.partners} (behind their share: ${f.partnersBehind.join(', ') || 'none'})`,
    `  persons reached: ${f.personsReached} of ${Math.round(target)} (${pct(f.personsReached, target)}); ` +
      Object.entries(f.personsByGroup)
        .map(([g, n]) => `${g} ${n}`)
        .join(', '),
    `  records: ${f.records} (${f.corrections} corrected, ${f.voids} voided; agency verified ${f.verified}, rejected ${f.rejected})`,
    `  spent (declared, not voided): EUR ${formatMoney(f.declaredCents)} of the envelope EUR ${formatMoney(Math.round(envelope))} (${pct(f.declaredCents, envelope)}); ` +
      `eligible EUR ${formatMoney(f.eligibleCents)}, ineligible EUR ${formatMoney(f.ineligibleCents)}`,
    `  expenditures: ${f.expenditures} (${f.expenditureCorrections} corrected, ${f.expenditureVoids} voided); ${f.lockedPeriods} quarters locked`,
  ];
}
