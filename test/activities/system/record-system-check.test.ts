import { afterAll, describe, expect, it } from 'vitest';
import { connectDatabase } from '../../../db/connection.js';
import { Collections } from '../../../db/collections.js';
import { recordSystemCheckActivity } from '../../../activities/system/record-system-check.js';
import { testSettings } from '../../support/settings.js';

const settings = testSettings();
const database = connectDatabase({ uri: settings.mongo.uri, dbName: settings.mongo.dbName });
afterAll(() => database.close());

describe('recordSystemCheck activity', () => {
  it('records one check per workflow, also when retried', async () => {
    const recordSystemCheck = recordSystemCheckActivity(database.db);
    const first = await recordSystemCheck({ workflowId: 'system-check-a', requestedBy: 'test' });
    const retried = await recordSystemCheck({ workflowId: 'system-check-a', requestedBy: 'test' });
    expect(retried.checkedAt).toBe(first.checkedAt);
    expect(await database.db.collection(Collections.systemChecks).countDocuments({ workflowId: 'system-check-a' })).toBe(1);
  });
});
