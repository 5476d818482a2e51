import type { Db } from 'mongodb';
import { recordSystemCheckActivity } from './record-system-check.js';

export function createSystemActivities(deps: { db: Db }) {
  return { recordSystemCheck: recordSystemCheckActivity(deps.db) };
}

export type SystemActivities = ReturnType<typeof createSystemActivities>;
