/**
 * The records whose history `/records/:id/history?record=<kind>` shows: each kind's stream (as the
 * audit trail names it) and the API route that answers the record with its `history`. `id` is the
 * record's UUID, or for the workforce the partner's id (one stream per partner).
 */
export const HISTORY_KINDS = ['activity', 'expenditure', 'certificate', 'survey', 'inspection', 'workforce'] as const;
export type HistoryKind = (typeof HISTORY_KINDS)[number];

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const PARTNER = '[a-z0-9][a-z0-9-]{0,62}';

interface KindRoute {
  /** The stream of one record: its id is the last group. */
  readonly stream: RegExp;
  readonly id: RegExp;
  /** The route under the project that answers it with its history. */
  readonly api: (id: string) => string;
  /** Whether that route also answers `?format=csv` (the history as a file). */
  readonly csv: boolean;
}

const byUuid = (prefix: string, route: string, csv = false): KindRoute => ({
  stream: new RegExp(`^${prefix}-(${UUID})$`),
  id: new RegExp(`^${UUID}$`),
  api: (id) => `${route}/${id}`,
  csv,
});

const ROUTES: Record<HistoryKind, KindRoute> = {
  activity: byUuid('activity', 'activities', true),
  expenditure: byUuid('expenditure', 'expenditures', true),
  certificate: byUuid('certificate', 'certifications'),
  survey: byUuid('survey', 'surveys'),
  inspection: byUuid('inspection', 'inspections'),
  // `workforce-<project>.<partner>`: the project code may hold dashes, the partner id no dots.
  workforce: {
    stream: new RegExp(`^workforce-.+\\.(${PARTNER})$`),
    id: new RegExp(`^${PARTNER}$`),
    api: (id) => `workforce?partnerId=${id}`,
    csv: false,
  },
};

export function historyKindOf(value: string | null): HistoryKind {
  return HISTORY_KINDS.find((k) => k === value) ?? 'activity';
}

/** The record a stream holds; null for a stream with no history page (the project's own). */
export function recordOfStream(streamId: string): { kind: HistoryKind; id: string } | null {
  for (const kind of HISTORY_KINDS) {
    const id = ROUTES[kind].stream.exec(streamId)?.[1];
    if (id) return { kind, id };
  }
  return null;
}

/** The API path (under the project) of a record's answer with its history; null for an id the kind cannot have. */
export function historyApiPath(kind: HistoryKind, id: string): string | null {
  return ROUTES[kind].id.test(id) ? ROUTES[kind].api(id) : null;
}

export const historyHasCsv = (kind: HistoryKind): boolean => ROUTES[kind].csv;

/**
 * The record an alert names, for the link to its history: an overdue finding's inspection
 * (`<inspectionId>/<findingId>`), else a waiting activity or expenditure (its kind in the details).
 */
export function alertRecord(check: string, recordId: string, recordKind: unknown): { kind: HistoryKind; id: string } {
  if (check === 'finding-overdue') return { kind: 'inspection', id: recordId.split('/')[0] ?? recordId };
  return { kind: recordKind === 'expenditure' ? 'expenditure' : 'activity', id: recordId };
}
