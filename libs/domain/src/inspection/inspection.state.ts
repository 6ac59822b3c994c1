import type { IsoDate } from '../shared/iso-date';
import type { FindingSeverity, InspectionEvent, InspectionRecorded } from './inspection.events';

export interface InspectionFindingResponse {
  readonly response: string;
  readonly evidenceRefs: readonly string[];
  readonly respondedOn: IsoDate;
}

export interface InspectionFinding {
  readonly findingId: string;
  readonly standard: string;
  readonly severity: FindingSeverity;
  readonly description: string;
  readonly dueOn: IsoDate;
  readonly responses: readonly InspectionFindingResponse[];
  readonly resolvedOn: IsoDate | null;
  readonly escalatedOn: IsoDate | null;
}

export type Inspection = InspectionRecorded['data'] & { readonly findings: ReadonlyMap<string, InspectionFinding> };

export type InspectionState = Inspection | null;

export const initialInspectionState: InspectionState = null;

function withFinding(
  state: Inspection,
  findingId: string,
  change: (f: InspectionFinding) => InspectionFinding,
): Inspection {
  const finding = state.findings.get(findingId);
  if (!finding) return state;
  const findings = new Map(state.findings);
  findings.set(findingId, change(finding));
  return { ...state, findings };
}

export function evolveInspection(state: InspectionState, e: InspectionEvent): InspectionState {
  if (e.type === 'InspectionRecorded') return { ...e.data, findings: new Map() };
  if (!state) return state;
  switch (e.type) {
    case 'FindingRecorded': {
      const { inspectionId: _, ...f } = e.data;
      const findings = new Map(state.findings);
      findings.set(f.findingId, { ...f, responses: [], resolvedOn: null, escalatedOn: null });
      return { ...state, findings };
    }
    case 'FindingResponded': {
      const { response, evidenceRefs, respondedOn } = e.data;
      return withFinding(state, e.data.findingId, (f) => ({
        ...f,
        responses: [...f.responses, { response, evidenceRefs, respondedOn }],
      }));
    }
    case 'FindingResolved':
      return withFinding(state, e.data.findingId, (f) => ({ ...f, resolvedOn: e.data.resolvedOn }));
    case 'FindingEscalated':
      return withFinding(state, e.data.findingId, (f) => ({ ...f, escalatedOn: e.data.escalatedOn }));
  }
}

export const foldInspection = (events: readonly InspectionEvent[]): InspectionState =>
  events.reduce(evolveInspection, initialInspectionState);

/** A finding is open until resolved; it is overdue once open past its due date. */
export const isFindingOverdue = (f: InspectionFinding, today: IsoDate): boolean =>
  f.resolvedOn === null && f.dueOn < today;
