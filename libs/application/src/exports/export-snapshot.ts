import {
  DomainNotFoundError,
  foldExpenditure,
  foldProject,
  projectStreamId,
  type ExpenditureEvent,
  type ProjectEvent,
  type RegisteredProject,
} from '@ihl/domain';
import type { EventStore } from '@ihl/event-store';
import type { FigureSources } from '../audit/get-figure-events.query';
import { toDomainEvent } from '../shared/event-mapping';
import { vilniusDate } from '../shared/vilnius-date';
import type { VerifiedExpenditure } from './iati-activity.builder';

/**
 * What an export needs besides the read models, taken at the same position: the project as it was
 * registered then, and when that position was recorded. An export depends on nothing else (not on
 * the clock), so asking again with `?asOf=<position>` reproduces it byte for byte.
 */
export interface ExportPoint {
  readonly position: number;
  /** When the last event included was recorded (ISO instant). */
  readonly recordedAt: string;
  /** That instant's calendar day in Vilnius. */
  readonly day: string;
  readonly project: RegisteredProject;
}

export async function exportPoint(store: EventStore, projectCode: string, position: number): Promise<ExportPoint> {
  const stream = (await store.readStream(projectStreamId(projectCode))).filter((e) => e.position <= position);
  const project = foldProject(stream.map((e) => toDomainEvent<ProjectEvent>(e)));
  if (project.status !== 'registered') throw new DomainNotFoundError(`project ${projectCode} is not registered`);
  // Positions are strictly increasing, so the first event after position - 1 is the one at it.
  const [last] = await store.readAll({ after: position - 1, maxCount: 1 });
  const recordedAt = last && last.position === position ? last.recordedAt : stream[stream.length - 1]!.recordedAt;
  return { position, recordedAt, day: vilniusDate(new Date(recordedAt)), project };
}

/**
 * Expenditures with a verified eligible part at `position`, by document date then declaration.
 * The expenditure streams come from the live read model (it lists every one ever declared); each
 * is folded only up to `position`, so a later correction, void or verification is left out.
 */
export async function verifiedExpendituresAt(
  store: EventStore,
  sources: FigureSources,
  projectCode: string,
  position: number,
  waitMs: number,
): Promise<VerifiedExpenditure[]> {
  await sources.waitFor(position, waitMs);
  const found: (VerifiedExpenditure & { declaredAt: number })[] = [];
  for (const streamId of sources.recordsOf('budget', projectCode)) {
    const events = (await store.readStream(streamId)).filter((e) => e.position <= position);
    if (events.length === 0) continue;
    const state = foldExpenditure(events.map((e) => toDomainEvent<ExpenditureEvent>(e)));
    if (state.status !== 'declared' || state.projectCode !== projectCode || !state.verification) continue;
    if (state.verification.eligibleCents === 0) continue;
    found.push({
      expenditureId: state.expenditureId,
      partnerId: state.partnerId,
      categoryId: state.fields.categoryId,
      occurredOn: state.fields.occurredOn,
      eligibleCents: state.verification.eligibleCents,
      declaredAt: events[0]!.position,
    });
  }
  found.sort((a, b) =>
    a.occurredOn < b.occurredOn ? -1 : a.occurredOn > b.occurredOn ? 1 : a.declaredAt - b.declaredAt,
  );
  return found.map(({ declaredAt: _declaredAt, ...x }) => x);
}
