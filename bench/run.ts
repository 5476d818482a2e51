// `npm run bench`: Switchboard's figures as ratios to a bare signalWithStart loop on the
// same Temporal server in the same run. Bounded in count and time; loopback only.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { loadConfig } from '../config/index.js';
import { createLogger } from '../observability/logger.js';
import { runSystemCheck, startSystem } from '../runtime/system.js';
import { requireSettings } from '../runtime/settings.js';
import { freePort, prepareLocalServers, startLocalDatabase, startLocalTemporal } from '../scripts/local-servers/index.js';
import { routeSdkLogsTo } from '../workers/sdk-logging.js';
import { measure, type Figures } from './measure.js';
import { prepareTwilioWebhook } from './scenarios/twilio-webhook.js';

const say = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const resultsFile = fileURLToPath(new URL('./results/latest.json', import.meta.url));

async function main() {
  const root = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-'));
  const binaries = await prepareLocalServers({ temporalCliPath: process.env.TEMPORAL_CLI_PATH, log: say });
  const database = await startLocalDatabase({ binaries, port: await freePort(), dataDir: path.join(root, 'db'), logFile: path.join(root, 'db.log') });
  const temporal = await startLocalTemporal({ binaries, port: await freePort(), namespace: 'default', dbFile: path.join(root, 'temporal.db') });
  const apiPort = await freePort();
  const settings = requireSettings(
    loadConfig({
      TEMPORAL_ADDRESS: temporal.address,
      MONGODB_URI: database.uri,
      ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      OPERATOR_TOKEN: randomBytes(24).toString('hex'),
      TEMPORAL_TASK_QUEUE: 'bench',
      ADMIN_TOKEN: randomBytes(24).toString('hex'),
      PSEUDONYM_KEY: randomBytes(32).toString('base64'),
      PORT: String(apiPort),
      PUBLIC_BASE_URL: `http://127.0.0.1:${apiPort}`,
      LOG_LEVEL: 'warn',
    }),
  );
  const logger = createLogger({ level: 'warn' });
  routeSdkLogsTo(logger);
  const system = await startSystem({ settings, logger, run: { api: true, worker: true } });
  const bareConnection = await Connection.connect({ address: temporal.address });
  const bare = new Client({ connection: bareConnection });
  const figures: Record<string, Figures> = {};

  // Nobody polls this queue: the server's own accept path is the floor.
  const signalWithStart = (client: Client) => async () => {
    await client.workflow.signalWithStart('benchBaselineWorkflow', {
      taskQueue: 'bench-no-worker',
      workflowId: `bench-${randomUUID()}`,
      signal: 'inbound',
      signalArgs: [{ text: 'hello from the benchmark' }],
      args: [{}],
    });
  };
  try {
    say('bare signalWithStart, 1 in flight');
    figures.bareSignalWithStart = await measure({ count: 300, concurrency: 1, maxSeconds: 60, operation: signalWithStart(bare) });
    say('bare signalWithStart, 64 in flight');
    figures.bareSignalWithStart64 = await measure({ count: 1500, concurrency: 64, maxSeconds: 60, operation: signalWithStart(bare) });
    say('encrypted signalWithStart (our data converter), 1 in flight');
    figures.encryptedSignalWithStart = await measure({ count: 300, concurrency: 1, maxSeconds: 60, operation: signalWithStart(system.services.temporal.client) });
    say('system-check workflow round trip (client → worker → database → result), 1 in flight');
    figures.systemCheckRoundTrip = await measure({
      count: 100,
      concurrency: 1,
      maxSeconds: 60,
      operation: async () => void (await runSystemCheck(system.services, 'bench')),
    });
    // Last: the webhooks leave the worker a backlog of conversations to record.
    const inboundSms = await prepareTwilioWebhook(system);
    say('Twilio webhook ack (verify, mask, signalWithStart, TwiML), 1 in flight');
    figures.twilioWebhookAck = await measure({ count: 300, concurrency: 1, maxSeconds: 60, operation: inboundSms });
    say('Twilio webhook ack, 64 in flight');
    figures.twilioWebhookAck64 = await measure({ count: 1500, concurrency: 64, maxSeconds: 60, operation: (i) => inboundSms(i + 300) });
  } finally {
    await bareConnection.close();
    await system.stop();
    await temporal.stop();
    await database.stop();
    await rm(root, { recursive: true, force: true });
  }

  const floor = figures.bareSignalWithStart!;
  const ratios = Object.fromEntries(
    Object.entries(figures).map(([name, value]) => [
      name,
      { p50: Math.round((value.p50Ms / floor.p50Ms) * 100) / 100, perSecond: Math.round((value.perSecond / floor.perSecond) * 100) / 100 },
    ]),
  );
  const report = { measuredAt: new Date().toISOString(), machine: { cpus: (await import('node:os')).cpus().length, node: process.version }, figures, ratiosToBareSignalWithStart: ratios };
  await writeFile(resultsFile, `${JSON.stringify(report, null, 2)}\n`);
  console.table(Object.fromEntries(Object.entries(figures).map(([name, value]) => [name, { ...value, p50VsFloor: ratios[name]!.p50 }])));
  say(`written to ${path.relative(process.cwd(), resultsFile)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
