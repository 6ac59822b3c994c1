import { DomainConflictError } from '../shared/validation';
import type { ProjectDefinition } from './project-definition';
import type { ProjectEvent } from './project.events';

export type ProjectState =
  { readonly status: 'unregistered' } | { readonly status: 'registered'; readonly definition: ProjectDefinition };

export const initialProjectState: ProjectState = { status: 'unregistered' };

export interface RegisterProject {
  readonly type: 'RegisterProject';
  readonly definition: ProjectDefinition;
}

export type ProjectCommand = RegisterProject;

export function evolveProject(_state: ProjectState, event: ProjectEvent): ProjectState {
  switch (event.type) {
    case 'ProjectRegistered':
      return { status: 'registered', definition: event.data.definition };
  }
}

export function foldProject(events: readonly ProjectEvent[]): ProjectState {
  return events.reduce(evolveProject, initialProjectState);
}

/**
 * Registering the same definition twice is answered as the first time (no new event); a different
 * definition under a registered code is a conflict — definitions change through their own events.
 */
export function decideProject(state: ProjectState, command: ProjectCommand): ProjectEvent[] {
  switch (command.type) {
    case 'RegisterProject': {
      if (state.status === 'registered') {
        if (canonicalJson(state.definition) === canonicalJson(command.definition)) return [];
        throw new DomainConflictError(
          'project-already-registered',
          `project ${command.definition.code} is already registered with a different definition`,
        );
      }
      return [{ type: 'ProjectRegistered', data: { definition: command.definition } }];
    }
  }
}

/** JSON with sorted keys, so equal data compares equal whatever the key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
