// `npm run bench`: what users feel, measured on the system `npm start` runs (API + worker in one
// process, file-backed Temporal dev server, FerretDB), each figure against a bare signalWithStart
// floor on the same servers in the same run. Bounded in count and time; loopback only.
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, prepareLocalServers, startLocalDatabase, startLocalTemporal } from '../scripts/local-servers/index.js';
import { addAgent } from './agents.js';
import { clusterIngest, type ClusterIngest } from './cluster-ingest.js';
import { clusterRows } from './cluster-rows.js';
import { assignedConversation, type AssignedConversation } from './assigned-conversation.js';
import { watchServerCpu } from './cpu-window.js';
import { measure } from './measure.js';
import { MessageWatch } from './message-watch.js';
import { benchOptions, scaled } from './options.js';
import { buildReport, markdownOf, writeReport } from './report.js';
import type { Results, ScenarioName } from './results.js';
import { measureFloor } from './scenarios/floor.js';
import { findServerProcesses } from './server-processes.js';
import { idleStreams } from './scenarios/idle-streams.js';
import { openConversations } from './scenarios/open-conversations.js';
import { replyToProvider } from './scenarios/reply-to-provider.js';
import { secureFormRoundTrip } from './scenarios/secure-form.js';
import { sustainedIngest } from './scenarios/sustained-ingest.js';
import { webhookToSse } from './scenarios/webhook-to-sse.js';
import { withCommandMonitoring } from './db-profile.js';
import { startSystemUnderTest } from './sut-process.js';
import { createBenchWorld, startBenchTwilio } from './world.js';

const began = performance.now();
const say = (message: string) => process.stderr.write(`[bench +${Math.round((performance.now() - began) / 1000)}s] ${message}\n`);
const file = (name: string) => fileURLToPath(new URL(name, import.meta.url));

