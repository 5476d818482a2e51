import { createConversationActivities, type ConversationActivityDependencies } from './conversations/index.js';
import { createRoutingActivities, type RoutingActivityDependencies } from './routing/index.js';
import { createSystemActivities } from './system/index.js';
import { createFormActivities } from './forms/index.js';
import { createRetentionActivities, type RetentionActivityDependencies } from './retention/index.js';

export type ActivityDependencies = ConversationActivityDependencies & RoutingActivityDependencies & RetentionActivityDependencies;

/** Every activity the worker registers, built from its dependencies (no globals). */
export function createActivities(deps: ActivityDependencies) {
  return { ...createSystemActivities(deps), ...createConversationActivities(deps), ...createRoutingActivities(deps), ...createFormActivities(deps), ...createRetentionActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
