import type { ActivityKind } from '@ihl/domain';

export const AUDITED_FIGURES = ['persons-reached', 'budget', 'volumes', 'sco'] as const;
export type AuditedFigure = (typeof AUDITED_FIGURES)[number];

/** Narrows a figure to one partner, one budget category (budget) or one activity kind (volumes). */
export interface FigureFilters {
  readonly partnerId?: string;
  readonly categoryId?: string;
  readonly kind?: ActivityKind;
  /** figure=sco: the simplified cost option whose amount is audited. */
  readonly optionId?: string;
  /** figure=sco: only the records reported by this period (what a payment claim of it counted). */
  readonly reportedBy?: string;
}

/** The records a simplified cost option counts: a unit cost's verified activities, a flat rate's base. */
export type ScoAuditBasis =
  | {
      readonly type: 'unit-cost';
      readonly kind: string;
      readonly service?: string | undefined;
      readonly setting?: string | undefined;
      readonly reportedBy?: ScoPeriodBound;
    }
  | { readonly type: 'flat-rate'; readonly categories: readonly string[]; readonly reportedBy?: ScoPeriodBound };

/** Only the records reported by a period (a payment claim's): late entries by their reported period, others by date. */
export interface ScoPeriodBound {
  readonly period: string;
  readonly end: string;
}

/** A page by number (from 1), or the page after a position (the keyset cursor: cheap at any depth). */
export type FigurePageAt = number | { readonly after: number };

/**
 * Which events make up a figure, from the read models: one page of their positions, the count, and
 * the page's last position when more follow (the cursor of the next page).
 */
export interface FigureSources {
  eventsOf(
    figure: Exclude<AuditedFigure, 'sco'>,
    projectCode: string,
    filters: FigureFilters,
    at: FigurePageAt,
    pageSize: number,
  ): { total: number; positions: number[]; next: number | null };
  /** The same for exactly the records behind a simplified cost option's amount, and all their events. */
  scoEventsOf(
    projectCode: string,
    basis: ScoAuditBasis,
    partnerId: string | undefined,
    at: FigurePageAt,
    pageSize: number,
  ): { total: number; positions: number[]; next: number | null };
}
