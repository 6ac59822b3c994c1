import { Inject } from '@nestjs/common';
import { QueryHandler, type IQueryHandler } from '@nestjs/cqrs';
import { certificateStatus, type CertificateListRow, type CertificateStatus } from '@ihl/domain';
import { FigureQuery, type FigureQueryParams } from '../as-of/as-of';
import { FigureReader } from '../as-of/figure-reader.service';

/** `?partnerId=`, `?status=`; a partner's token: its own certificates only. */
export class ListCertificatesQuery extends FigureQuery {
  readonly partnerId: string | undefined;
  readonly status: CertificateStatus | 'all';
  readonly expiringWithinDays: number;

  constructor(
    params: FigureQueryParams & {
      partnerId?: string | undefined;
      status: CertificateStatus | 'all';
      expiringWithinDays: number;
    },
  ) {
    super(params);
    this.partnerId = params.partnerId;
    this.status = params.status;
    this.expiringWithinDays = params.expiringWithinDays;
  }
}

export type CertificateListEntry = CertificateListRow & { readonly status: CertificateStatus };

export interface CertificateListView {
  readonly projectCode: string;
  /** The day each status is worked out on: today, or the as-of day. */
  readonly today: string;
  readonly expiringWithinDays: number;
  readonly certificates: readonly CertificateListEntry[];
  readonly position: number;
}

/** The project's certificates with their status on the day, from the quality read model. */
@QueryHandler(ListCertificatesQuery)
export class ListCertificatesHandler implements IQueryHandler<ListCertificatesQuery, CertificateListView> {
  constructor(@Inject(FigureReader) private readonly figures: FigureReader) {}

  async execute(q: ListCertificatesQuery): Promise<CertificateListView> {
    const { asOf, today } = await this.figures.frame(q);
    const foreign = q.ownPartner !== undefined && q.partnerId !== undefined && q.partnerId !== q.ownPartner;
    return this.figures.read(asOf, (models) => {
      const rows = foreign ? [] : models.certificatesOf(q.projectCode, q.ownPartner ?? q.partnerId);
      const certificates = rows
        .map((r) => ({ ...r, status: certificateStatus(r, today, q.expiringWithinDays) }))
        .filter((r) => q.status === 'all' || r.status === q.status);
      return {
        projectCode: q.projectCode,
        today,
        expiringWithinDays: q.expiringWithinDays,
        certificates,
        position: models.reached,
      };
    });
  }
}
