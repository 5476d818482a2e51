// `npm run cluster`: a production-like Switchboard on one machine, without Docker — a real Temporal
// server on PostgreSQL, Temporal UI, FerretDB, API replicas and workers as separate processes.
import { ConfigError } from '../../config/index.js';
import { buildConsole } from '../console-build.js';
import { checkRoundTrip } from './check.js';
import { startCluster, type RunningCluster } from './cluster.js';
import { clusterPlan, parseClusterArgs, usage } from './options.js';

const began = performance.now();
const seconds = () => Math.round((performance.now() - began) / 1000);
const say = (message: string) => process.stdout.write(`[cluster] ${message}\n`);

async function main() {
  const args = parseClusterArgs(process.argv.slice(2));
  if (args.help) return void process.stdout.write(`${usage}\n`);
  const plan = await clusterPlan(args, say);

  let cluster: RunningCluster | undefined = undefined;
  let stopping = false;
  const shutdown = async (signal: string, code: number) => {
    if (stopping) return;
    stopping = true;
    say(`${signal}: stopping (API replicas, workers, Temporal UI, Temporal, FerretDB, PostgreSQL)...`);
    await cluster?.stop();
    say('Stopped.');
    process.exit(code);
  };
  // During start-up too: the guards stop whatever already runs once we exit.
  process.on('SIGINT', () => void shutdown('SIGINT', 130));
  process.on('SIGTERM', () => void shutdown('SIGTERM', 143));

  const consoleBuild = await buildConsole();
  if (consoleBuild.built) say(`Console built into ${consoleBuild.outDir}`);
  cluster = await startCluster(plan);
  const { servers, apis, workers } = cluster;
  const { config } = plan;
  say(`Ready in ${seconds()} s.`);
  apis.forEach((api, index) => say(`API ${index + 1}:        ${api.url}  (log: ${api.logFile})`));
  say(`Public URL:   ${config.http.publicBaseUrl}  (webhooks are signed for it; every replica accepts them)`);
  say(`Console:      ${config.http.publicBaseUrl}/console/  (first account: see README "The console")`);
  if (servers.temporalUiUrl) say(`Temporal UI:  ${servers.temporalUiUrl}  (payloads decoded through ${config.http.publicBaseUrl}/codec)`);
  say(`Temporal:     ${servers.temporalAddress}  namespace "${config.temporal.namespace}", task queue "${config.temporal.taskQueue}", ${plan.historyShards} history shards, PostgreSQL on 127.0.0.1:${plan.ports.postgres}`);
  say(`FerretDB:     ${servers.mongoUri}`);
  say(`Workers:      ${workers.map((worker) => `${worker.name} (pid ${worker.pid})`).join(', ') || 'none'}`);
  say(`Data and logs: ${plan.dir}`);

  if (!args.check) return say('Press Ctrl+C to stop.');
  try {
    const trip = await checkRoundTrip({ apis: apis.map((api) => ({ url: api.url! })), publicBaseUrl: config.http.publicBaseUrl, adminToken: config.security.adminToken!, log: say });
    say(`Check passed: a webhook through API 1 read back through API ${apis.length > 1 ? 2 : 1} after ${trip.ms} ms (brand ${trip.brandId}).`);
    await shutdown('check done', 0);
  } catch (error) {
    say(`Check FAILED: ${error instanceof Error ? error.message : String(error)}`);
    await shutdown('check failed', 1);
  }
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) process.stderr.write(`${error.message}\n`);
  // The message says what failed (with the failing server's output); our stack would add nothing.
  else process.stderr.write(`[cluster] start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
