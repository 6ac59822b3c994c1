import type { ProjectDefinition } from './project-definition';

export const projectStreamId = (code: string): string => `project-${code}`;

export interface ProjectRegistered {
  readonly type: 'ProjectRegistered';
  readonly data: { readonly definition: ProjectDefinition };
}

/** Every event of a `project-<code>` stream (later issues add partners, allocations, locks). */
export type ProjectEvent = ProjectRegistered;
