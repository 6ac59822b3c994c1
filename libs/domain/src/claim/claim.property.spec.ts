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
  type ClaimState,
  type ExistingClaim,
} from './claim.decider';

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
    subset: fc.option(fc.array(fc.nat(29), { maxLength: 6 }), { nil: undefined }),
  }),
  fc.record({ kind: fc.constant('withdraw' as const), claim: fc.nat(9) }),
  fc.record({ kind: fc.constant('submit' as const), claim: fc.nat(9) }),
);

describe('payment claims, whatever finance does', () => {
  it('never claim a cost twice, and every claim total is the sum of its lines and of its partners', () => {
    fc.assert(
      fc.property(
        fc.array(costArb, { minLength: 1, maxLength: 30 }),
        fc.array(stepArb, { maxLength: 25 }),
        (costs, steps) => {
          const claimedBy = new Map<string, string>();
          const claims: ClaimState[] = [];
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
                ...(ids ? { expenditureIds: ids } : {}),
              });
            } else if (s.kind === 'withdraw')
              act(s.claim % Math.max(claims.length, 1), { type: 'WithdrawClaim', reason: 'recomposed' });
            else act(s.claim % Math.max(claims.length, 1), { type: 'SubmitClaim', submittedOn: '2026-12-31' });
          }
          const live = claims.filter((c): c is ExistingClaim => c.status !== 'none' && c.status !== 'withdrawn');
          const lines = live.flatMap((c) => c.lines.map((l) => l.expenditureId));
          expect(new Set(lines).size).toBe(lines.length);
          expect([...claimedBy.keys()].sort()).toEqual([...lines].sort());
          for (const c of live) {
            const s = claimSummary(c);
            expect(s.totalCents).toBe(sumCents(c.lines.map((l) => l.eligibleCents)));
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
