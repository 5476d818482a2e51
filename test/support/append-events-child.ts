// Run as a child process (node --import tsx): another Switchboard process appending live events.
// Env: MONGODB_URI, MONGODB_DB, BRAND_ID, KEYS (comma-separated), PAUSE_MS (between appends, default 0).
// Prints "appended <key> <seq>" per event.
import { connectDatabase } from '../../db/connection.js';
import { EventLog } from '../../db/repositories/events.js';

const database = connectDatabase({ uri: process.env.MONGODB_URI!, dbName: process.env.MONGODB_DB! });
const log = new EventLog(database.db);
for (const key of process.env.KEYS!.split(',')) {
  const seq = await log.append({ brandId: process.env.BRAND_ID!, key, type: 'message.created', audience: ['everyone'], data: { conversationId: 'c-live', key } });
  process.stdout.write(`appended ${key} ${seq}\n`);
  await new Promise((resolve) => setTimeout(resolve, Number(process.env.PAUSE_MS ?? 0)));
}
await database.close();
