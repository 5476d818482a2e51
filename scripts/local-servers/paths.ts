import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const toolsBin = path.join(projectRoot, '.tools', 'bin');
export const localServersSource = path.join(projectRoot, 'localservers');

/** Pinned: v1.9.1 does not `go install` (replace directive in its go.mod). Server 1.29.1, UI 2.42.1. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
