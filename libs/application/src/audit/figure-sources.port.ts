import type { ActivityKind } from '@ihl/domain';

export const AUDITED_FIGURES = ['persons-reached', 'budget', 'volumes'] as const;
export type AuditedFigure = (typeof AUDITED_FIGURES)[number];

/** Narrows a figure to one partner, one budget category (budget) or one activity kind (volumes). */
export interface FigureFilters {
  readonly partnerId?: string;
  readonly categoryId?: string;
  readonly kind?: ActivityKind;
}

/** A page by number (from 1), or the page after a position (the keyset cursor: cheap at any depth). */
export type FigurePageAt = number | { readonly after: number };

/**
 * Which events make up a figure, from the read models: one page of their positions, the count, and
 * the page's last position when more follow (the cursor of the next page).
 */
export interface FigureSources {
  eventsOf(
    figure: AuditedFigure,
    projectCode: string,
    filters: FigureFilters,
    at: FigurePageAt,
    pageSize: number,
  ): { total: number; positions: number[]; next: number | null };
}
