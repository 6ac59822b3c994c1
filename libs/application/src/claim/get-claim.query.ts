import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { DomainNotFoundError, claimStreamId } from '@ihl/domain';
import { LedgerQuery, type LedgerQueryParams } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { partnerPartOf } from './claim-partner-part';
import { claimView, type ClaimView } from './claim-view';

export class GetClaimQuery extends LedgerQuery {
  readonly claimId: string;
  constructor(params: LedgerQueryParams & { readonly claimId: string }) {
    super(params);
    this.claimId = params.claimId;
  }
}

/** One claim from its own stream, as it stood at the as-of point (its events up to there). */
@QueryHandler(GetClaimQuery)
export class GetClaimHandler implements IQueryHandler<GetClaimQuery, ClaimView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: GetClaimQuery): Promise<ClaimView> {
    const view = claimView(await this.figures.streamAsOf(claimStreamId(q.projectCode, q.claimId), q.asOf));
    if (!view) throw new DomainNotFoundError('no such claim');
    if (q.actor.role !== 'partner-submitter') return view;
    // A partner reads its own part; a claim with nothing of its own answers as a missing one.
    const part = partnerPartOf(view, q.actor.partnerId ?? '');
    if (!part) throw new DomainNotFoundError('no such claim');
    return part;
  }
}
