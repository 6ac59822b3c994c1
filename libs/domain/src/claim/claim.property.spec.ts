import fc from 'fast-check';
import type { ActivityActor } from '../activity/activity.state';
import { sumCents } from '../shared/money';
import {
  claimSummary,
  decideClaim,
  evolveClaim,
  expenditureClaims,
  expenditureReleases,
  initialClaimState,
  type ClaimCandidate,
  type ClaimContext,
  type ClaimScoCandidate,
  type ClaimState,
  type ExistingClaim,
} from './claim.decider';
import { scoLineId } from './claim.events';

const finance: ActivityActor = { role: 'finance-officer' };
const ctx: ClaimContext = {
  projectStart: '2022-12-08',
  projectEnd: '2026-12-31',
  reportingPeriod: 'quarterly',
  esfPlusBp: 8500,
  nationalBp: 1500,
  today: '2026-12-31',
};
const PARTNERS = ['a-spc', 'b-spc', 'c-spc'];
const QUARTERS = ['2024-Q1', '2024-Q2', '2024-Q3', '2024-Q4'];

/** A cost as its stream would have it, and what claims did to it (claimedBy follows the claim events). */
const costArb = fc.record({
  partner: fc.nat(2),
  quarter: fc.nat(3),
  eligibleCents: fc.option(fc.integer({ min: 0, max: 5_000_000_000 }), { nil: null }),
  voided: fc.boolean(),
});
/** Finance's moves: compose for a quarter (all or a subset), withdraw or submit an earlier claim. */
const stepArb = fc.oneof(
  fc.record({
    kind: fc.constant('compose' as const),
    quarter: fc.nat(3),
    subset: fc.option(fc.array(fc.nat(29), { maxLength: 6 }), { nil: undefined, freq: 2 }),
  }),
  fc.record({ kind: fc.constant('withdraw' as const), claim: fc.nat(9) }),
  fc.record({ kind: fc.constant('submit' as const), claim: fc.nat(9) }),
  // More volume verified for an SCO option of a partner, or some of it voided (the amount falls).
  fc.record({
    kind: fc.constant('sco' as const),
    option: fc.nat(5),
    delta: fc.integer({ min: -400_000, max: 900_000 }),
  }),
);
const SCO_KEYS = PARTNERS.flatMap((p) => ['home-care-hour', 'indirect-15'].map((o) => [o, p] as const));

/** What live claims carry of each SCO line, by its key. */
function scoClaimedOf(claims: readonly ClaimState[]): Record<string, number> {
  const claimed: Record<string, number> = {};
  for (const c of claims)
    if (c.status !== 'none' && c.status !== 'withdrawn')
      for (const l of c.lines) if (l.sco) claimed[l.expenditureId] = (claimed[l.expenditureId] ?? 0) + l.eligibleCents;
  return claimed;
}

