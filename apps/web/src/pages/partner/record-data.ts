import { ApiError } from '../../api';
import { projectBase, read } from './partner-api';
import type { FormKind } from './record-kinds';

export interface HistoryEntry {
  readonly revision: number;
  readonly type: string;
  readonly recordedAt: string;
  readonly actor: { readonly subject?: string; readonly role?: string; readonly partnerId?: string } | null;
  readonly data: Readonly<Record<string, unknown>>;
}

/** `GET …/activities/:id` or `…/expenditures/:id`: the state, its revision (the ETag) and its history. */
export interface RecordAnswer {
  readonly state: {
    readonly status: string;
    readonly partnerId: string;
    readonly fields: Readonly<Record<string, unknown>>;
    readonly review?: string;
    readonly corrections?: number;
  };
  readonly revision: number;
  readonly history: readonly HistoryEntry[];
}

export interface LoadedRecord extends RecordAnswer {
  readonly id: string;
  readonly which: 'activities' | 'expenditures';
  readonly formKind: FormKind;
}

/** Which form a record is corrected with: its kind, a vehicle apart, an expenditure's own. */
function formKindOf(which: LoadedRecord['which'], fields: Readonly<Record<string, unknown>>): FormKind {
  if (which === 'expenditures') return 'expenditure';
  if (fields.kind === 'equipment-procured' && fields.category === 'vehicle') return 'vehicle';
  return fields.kind as FormKind;
}

/** An id is an activity's or an expenditure's: the activity is asked first, a 404 there asks the other. */
export async function loadRecord(code: string, id: string): Promise<LoadedRecord> {
  const base = projectBase(code);
  for (const which of ['activities', 'expenditures'] as const) {
    try {
      const r = await read<RecordAnswer>(`${base}/${which}/${encodeURIComponent(id)}`);
      return { ...r, id, which, formKind: formKindOf(which, r.state.fields) };
    } catch (e) {
      // An id that is not a UUID (an edited address) is 400: as good as none.
      if (e instanceof ApiError && e.status === 400) throw new ApiError(404, e.message);
      if (!(e instanceof ApiError && e.status === 404 && which === 'activities')) throw e;
    }
  }
  throw new ApiError(404, 'not found');
}

/** The state shown in the list's words: voided, else the review (an expenditure: checked or pending). */
export function stateOf(r: RecordAnswer): string {
  if (r.state.status === 'voided') return 'voided';
  if (r.state.review) return r.state.review;
  return 'verification' in r.state && r.state.verification ? 'verified' : 'pending';
}
