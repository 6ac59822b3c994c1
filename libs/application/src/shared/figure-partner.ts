import { DomainForbiddenError, DomainValidationError, type RegisteredProject } from '@ihl/domain';
import { FigureQuery, type FigureQueryParams } from '../as-of/as-of';
import type { FigureFrame, FigureReader } from '../as-of/figure-reader.service';

/** A figure that may be narrowed to one partner: `?partnerId=` (a partner's token: its own id only). */
export abstract class PartnerFigureQuery extends FigureQuery {
  readonly partnerId?: string;

  constructor(params: FigureQueryParams & { readonly partnerId?: string | undefined }) {
    super(params);
    this.partnerId = params.partnerId;
  }
}

/**
 * The partner a figure is narrowed to. A partner's token: its own, always (naming another partner is
 * refused, never answered with its own figures). Other roles: the partner asked for, which must be
 * a partner of the project as registered at the query's point; none: the whole project.
 */
export function figurePartner(
  q: FigureQuery,
  requested: string | undefined,
  project: RegisteredProject,
): string | undefined {
  if (q.actor.role === 'partner-submitter') {
    if (requested !== undefined && requested !== q.ownPartner)
      throw new DomainForbiddenError('own-partner', 'partnerId: may only be your own partner');
    return q.ownPartner;
  }
  if (requested === undefined) return undefined;
  if (!project.partners.has(requested))
    throw new DomainValidationError([
      {
        field: 'partnerId',
        rule: 'registered-partner',
        message: `is not a partner of project ${project.definition.code}`,
        value: requested,
      },
    ]);
  return requested;
}

/** The query's frame (see FigureReader.frame) and the partner its figures are narrowed to, if any. */
export async function partnerFrame(
  figures: FigureReader,
  q: PartnerFigureQuery,
): Promise<FigureFrame & { readonly partnerId: string | undefined }> {
  const frame = await figures.frame(q);
  return { ...frame, partnerId: figurePartner(q, q.partnerId, frame.project) };
}
