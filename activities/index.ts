import type { Db } from 'mongodb';
import { createSystemActivities } from './system/index.js';

export interface ActivityDependencies {
  db: Db;
}

/** Every activity the worker registers, built from its dependencies (no globals). */
export function createActivities(deps: ActivityDependencies) {
  return { ...createSystemActivities(deps) };
}

export type Activities = ReturnType<typeof createActivities>;
