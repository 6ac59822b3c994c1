import type { ProjectEvent } from './project.events';
import {
  decideLockPeriod,
  decideRegisterPartner,
  decideRegisterProject,
  decideReopenPeriod,
  decideSetAllocation,
} from './project-commands.decider';
import type { ProjectCommand, ProjectState } from './project.state';

// State, commands and evolve live in project.state.ts; they are exported from here too so that
// `project.decider` stays the one module to import a project's decider from.
export * from './project.state';
export * from './project-commands.decider';

/** The life of a project: its registration, partners, allocations and locked periods. */
export function decideProject(state: ProjectState, command: ProjectCommand): ProjectEvent[] {
  switch (command.type) {
    case 'RegisterProject':
      return decideRegisterProject(state, command);
    case 'RegisterPartner':
      return decideRegisterPartner(state, command);
    case 'SetAllocation':
      return decideSetAllocation(state, command);
    case 'LockPeriod':
      return decideLockPeriod(state, command);
    case 'ReopenPeriod':
      return decideReopenPeriod(state, command);
  }
}
