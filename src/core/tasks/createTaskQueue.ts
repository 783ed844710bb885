import type { TaskQueue, TaskQueueOptions } from './taskQueue';

/** The queue of this process. STUB in the API step: the implementation lands next. */
export function createTaskQueue(_options: TaskQueueOptions): TaskQueue {
  throw new Error('the task queue is not implemented yet');
}
