import { UnrecoverableError } from 'bullmq';
import { RunChecksCommand, type RunChecksResult as ProjectRun } from '@ihl/application';
import { DomainNotFoundError, type CheckThresholds } from '@ihl/domain';
import type { JobHandler } from './job-registry';

/** The application's command bus (or anything running its commands the same way). */
export interface CheckCommands {
  execute<T>(command: object): Promise<T>;
}

/** Who the alert events name as their actor: the checks, not a person. */
const CHECKS_ACTOR = { subject: 'scheduled-checks', role: 'admin' } as const;

/**
 * Runs the checks on the payload's project, or on every registered project, one after another.
 * Only commands: the alerts live in the event store, so a run redone (a retry, a second worker, the
 * schedule and a manual run at once) raises nothing twice.
 */
export function runChecksJob(deps: {
  readonly commands: CheckCommands;
  readonly thresholds: () => CheckThresholds;
  /** Every registered project's code (from the read models). */
  readonly projects: () => readonly string[];
}): JobHandler<'run-checks'> {
  return async (payload, context) => {
    const codes = payload.projectCode === undefined ? deps.projects() : [payload.projectCode];
    const projects: ProjectRun[] = [];
    for (const code of codes) {
      const ctx = { actor: CHECKS_ACTOR, correlationId: `job:${context.id}` };
      await context.progress({ done: projects.length, total: codes.length });
      const run = await deps.commands
        .execute<ProjectRun>(new RunChecksCommand(code, deps.thresholds(), ctx))
        .catch((e: unknown) => {
          // No such project: a retry would be refused again.
          if (e instanceof DomainNotFoundError) throw new UnrecoverableError(e.message);
          throw e;
        });
      projects.push(run);
    }
    await context.progress({ done: codes.length, total: codes.length });
    return {
      projects: projects.map(({ projectCode, raised, resolved, position }) => ({
        projectCode,
        raised,
        resolved,
        position,
      })),
    };
  };
}
