import { ConfigError, loadConfig } from '../../config/index.js';

/** The problems `loadConfig` names for `env`; fails the test when the configuration is accepted. */
export function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}
