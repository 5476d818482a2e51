import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { RunningPostgres } from './postgres.js';

export const TEMPORAL_DATABASES = { default: 'temporal', visibility: 'temporal_visibility' } as const;

function sqlTool(binary: string, postgres: RunningPostgres, args: string[]): Promise<void> {
  const connection = ['--ep', postgres.host, '-p', String(postgres.port), '-u', postgres.user, '--pl', 'postgres12'];
  return new Promise((resolve, reject) => {
    // The password goes through the environment (the tool reads SQL_PASSWORD), never the command line.
    const child = spawn(binary, [...connection, ...args], { env: { ...process.env, SQL_PASSWORD: postgres.password }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`temporal-sql-tool ${args.join(' ')} exited with ${code}:\n${output.split('\n').slice(-20).join('\n')}`)));
  });
}

/**
 * Temporal's own way to create and migrate its PostgreSQL schemas. The databases are created and
 * their versioning set up once (`createdMarker` records it); `update-schema` runs on every start and
 * applies only the versions not applied yet, so a newer pinned server migrates the data it finds.
 */
export async function setUpTemporalSchemas(options: { sqlTool: string; temporalModuleDir: string; postgres: RunningPostgres; createdMarker: string }) {
  const versioned = path.join(options.temporalModuleDir, 'schema', 'postgresql', 'v12');
  const created = existsSync(options.createdMarker);
  for (const [schema, database] of [['temporal', TEMPORAL_DATABASES.default], ['visibility', TEMPORAL_DATABASES.visibility]] as const) {
    const run = (args: string[]) => sqlTool(options.sqlTool, options.postgres, ['--db', database, ...args]);
    if (!created) {
      await run(['create-database']);
      await run(['setup-schema', '-v', '0.0']);
    }
    await run(['update-schema', '-d', path.join(versioned, schema, 'versioned')]);
  }
  if (!created) writeFileSync(options.createdMarker, `${new Date().toISOString()}\n`);
}