describe('payment claims, whatever finance does', () => {
  it('never claim a cost or an SCO amount twice, claim each SCO amount exactly, and every claim total is the sum of its lines and of its partners', () => {
    fc.assert(
      fc.property(
        fc.array(costArb, { minLength: 1, maxLength: 30 }),
        fc.array(stepArb, { minLength: 8, maxLength: 25 }),
        (costs, steps) => {
          const claimedBy = new Map<string, string>();
          const claims: ClaimState[] = [];
          const scoUpto = new Map<string, number>();
          const scoMax = new Map<string, number>();
          const scoCandidates = (): ClaimScoCandidate[] =>
            // As the application reads them: the options with an amount, and those claimed before whose amount is now nil.
            SCO_KEYS.filter(
              ([o, p]) => (scoUpto.get(scoLineId(o, p)) ?? 0) > 0 || scoLineId(o, p) in scoClaimedOf(claims),
            ).map(([o, p]) => ({
              scoId: o,
              type: o === 'indirect-15' ? 'flat-rate' : 'unit-cost',
              partnerId: p,
              categoryId: o === 'indirect-15' ? 'indirect' : 'services',
              records: 1,
              uptoCents: scoUpto.get(scoLineId(o, p))!,
            }));
          const candidates = (): ClaimCandidate[] =>
            costs.map((c, i) => ({
              expenditureId: `e${i}`,
              partnerId: PARTNERS[c.partner]!,
              categoryId: 'staff',
              occurredOn: `2024-0${c.quarter * 3 + 1}-15`,
              reportedIn: QUARTERS[c.quarter]!,
              voided: c.voided,
              eligibleCents: c.eligibleCents,
              claimedBy: claimedBy.get(`e${i}`) ?? null,
            }));
          const act = (i: number, command: Parameters<typeof decideClaim>[1]) => {
            const state = claims[i] ?? initialClaimState;
            let events;
            try {
              events = decideClaim(state, command, finance, ctx);
            } catch {
              return; // a refusal writes nothing
            }
            let next = state;
            for (const e of events) {
              next = evolveClaim(next, e);
              for (const c of expenditureClaims(e)) {
                expect(claimedBy.has(c.data.expenditureId)).toBe(false);
                claimedBy.set(c.data.expenditureId, c.data.claimId);
              }
              if (e.type === 'ClaimWithdrawn')
                for (const r of expenditureReleases(state as ExistingClaim)) claimedBy.delete(r.data.expenditureId);
            }
            claims[i] = next;
          };
          for (const s of steps) {
            if (s.kind === 'compose') {
              const ids = s.subset?.map((n) => `e${n}`);
              act(claims.length, {
                type: 'ComposeClaim',
                claimId: `c${claims.length}`,
                projectCode: 'P',
                period: QUARTERS[s.quarter]!,
                candidates: candidates(),
                scoCandidates: scoCandidates(),
                scoClaimed: scoClaimedOf(claims),
                ...(ids ? { expenditureIds: ids } : {}),
              });
              // After a full composition (or its refusal, nothing being left), the live claims' SCO
              // lines sum to each amount up to the period, to the cent: a fall came back as a negative line.
              if (!ids) {
                const claimed = scoClaimedOf(claims);
                for (const [o, p] of SCO_KEYS)
                  expect(claimed[scoLineId(o, p)] ?? 0).toBe(scoUpto.get(scoLineId(o, p)) ?? 0);
              }
            } else if (s.kind === 'sco') {
              const [o, p] = SCO_KEYS[s.option]!;
              const key = scoLineId(o, p);
              const next = Math.max(0, (scoUpto.get(key) ?? 0) + s.delta);
              scoUpto.set(key, next);
              scoMax.set(key, Math.max(next, scoMax.get(key) ?? 0));
            } else if (s.kind === 'withdraw')
              act(s.claim % Math.max(claims.length, 1), { type: 'WithdrawClaim', reason: 'recomposed' });
            else act(s.claim % Math.max(claims.length, 1), { type: 'SubmitClaim', submittedOn: '2026-12-31' });
            // What live claims carry of an SCO amount never exceeds the most it ever was.
            for (const [key, cents] of Object.entries(scoClaimedOf(claims)))
              expect(cents).toBeLessThanOrEqual(scoMax.get(key) ?? 0);
          }
          const live = claims.filter((c): c is ExistingClaim => c.status !== 'none' && c.status !== 'withdrawn');
          const lines = live.flatMap((c) => c.lines.filter((l) => !l.sco).map((l) => l.expenditureId));
          expect(new Set(lines).size).toBe(lines.length);
          expect([...claimedBy.keys()].sort()).toEqual([...lines].sort());
          for (const c of live) {
            const s = claimSummary(c);
            expect(s.totalCents).toBe(sumCents(c.lines.map((l) => l.eligibleCents)));
            for (const l of c.lines.filter((x) => x.sco))
              expect(l.eligibleCents).toBe(l.sco!.uptoCents - l.sco!.earlierCents);
            expect(new Set(c.lines.map((l) => l.expenditureId)).size).toBe(c.lines.length);
            expect(sumCents(Object.values(s.byPartner).map((p) => p.totalCents))).toBe(s.totalCents);
            expect(s.shares.esfPlusCents + s.shares.nationalCents).toBe(s.totalCents);
            expect(sumCents(Object.values(s.byPartner).map((p) => p.esfPlusCents))).toBe(s.shares.esfPlusCents);
            for (const p of Object.values(s.byPartner)) expect(p.esfPlusCents + p.nationalCents).toBe(p.totalCents);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
