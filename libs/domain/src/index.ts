export * from './shared/validation';
export * from './shared/money';
export * from './shared/iso-date';
export * from './project/project-definition';
export * from './project/project.events';
export * from './project/project.decider';