async function main() {
  const options = benchOptions();
  say(`scale ${options.scale}, sustained window ${options.sustainedSeconds} s, ${options.openConversations} open conversations${options.only ? `, only ${options.only.join(',')}` : ''}`);
  const root = await mkdtemp(path.join(tmpdir(), 'switchboard-bench-'));
  const binaries = await prepareLocalServers({ temporalCliPath: process.env.TEMPORAL_CLI_PATH, log: say });
  // As `npm start` runs them: FerretDB on SQLite files, the Temporal dev server on an SQLite file (--db-filename), not in memory.
  const database = await startLocalDatabase({ binaries, port: await freePort(), dataDir: path.join(root, 'ferretdb'), logFile: path.join(root, 'logs', 'ferretdb.log') });
  const temporal = await startLocalTemporal({
    binaries, port: await freePort(), namespace: 'default', dbFile: path.join(root, 'temporal', 'temporal.db'), logFile: path.join(root, 'logs', 'temporal.log'),
  });
  watchServerCpu(findServerProcesses(root, binaries.guard));
  const twilio = await startBenchTwilio();
  const apiPort = await freePort();
  const adminToken = randomBytes(24).toString('hex');
  const publicBaseUrl = `http://127.0.0.1:${apiPort}`;
  say('starting the system under test (API + worker, bundling workflows)');
  const sut = await startSystemUnderTest({
    logFile: path.join(root, 'logs', 'switchboard.log'),
    env: {
      TEMPORAL_ADDRESS: temporal.address,
      // Command monitoring feeds the database profile (bench/db-profile.ts); the driver only emits with it on.
      MONGODB_URI: withCommandMonitoring(database.uri),
      HOST: '127.0.0.1',
      PORT: String(apiPort),
      PUBLIC_BASE_URL: publicBaseUrl,
      DATA_DIR: path.join(root, 'data'),
      ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      OPERATOR_TOKEN: randomBytes(24).toString('hex'),
      ADMIN_TOKEN: adminToken,
      PSEUDONYM_KEY: randomBytes(32).toString('base64'),
      TWILIO_API_BASE_URL: twilio.baseUrl,
      LOG_LEVEL: 'warn',
    },
  });

  const results = {} as Results;
  const errors: Record<string, string> = {};
  let watch: MessageWatch | undefined;
  try {
    const world = await createBenchWorld({ api: sut.apiUrl, publicBaseUrl, adminToken, twilio });
    const agent = await addAgent(world, { availability: 'away' });
    const agentsView = (watch = await MessageWatch.open(world, agent));
    let conversation: AssignedConversation | undefined;
    const theAgentsConversation = async () => (conversation ??= await assignedConversation(world, agentsView, agent, 0));

    const run = async <Name extends ScenarioName>(name: Name, what: string, scenario: () => Promise<Results[Name]>) => {
      if (options.only && !options.only.includes(name)) return;
      say(`${name}: ${what}`);
      try {
        results[name] = await scenario();
      } catch (error) {
        errors[name] = error instanceof Error ? error.message : String(error);
        say(`${name} failed: ${errors[name]}`);
      }
    };

    say('floor: bare signalWithStart at 1, 8 and 64 in flight');
    results.floor = await measureFloor(temporal.address, options);
    await run('systemCheck', 'system-check workflow round trips', () =>
      measure({ count: scaled(options, 30, 5), concurrency: 1, maxSeconds: 30, operation: () => sut.systemCheck() }));
    await run('webhookToSse', 'webhook → message.created at the agent, 1 in flight', () => webhookToSse(world, agentsView, sut, options));
    await run('replyToProvider', 'agent reply → Twilio stand-in', async () => replyToProvider(world, agent, await theAgentsConversation(), sut, options));
    await run('secureForm', 'send → open → submit → reveal', async () => secureFormRoundTrip(world, agent, await theAgentsConversation(), options));
    await run('idleStreams', '200 idle SSE clients', () => idleStreams(world, sut, options));
    await run('ingest8', `sustained ingest for ${options.sustainedSeconds} s, 8 in flight`, () => sustainedIngest(world, agentsView, sut, options, 8));
    await run('ingest64', `sustained ingest for ${options.sustainedSeconds} s, 64 in flight`, () => sustainedIngest(world, agentsView, sut, options, 64));
    await run('openConversations', `${options.openConversations} open conversations`, () => openConversations(world, agentsView, sut, temporal.address, options));
  } finally {
    watch?.close();
    await sut.stop();
    await twilio.close();
    await temporal.stop();
    await database.stop();
    if (process.env.BENCH_KEEP_DATA) say(`servers' data and logs kept in ${root}`);
    else await rm(root, { recursive: true, force: true });
  }

  // `npm run cluster`'s topology, once the servers above are gone (never both on 2 cores).
  let cluster: ClusterIngest | undefined;
  if (!options.only || options.only.includes('clusterIngest')) {
    say('clusterIngest: sustained ingest at 64 in flight on the cluster, 1 then 2 workers');
    cluster = await clusterIngest(options, say).catch((error: unknown) => void (errors.clusterIngest = error instanceof Error ? error.message : String(error)));
  }

  const report = buildReport({
    measuredAt: new Date().toISOString(),
    options,
    full: options.scale === 1 && !options.only && !process.env.BENCH_DURATION_S && !process.env.BENCH_OPEN_CONVERSATIONS,
    durationSeconds: Math.round((performance.now() - began) / 1000),
    machine: { cpus: cpus().length, node: process.version, platform: process.platform },
    servers: 'System under test: API + worker in one child process (as `npm start`); Temporal dev server on an SQLite file; FerretDB on SQLite',
    results,
    errors,
    systemUnderTestWarnings: Object.fromEntries(Object.entries(sut.warnings()).sort((a, b) => b[1] - a[1]).slice(0, 20)),
  });
  report.figures.push(...clusterRows(cluster, results.floor, errors.clusterIngest));
  Object.assign(report.results, { clusterIngest: cluster });
  await writeReport(report, { json: file('./results/latest.json'), markdown: file('./results/latest.md'), readme: file('./README.md') });
  process.stdout.write(markdownOf(report));
  say('written to bench/results/latest.json and bench/results/latest.md');
  if (Object.keys(errors).length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
