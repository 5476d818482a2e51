import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildLocalServers, buildOnce, hasGo, type Log } from '../local-servers/build-tools.js';
import { toolsBin } from '../local-servers/paths.js';

/** The versions the dev server's CLI (v1.5.1) embeds, so `npm start` and the cluster run the same Temporal. */
export const TEMPORAL_SERVER_MODULE = { path: 'go.temporal.io/server', version: 'v1.29.1' } as const;
export const TEMPORAL_UI_MODULE = { path: 'github.com/temporalio/ui-server/v2', version: 'v2.42.1' } as const;

export interface ClusterBinaries {
  temporalServer: string;
  sqlTool: string;
  ui: string;
  db: string;
  guard: string;
  /** The server module's source in Go's module cache: its SQL schemas and sample configs. */
  temporalModuleDir: string;
}

/** Where Go keeps a module's source (fetched into the module cache first when missing). */
export function goModuleDir(module: { path: string; version: string }): string {
  const result = spawnSync('go', ['mod', 'download', '-json', `${module.path}@${module.version}`], { cwd: tmpdir(), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`go mod download ${module.path}@${module.version} failed:\n${result.stdout}${result.stderr}`);
  return (JSON.parse(result.stdout) as { Dir: string }).Dir;
}

/**
 * `go build -o` inside the module's own directory rather than `go install`: the Temporal server and
 * the UI server are both `cmd/server`, and `go install` would give both binaries the name `server`.
 */
function buildFromModule(log: Log, module: { path: string; version: string }, dir: string, options: { name: string; pkg: string; what: string }) {
  return buildOnce({
    name: options.name,
    stamp: `${module.path}/${options.pkg}@${module.version}`,
    what: `${options.what} (${module.path} ${module.version})`,
    args: ['build', '-o', path.join(toolsBin, options.name), `./${options.pkg}`],
    cwd: dir,
    log,
  });
}

/** Builds what is missing (first run: a few minutes) and answers where everything is. */
export async function prepareClusterBinaries(log: Log): Promise<ClusterBinaries> {
  if (!hasGo()) throw new Error('Go is needed to build the Temporal server for `npm run cluster`; install Go 1.22+ (see README.md)');
  const { db, guard } = await buildLocalServers(log);
  const temporalModuleDir = goModuleDir(TEMPORAL_SERVER_MODULE);
  const uiModuleDir = goModuleDir(TEMPORAL_UI_MODULE);
  const temporalServer = await buildFromModule(log, TEMPORAL_SERVER_MODULE, temporalModuleDir, { name: 'temporal-server', pkg: 'cmd/server', what: 'the Temporal server' });
  const sqlTool = await buildFromModule(log, TEMPORAL_SERVER_MODULE, temporalModuleDir, { name: 'temporal-sql-tool', pkg: 'cmd/tools/sql', what: "Temporal's SQL schema tool" });
  const ui = await buildFromModule(log, TEMPORAL_UI_MODULE, uiModuleDir, { name: 'temporal-ui-server', pkg: 'cmd/server', what: 'Temporal UI' });
  return { temporalServer, sqlTool, ui, db, guard, temporalModuleDir };
}
