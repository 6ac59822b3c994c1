import type { ActivityKind } from '@ihl/domain';

export const AUDITED_FIGURES = ['persons-reached', 'budget', 'volumes'] as const;
export type AuditedFigure = (typeof AUDITED_FIGURES)[number];

/** Narrows a figure to one partner, one budget category (budget) or one activity kind (volumes). */
export interface FigureFilters {
  readonly partnerId?: string;
  readonly categoryId?: string;
  readonly kind?: ActivityKind;
}

/** Which events make up a figure, from the read models: one page of their positions, and the count. */
export interface FigureSources {
  eventsOf(
    figure: AuditedFigure,
    projectCode: string,
    filters: FigureFilters,
    page: number,
    pageSize: number,
  ): { total: number; positions: number[] };
}
