import { parseCommandLine, SECRET_OPTIONS, SHORT_USAGE, UsageError, usageOf, type CommandName } from './args.js';
import { commands } from './commands.js';
import { adminApi, adminToken, ApiError, apiBaseUrl, publicBaseUrl } from './http.js';
import { Output } from './print.js';

export interface CliIo {
  env: Record<string, string | undefined>;
  cwd: string;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** `npm run admin -- <command> [options]`; resolves to the exit code (0 done, 1 API error, 2 usage). */
export async function runAdminCli(argv: string[], io: CliIo): Promise<number> {
  let out = new Output(io, [], false);
  let command: CommandName | undefined;
  try {
    const parsed = parseCommandLine(argv, io.env);
    if (parsed.help) {
      out.line(usageOf(parsed.command));
      return 0;
    }
    const { values } = parsed;
    command = parsed.command;
    // Very short values would blank out ordinary text; the API refuses secrets under 8 characters anyway.
    const secrets = SECRET_OPTIONS.map((name) => values[name]).filter((value): value is string => (value?.length ?? 0) >= 4);
    out = new Output(io, secrets, values.json ?? false);
    const baseUrl = apiBaseUrl(values.api, io.env);
    const api = adminApi({ baseUrl, token: () => adminToken(io.env, io.cwd) });
    await commands[parsed.command]({ api, values, out, webhookBase: publicBaseUrl(baseUrl, io.env) });
    return 0;
  } catch (error) {
    if (error instanceof UsageError) {
      out.error(`error: ${error.message}\n\n${error.usage ?? (command ? usageOf(command) : SHORT_USAGE)}`);
      return 2;
    }
    if (error instanceof ApiError) {
      out.error(`error: ${error.message} (${error.code})`);
      for (const detail of error.details) out.error(`  ${[detail.in, detail.path].filter(Boolean).join(' ')}: ${detail.message ?? ''}`);
      return 1;
    }
    out.error(`error: ${(error as Error).message ?? String(error)} (internal)`);
    return 1;
  }
}
