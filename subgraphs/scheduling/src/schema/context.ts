import type { SchedulingManager } from '../manager/createSchedulingManager.js';

/** The GraphQL context of one scheduling request. */
export interface SchedulingContext {
  manager: SchedulingManager;
}
