import {
  claimIndexStreamId,
  claimStreamId,
  deliverableStreamId,
  evolveDeliverable,
  foldClaim,
  initialDeliverableState,
  periodBounds,
  scoLineId,
  type ClaimEvent,
  type ClaimOpened,
  type ClaimScoCandidate,
  type DeliverableEvent,
  type RegisteredProject,
} from '@ihl/domain';
import type { ExpectedRevision } from '@ihl/event-store';
import type { ReadModelsPort } from '../as-of/as-of';
import { simplifiedCostsOf } from '../simplified-costs/simplified-costs.figures';
import type { StreamWriter } from '../shared/stream-writer';

/** What a claim needs to carry SCO lines: the amounts up to its period and what live claims carry of each. */
export interface ClaimScoInputs {
  readonly scoCandidates: ClaimScoCandidate[];
  readonly scoClaimed: Record<string, number>;
  /** The claim index as read: the composition appends to it at this revision, so two compositions never both count on the same claimed amounts. */
  readonly indexRevision: ExpectedRevision;
}

/** The lump sums whose deliverable is accepted and was achieved by `end`, from their own streams. */
async function acceptedLumpSums(writer: StreamWriter, project: RegisteredProject, end: string): Promise<Set<string>> {
  const code = project.definition.code;
  const accepted = new Set<string>();
  for (const l of project.definition.simplifiedCosts?.lumpSums ?? []) {
    const { events } = await writer.read<DeliverableEvent>(deliverableStreamId(code, l.id));
    const state = events.reduce(evolveDeliverable, initialDeliverableState);
    if (state.status === 'accepted' && state.submitted && state.submitted.achievedOn <= end) accepted.add(l.id);
  }
  return accepted;
}

/** What the live claims of the project carry of each SCO line (by its key), read from the claims' own streams. */
async function scoClaimedOf(writer: StreamWriter, projectCode: string) {
  const index = await writer.read<ClaimOpened>(claimIndexStreamId(projectCode));
  const claimed: Record<string, number> = {};
  const options = new Map<string, ClaimScoCandidate>();
  for (const opened of index.events) {
    const { events } = await writer.read<ClaimEvent>(claimStreamId(projectCode, opened.data.claimId));
    const claim = foldClaim(events);
    if (claim.status === 'none' || claim.status === 'withdrawn') continue;
    for (const l of claim.lines) {
      if (!l.sco) continue;
      claimed[l.expenditureId] = (claimed[l.expenditureId] ?? 0) + l.eligibleCents;
      const { scoId, type } = l.sco;
      options.set(l.expenditureId, {
        scoId,
        type,
        partnerId: l.partnerId,
        categoryId: l.categoryId,
        records: 0,
        uptoCents: 0,
      });
    }
  }
  const last = index.stored[index.stored.length - 1];
  return { claimed, options, indexRevision: last ? last.revision : ('no_stream' as const) };
}

/**
 * The project's SCO amounts per option and partner counting only what was reported by `period` (the
 * read models at their position; the claim decides on them with what earlier claims carried).
 */
export async function claimScoInputs(
  writer: StreamWriter,
  readModels: ReadModelsPort,
  project: RegisteredProject,
  period: string,
): Promise<ClaimScoInputs> {
  const { end } = periodBounds(period);
  const accepted = await acceptedLumpSums(writer, project, end);
  const sco = readModels.consistently(() =>
    simplifiedCostsOf(readModels, project, undefined, accepted, { period, end }),
  );
  const scoCandidates = (sco?.lines ?? []).map((l): ClaimScoCandidate => ({
    scoId: l.scoId,
    type: l.type,
    partnerId: l.partnerId,
    categoryId: l.categoryId,
    records: l.records,
    uptoCents: Number(l.amountCents),
  }));
  const { claimed, options, indexRevision } = await scoClaimedOf(writer, project.definition.code);
  // An option and partner claimed before whose amount is now nil (every record behind it voided)
  // has no line in the figures: it is a candidate of 0, so the next claim takes back what was claimed.
  for (const c of scoCandidates) options.delete(scoLineId(c.scoId, c.partnerId));
  return { scoCandidates: [...scoCandidates, ...options.values()], scoClaimed: claimed, indexRevision };
}
