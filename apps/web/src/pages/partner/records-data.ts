import { withAsOf } from '../../as-of';
import { projectBase, read, write } from './partner-api';

/** A row of `GET …/activities` or `…/expenditures` (money as decimal strings; never a recipient). */
export interface ListedRecord {
  readonly id: string;
  readonly kind: string;
  readonly partnerId: string;
  readonly occurredOn: string;
  readonly recordedAt: string;
  readonly state: string;
  readonly service: string | null;
  readonly minutes: number;
  readonly people: number;
  readonly quantity: number;
  readonly categoryId: string | null;
  readonly documentRef: string | null;
  readonly amount: string;
}

export interface RecordPage {
  readonly records: readonly ListedRecord[];
  readonly nextCursor: string | null;
  /** The page before (a list walked both ways); absent from a person's search. */
  readonly prevCursor?: string | null;
}

/** Where a page starts: the first (null), after a cursor, or before one (the page before). */
export type PageAt = { readonly after: string } | { readonly before: string } | null;

export type Which = 'activities' | 'expenditures';

export interface ListFilters {
  readonly which: Which;
  readonly kind: string;
  readonly state: string;
  readonly from: string;
  readonly to: string;
}

export const NO_FILTERS: ListFilters = { which: 'activities', kind: '', state: '', from: '', to: '' };

/** The list's query string: the partner, the filters given, then the page or the file format. */
export function listUrl(code: string, partnerId: string, f: ListFilters, extra: Record<string, string>): string {
  const q = new URLSearchParams({ partnerId });
  if (f.which === 'activities' && f.kind) q.set('kind', f.kind);
  if (f.state) q.set('state', f.state);
  if (f.from) q.set('from', f.from);
  if (f.to) q.set('to', f.to);
  for (const [k, v] of Object.entries(extra)) q.set(k, v);
  // A download link too: it carries the page's as-of day itself.
  return withAsOf(`${projectBase(code)}/${f.which}?${q.toString()}`);
}

export const PAGE_SIZE = '20';

export function loadPage(code: string, partnerId: string, f: ListFilters, at: PageAt): Promise<RecordPage> {
  return read<RecordPage>(listUrl(code, partnerId, f, { limit: PAGE_SIZE, ...at }));
}

/** One person's records: the code goes in the body of a POST, never in a URL. */
export function searchPerson(code: string, partnerId: string, personalCode: string, after: string | null) {
  return write<RecordPage>(`${projectBase(code)}/activities/search`, {
    personalCode: personalCode.replace(/\s/g, ''),
    partnerId,
    limit: Number(PAGE_SIZE),
    ...(after ? { after } : {}),
  });
}
