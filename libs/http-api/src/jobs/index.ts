import { JobsController } from './jobs.controller';
import { JobQueue } from './job-queue.provider';
import { QueueBoard } from './queue-board';
import { SharedStoreHolder } from './shared-store.provider';

/** What ApiModule registers for the job queue. */
export const JOBS_CONTROLLERS = [JobsController];
export const JOBS_PROVIDERS = [JobQueue, QueueBoard, SharedStoreHolder];
export { SharedStoreHolder };
