import {
  SCO_VOLUMES,
  simplifiedCostLines,
  simplifiedCostTotals,
  type RegisteredProject,
  type ScoLine,
} from '@ihl/domain';
import type { ScoReportedBy, SimplifiedCostsReadModel } from './simplified-costs-read-model.port';

/** Where the audit trail shows the events behind a line (`GET …/audit?<query>`), one query per base category. */
export function auditQueriesOf(line: ScoLine, kind: string | undefined): string[] {
  const partner = `partnerId=${encodeURIComponent(line.partnerId)}`;
  if (line.type === 'unit-cost') return [`figure=volumes&kind=${kind}&${partner}`];
  if (line.type === 'lump-sum') return [];
  return line.baseCategories.map((c) => `figure=budget&categoryId=${encodeURIComponent(c)}&${partner}`);
}

/**
 * The simplified cost options of a project as computed from the read models at the query's point
 * (verified volumes, verified eligible real costs): per option and partner, then summed per partner
 * and category. Undefined when the project defines none, so budgets of projects without them do not
 * change shape. `partnerId`: that partner's lines only. `acceptedLumpSums`: the lump sums whose
 * deliverable finance had accepted at that point. `reportedBy`: only the records reported by a
 * period (what a payment claim of that period counts).
 */
export function simplifiedCostsOf(
  models: SimplifiedCostsReadModel,
  project: RegisteredProject,
  partnerId?: string,
  acceptedLumpSums: ReadonlySet<string> = new Set(),
  reportedBy?: ScoReportedBy,
) {
  const sco = project.definition.simplifiedCosts;
  if (!sco) return undefined;
  const code = project.definition.code;
  const all = simplifiedCostLines(sco, {
    volumeOf: (u) => {
      const v = SCO_VOLUMES[u.volume];
      const basis = { kind: v.kind, service: u.service, setting: u.setting };
      return models.scoVolumeSums(code, basis, reportedBy).map((r) => ({
        partnerId: r.partnerId,
        records: r.records,
        measured:
          v.column === 'records'
            ? r.records
            : v.column === 'minutes'
              ? r.minutes
              : v.column === 'people'
                ? r.people
                : r.peopleMinutes,
      }));
    },
    baseOf: (f) => models.eligibleSums(code, f.baseCategories, reportedBy),
    accepted: (l) => acceptedLumpSums.has(l.id),
  });
  const lines = partnerId ? all.filter((l) => l.partnerId === partnerId) : all;
  const kindOf = new Map(sco.unitCosts.map((u) => [u.id, SCO_VOLUMES[u.volume].kind as string]));
  return {
    rounding: 'half-up to the cent, once per option and partner',
    lines: lines.map((l) => ({
      ...l,
      audit: auditQueriesOf(l, kindOf.get(l.scoId)),
      // Exactly the records the amount counts (the `audit` queries above list wider sets).
      scoAudit: `figure=sco&optionId=${encodeURIComponent(l.scoId)}&partnerId=${encodeURIComponent(l.partnerId)}`,
    })),
    ...simplifiedCostTotals(lines),
  };
}
