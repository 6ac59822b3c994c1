import { Inject } from '@nestjs/common';
import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  claimIndexStreamId,
  claimStreamId,
  decideClaim,
  expenditureClaims,
  expenditureStreamId,
  foldExpenditure,
  periodOf,
  type ClaimCandidate,
  type ExpenditureEvent,
  type ReportingPeriodKind,
} from '@ihl/domain';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { READ_MODELS, type ReadModelsPort } from '../as-of/as-of';
import type { RequestContext } from '../shared/request-context';
import { StreamWriter } from '../shared/stream-writer';
import type { PendingAppend, DomainEvent } from '../shared/stream-command';
import type { WriteResult } from '../shared/write-result';
import { claimContext, claimSpec } from './claim-command.support';
import { claimScoInputs } from './claim-sco-inputs';

/** Finance composes a payment claim for a reporting period from the verified costs no claim carries yet. */
export class ComposeClaimCommand {
  constructor(
    readonly projectCode: string,
    readonly period: string,
    readonly expenditureIds: readonly string[] | undefined,
    readonly context: RequestContext,
    readonly claimId?: string,
  ) {}
}

/** How long composing waits for the read models to list every cost verified before it. */
const CATCH_UP_MS = 10_000;

/**
 * Every cost of the claim gets ExpenditureClaimed on its own stream at the revision read, in the
 * same commit as the claim: two claims racing for a cost cannot both commit (the second one's
 * revision is stale, so it is decided again and finds the cost claimed), and a cost verified again
 * meanwhile makes the claim decide again on the new amount.
 */
@CommandHandler(ComposeClaimCommand)
export class ComposeClaimHandler implements ICommandHandler<ComposeClaimCommand, WriteResult & { claimId: string }> {
  constructor(
    @Inject(StreamWriter) private readonly writer: StreamWriter,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModelsPort,
  ) {}

  async execute(c: ComposeClaimCommand): Promise<WriteResult & { claimId: string }> {
    const { projectCode, context: ctx } = c;
    const claimId = await this.writer.recordId(ctx, {
      given: c.claimId,
      scope: `claim:${projectCode}`,
      streamOf: (id) => claimStreamId(projectCode, id),
    });
    // The read model only says which costs to look at; each one's own stream decides.
    await this.readModels.waitFor(await this.store.headPosition(), CATCH_UP_MS);
    const result = await this.writer.writeManyInProject(ctx, projectCode, async ({ project, today }) => {
      const kind = project.definition.reportingPeriod;
      const read = await this.candidates(projectCode, kind);
      const { scoCandidates, scoClaimed, indexRevision } = await claimScoInputs(
        this.writer,
        this.readModels,
        project,
        c.period,
      );
      const spec = claimSpec(projectCode, claimId, (state) =>
        decideClaim(
          state,
          {
            type: 'ComposeClaim',
            claimId,
            projectCode,
            period: c.period,
            candidates: read.map((r) => r.candidate),
            scoCandidates,
            scoClaimed,
            ...(c.expenditureIds ? { expenditureIds: c.expenditureIds } : {}),
          },
          ctx.actor,
          claimContext(project, today()),
        ),
      );
      const decision = await this.writer.decideOn(spec, ctx);
      if ('answer' in decision) return { pending: [], answer: () => decision.answer };
      const claimed = decision.pending.decided.flatMap(expenditureClaims);
      const revisionOf = new Map(read.map((r) => [r.candidate.expenditureId, r.revision]));
      // The claim last: a store that cannot commit several streams at once (EventStoreDB) then
      // never holds a claim whose costs are not marked.
      const pending: PendingAppend<unknown, DomainEvent>[] = [
        ...claimed.map((e) => ({
          streamId: expenditureStreamId(e.data.expenditureId),
          expectedRevision: revisionOf.get(e.data.expenditureId)!,
          state: null,
          decided: [e],
        })),
        {
          streamId: claimIndexStreamId(projectCode),
          expectedRevision: indexRevision,
          state: null,
          decided: [{ type: 'ClaimOpened', data: { claimId, period: c.period } }],
        },
        decision.pending,
      ];
      return {
        pending,
        answer: (written) => {
          const r = written[written.length - 1]!;
          return {
            streamId: r.streamId,
            revision: r.revision,
            position: Math.max(...written.map((w) => w.position)),
            changed: true,
          };
        },
      };
    });
    return { ...result, claimId };
  }

  /** Each cost the read model lists as verified, as its own stream has it now, with the revision read. */
  private async candidates(projectCode: string, kind: ReportingPeriodKind) {
    const listed = this.readModels.consistently(() => this.readModels.verifiedExpenditures(projectCode));
    const read = await Promise.all(
      listed.map(async ({ expenditureId }) => {
        const { stored, events } = await this.writer.read<ExpenditureEvent>(expenditureStreamId(expenditureId));
        const state = foldExpenditure(events);
        if (state.status === 'none') return null;
        const candidate: ClaimCandidate = {
          expenditureId,
          partnerId: state.partnerId,
          categoryId: state.fields.categoryId,
          occurredOn: state.fields.occurredOn,
          reportedIn: state.reportedIn ?? periodOf(state.fields.occurredOn, kind),
          voided: state.status === 'voided',
          eligibleCents: state.verification?.eligibleCents ?? null,
          claimedBy: state.claimedBy ?? null,
        };
        return { candidate, revision: stored[stored.length - 1]!.revision };
      }),
    );
    return read.filter((r) => r !== null);
  }
}
