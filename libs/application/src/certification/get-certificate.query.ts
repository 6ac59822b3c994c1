import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import {
  DomainNotFoundError,
  certificateStatus,
  certificateStreamId,
  foldCertificate,
  type Certificate,
  type CertificateStatus,
  type CertificationEvent,
} from '@ihl/domain';
import { FigureQuery, type FigureQueryParams } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';
import { toDomainEvent } from '../shared/event-mapping';
import { toHistory, type HistoryEntry } from '../shared/history';
import { certificateScope } from './certification-command.support';

export class GetCertificateQuery extends FigureQuery {
  readonly certificateId: string;
  readonly expiringWithinDays: number;

  constructor(params: FigureQueryParams & { readonly certificateId: string; readonly expiringWithinDays: number }) {
    super(params);
    this.certificateId = params.certificateId;
    this.expiringWithinDays = params.expiringWithinDays;
  }
}

export interface CertificateView extends Certificate {
  /** Its standing on `today`: valid, expiring (within the days asked), expired, withdrawn, not yet valid. */
  readonly status: CertificateStatus;
  readonly today: string;
  readonly revision: number;
  /** Who recorded what and when: the certificate's events as auditors read them. */
  readonly history: readonly HistoryEntry[];
}

/** One certificate with its status and whole history, as it stood at the query's point. */
@QueryHandler(GetCertificateQuery)
export class GetCertificateHandler implements IQueryHandler<GetCertificateQuery, CertificateView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: GetCertificateQuery): Promise<CertificateView> {
    const stored = await this.figures.streamAsOf(certificateStreamId(q.certificateId), q.asOf);
    const state = foldCertificate(stored.map((e) => toDomainEvent<CertificationEvent>(e)));
    certificateScope(q.actor, q.projectCode)(state);
    if (!state) throw new DomainNotFoundError('no such certificate');
    // As of a point, "today" is that point's day, as for every figure.
    const { today } = await this.figures.frame(q);
    return {
      ...state,
      status: certificateStatus(state, today, q.expiringWithinDays),
      today,
      revision: stored[stored.length - 1]!.revision,
      history: toHistory(stored),
    };
  }
}
