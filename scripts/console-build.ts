import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const consoleSourceDir = path.join(root, 'console');
export const consoleOutDir = path.join(root, 'dist', 'console');
const stampFile = path.join(consoleOutDir, '.source-hash');

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map((entry) => (entry.isDirectory() ? filesUnder(path.join(dir, entry.name)) : Promise.resolve([path.join(dir, entry.name)]))),
  );
  return nested.flat().sort();
}

/** A hash of the console's sources and the toolkit versions: a rebuild happens only when one changed. */
async function sourceHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await filesUnder(consoleSourceDir)) hash.update(file).update(await readFile(file));
  hash.update(await readFile(path.join(root, 'package-lock.json')));
  return hash.digest('hex');
}

/** Builds the console with Vite unless dist/console already holds a build of these sources. */
export async function buildConsole(options: { force?: boolean } = {}): Promise<{ built: boolean; outDir: string }> {
  const wanted = await sourceHash();
  if (!options.force && existsSync(stampFile) && (await readFile(stampFile, 'utf8')) === wanted) return { built: false, outDir: consoleOutDir };
  const { build } = await import('vite');
  await build({ configFile: path.join(consoleSourceDir, 'vite.config.ts') });
  await writeFile(stampFile, wanted);
  return { built: true, outDir: consoleOutDir };
}
