// `npm run build:console`: compiles console/ (Preact, Vite) into dist/console, which the API serves at /console.
import { buildConsole } from './console-build.js';

const result = await buildConsole({ force: process.argv.includes('--force') });
process.stdout.write(`[switchboard] Console ${result.built ? 'built' : 'up to date'}: ${result.outDir}\n`);
