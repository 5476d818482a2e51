// Stand-alone API process (docker-compose, production). `npm start` runs API and worker together.
import { runProcess } from '../runtime/run-process.js';

await runProcess({ api: true, worker: false });
