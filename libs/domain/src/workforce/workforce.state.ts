import type { IsoDate } from '../shared/iso-date';
import type { ServiceEnded, WorkerRole, WorkforceEvent } from './workforce.events';

export interface Worker {
  readonly workerRef: string;
  readonly teamRef: string;
  readonly role: WorkerRole;
  readonly startedOn: IsoDate;
  readonly leftOn: IsoDate | null;
  /** The teams the worker was moved to after the first, in order. */
  readonly moves: readonly { readonly teamRef: string; readonly assignedOn: IsoDate }[];
}

export interface Position {
  readonly positionRef: string;
  readonly teamRef: string;
  readonly role: WorkerRole;
  readonly vacatedOn: IsoDate;
  readonly filledOn: IsoDate | null;
  readonly workerRef: string | null;
}

/** A partner's staff and positions, and the services that ended, as its stream tells them. */
export interface Workforce {
  readonly workers: ReadonlyMap<string, Worker>;
  /** Every vacancy in order: a position vacated again after a fill is a new entry. */
  readonly positions: readonly Position[];
  readonly endings: readonly ServiceEnded['data'][];
}

export const initialWorkforce: Workforce = { workers: new Map(), positions: [], endings: [] };

function withEntry<T>(map: ReadonlyMap<string, T>, key: string, change: (v: T) => T): ReadonlyMap<string, T> {
  const current = map.get(key);
  if (current === undefined) return map;
  return new Map(map).set(key, change(current));
}

export function evolveWorkforce(state: Workforce, e: WorkforceEvent): Workforce {
  switch (e.type) {
    case 'WorkerRegistered': {
      const { partnerId: _, ...w } = e.data;
      return { ...state, workers: new Map(state.workers).set(w.workerRef, { ...w, leftOn: null, moves: [] }) };
    }
    case 'WorkerAssigned': {
      const { teamRef, assignedOn } = e.data;
      const workers = withEntry(state.workers, e.data.workerRef, (w) => ({
        ...w,
        moves: [...w.moves, { teamRef, assignedOn }],
      }));
      return { ...state, workers };
    }
    case 'WorkerLeft':
      return {
        ...state,
        workers: withEntry(state.workers, e.data.workerRef, (w) => ({ ...w, leftOn: e.data.leftOn })),
      };
    case 'PositionVacated': {
      const { partnerId: _, ...p } = e.data;
      const position: Position = { ...p, filledOn: null, workerRef: null };
      return { ...state, positions: [...state.positions, position] };
    }
    case 'PositionFilled': {
      const { filledOn, workerRef } = e.data;
      const open = openPosition(state, e.data.positionRef);
      const positions = state.positions.map((p) => (p === open ? { ...p, filledOn, workerRef } : p));
      return { ...state, positions };
    }
    case 'ServiceEnded':
      return { ...state, endings: [...state.endings, e.data] };
  }
}

export const foldWorkforce = (events: readonly WorkforceEvent[]): Workforce =>
  events.reduce(evolveWorkforce, initialWorkforce);

/** The worker's team on a day: the last move on or before it, else the first team. */
export function teamOn(w: Worker, day: IsoDate): string {
  let team = w.teamRef;
  for (const m of w.moves) if (m.assignedOn <= day) team = m.teamRef;
  return team;
}

/** The position's vacancy not yet filled, if any. */
export const openPosition = (state: Workforce, positionRef: string): Position | undefined =>
  state.positions.find((p) => p.positionRef === positionRef && p.filledOn === null);
