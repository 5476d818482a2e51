import { parseArgs } from 'node:util';

/** Wrong or missing arguments: exit 2 with a short usage text. */
export class UsageError extends Error {
  /** Without a usage of its own: the failing command's usage, else the short overview. */
  constructor(message: string, readonly usage?: string) {
    super(message);
  }
}

export const USAGE = `Usage: npm run admin -- <command> [options]

Brands
  brand create   --id <id> --name <name> [--help-text <text>] [--inactivity-minutes <n>]
  brand list
  brand get      --id <id>
  brand update   --id <id> [--name <name>] [--help-text <text>] [--inactivity-minutes <n>] [--disable | --enable]
  brand token    --id <id> [--expires-in-days <n>]   issue another agent API token (shown once); without expiry it lasts until revoked
  brand revoke-token --id <id> --token <tok_…>   revoke an agent API token (it answers 401 from then on)

Users
  user create    --brand <id> --email <email> --name <name> --password <p> [--profile admin|manager|agent|custom:<name>] [--skill <queue>]…
                 creates a user through the platform admin (use it for a brand's first admin); --password may be SWITCHBOARD_USER_PASSWORD

Channels
  channel add-twilio    --brand <id> --account-sid <AC…> --auth-token <token> --number <+E164[:queue]> [--number …]
  channel add-facebook  --brand <id> --page-id <id> --page-access-token <t> --app-secret <s> --verify-token <t> [--queue <q>]
  channel list          --brand <id>
  channel update        --brand <id> --id <channel id> [--disable | --enable] [--auth-token <t>] [--number <+E164[:queue]>]…
                        [--page-access-token <t>] [--app-secret <s>] [--verify-token <t>] [--queue <q>]

One-command setup (creates the brand if it does not exist, then connects the channel)
  setup twilio    --brand <id> --name <name> --account-sid <AC…> --auth-token <token> --number <+E164[:queue]> [--number …]
  setup facebook  --brand <id> --name <name> --page-id <id> --page-access-token <t> --app-secret <s> --verify-token <t> [--queue <q>]
                  (both also take [--help-text <text>] [--inactivity-minutes <n>] for a new brand)

Options for every command
  --api <url>   API base URL (default: $SWITCHBOARD_API_URL, else http://127.0.0.1:$PORT, PORT defaulting to 3000)
  --json        machine-readable output
  -h, --help    this text

Secrets: when adding a channel, --auth-token, --page-access-token, --app-secret and --verify-token may be left out and
given as TWILIO_AUTH_TOKEN, FACEBOOK_PAGE_ACCESS_TOKEN, FACEBOOK_APP_SECRET and FACEBOOK_VERIFY_TOKEN instead, which keeps
them out of shell history and process lists. npm echoes the command line: use "npm run -s admin" when passing them as options.
The CLI never prints them back.

The admin token comes from $ADMIN_TOKEN, else from $DATA_DIR/dev-secrets.json (written by npm start; DATA_DIR defaults to data).
Webhook URLs printed by setup start with $PUBLIC_BASE_URL when set, else the API URL.`;

export const SHORT_USAGE = `Usage: npm run admin -- <command> [options]
Commands: brand create|list|get|update|token|revoke-token, user create, channel add-twilio|add-facebook|list|update, setup twilio|facebook
Run "npm run admin -- --help" for every command's options.`;

const options = {
  api: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  id: { type: 'string' },
  name: { type: 'string' },
  'help-text': { type: 'string' },
  'inactivity-minutes': { type: 'string' },
  disable: { type: 'boolean' },
  enable: { type: 'boolean' },
  brand: { type: 'string' },
  'account-sid': { type: 'string' },
  'auth-token': { type: 'string' },
  number: { type: 'string', multiple: true },
  'page-id': { type: 'string' },
  'page-access-token': { type: 'string' },
  'app-secret': { type: 'string' },
  'verify-token': { type: 'string' },
  queue: { type: 'string' },
  email: { type: 'string' },
  password: { type: 'string' },
  profile: { type: 'string' },
  skill: { type: 'string', multiple: true },
  'expires-in-days': { type: 'string' },
  token: { type: 'string' },
} as const;

export type OptionName = keyof typeof options;
export type Values = ReturnType<typeof parseArgs<{ options: typeof options; allowPositionals: true; strict: true }>>['values'];

/** Options that carry secrets: their values never reach the output. */
export const SECRET_OPTIONS = ['auth-token', 'page-access-token', 'app-secret', 'verify-token', 'password'] as const satisfies readonly OptionName[];

/** Where a required secret comes from when its option is left out. */
export const SECRET_ENV: Record<(typeof SECRET_OPTIONS)[number], string> = {
  'auth-token': 'TWILIO_AUTH_TOKEN',
  'page-access-token': 'FACEBOOK_PAGE_ACCESS_TOKEN',
  'app-secret': 'FACEBOOK_APP_SECRET',
  'verify-token': 'FACEBOOK_VERIFY_TOKEN',
  password: 'SWITCHBOARD_USER_PASSWORD',
};

const brandFields: OptionName[] = ['name', 'help-text', 'inactivity-minutes'];
const facebookSecrets: OptionName[] = ['page-access-token', 'app-secret', 'verify-token'];

/** Each command with its required and optional options (beyond --api, --json, --help). */
export const COMMANDS = {
  'brand create': { required: ['id', 'name'], optional: ['help-text', 'inactivity-minutes'] },
  'brand list': { required: [], optional: [] },
  'brand get': { required: ['id'], optional: [] },
  'brand update': { required: ['id'], optional: [...brandFields, 'disable', 'enable'] },
  'brand token': { required: ['id'], optional: ['expires-in-days'] },
  'brand revoke-token': { required: ['id', 'token'], optional: [] },
  'user create': { required: ['brand', 'email', 'name', 'password'], optional: ['profile', 'skill'] },
  'channel add-twilio': { required: ['brand', 'account-sid', 'auth-token', 'number'], optional: [] },
  'channel add-facebook': { required: ['brand', 'page-id', ...facebookSecrets], optional: ['queue'] },
  'channel list': { required: ['brand'], optional: [] },
  'channel update': { required: ['brand', 'id'], optional: ['disable', 'enable', 'auth-token', 'number', ...facebookSecrets, 'queue'] },
  'setup twilio': { required: ['brand', 'name', 'account-sid', 'auth-token', 'number'], optional: ['help-text', 'inactivity-minutes'] },
  'setup facebook': { required: ['brand', 'name', 'page-id', ...facebookSecrets], optional: ['help-text', 'inactivity-minutes', 'queue'] },
} satisfies Record<string, { required: OptionName[]; optional: OptionName[] }>;

export type CommandName = keyof typeof COMMANDS;

export type Parsed = { help: true; command?: string } | { help: false; command: CommandName; values: Values };

const GLOBAL: OptionName[] = ['api', 'json', 'help'];

/** argv (after the script name) → the command and its validated options. Throws UsageError. */
export function parseCommandLine(argv: string[], env: Record<string, string | undefined> = {}): Parsed {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError((error as Error).message.split('\n')[0]!);
  }
  const { values, positionals } = parsed;
  const command = positionals.slice(0, 2).join(' ');
  if (values.help) return { help: true, command: command || undefined };
  if (positionals.length === 0) throw new UsageError('no command given');
  if (!(command in COMMANDS)) throw new UsageError(`unknown command "${positionals.join(' ')}"`);
  if (positionals.length > 2) throw new UsageError(`unexpected argument "${positionals[2]}"`);
  const spec: { required: OptionName[]; optional: OptionName[] } = COMMANDS[command as CommandName];
  const allowed = new Set([...GLOBAL, ...spec.required, ...spec.optional]);
  const commandUsage = usageOf(command);
  for (const name of Object.keys(values) as OptionName[]) {
    if (!allowed.has(name)) throw new UsageError(`"${command}" takes no --${name}`, commandUsage);
  }
  for (const name of SECRET_OPTIONS) {
    if (spec.required.includes(name) && values[name] === undefined && env[SECRET_ENV[name]]) values[name] = env[SECRET_ENV[name]];
  }
  const missing = spec.required.filter((name) => values[name] === undefined);
  const named = (name: OptionName) => (name in SECRET_ENV ? `--${name} (or ${SECRET_ENV[name as keyof typeof SECRET_ENV]})` : `--${name}`);
  if (missing.length > 0) throw new UsageError(`"${command}" needs ${missing.map(named).join(', ')}`, commandUsage);
  if (values.disable && values.enable) throw new UsageError('--disable and --enable exclude each other', commandUsage);
  return { help: false, command: command as CommandName, values };
}

/** The usage lines of one command (or of a command group), else the whole text. */
export function usageOf(command: string | undefined): string {
  if (!command) return USAGE;
  const lines = USAGE.split('\n');
  const start = lines.findIndex((line) => line.trimStart().startsWith(`${command} `) || line.trim() === command);
  if (start < 0) return USAGE;
  const own = [lines[start]!];
  for (const line of lines.slice(start + 1)) {
    if (!/^\s{10,}/.test(line)) break;
    own.push(line);
  }
  return `Usage: npm run admin -- ${own.map((line) => line.trim().replace(/\s{2,}/g, ' ')).join('\n    ')}\n(common options: --api <url>, --json, --help)`;
}

/** `--expires-in-days`: a positive whole number of days. */
export function days(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--expires-in-days must be a whole number of days, got "${value}"`);
  return Number(value);
}

/** `--inactivity-minutes`: a positive whole number. */
export function minutes(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`--inactivity-minutes must be a whole number of minutes, got "${value}"`);
  return Number(value);
}

/** `--number +14155550100[:queue]` → `{ phoneNumber, queueId? }`. */
export function numbers(values: string[] | undefined): { phoneNumber: string; queueId?: string }[] | undefined {
  return values?.map((value) => {
    const separator = value.indexOf(':');
    if (separator === 0 || separator === value.length - 1) throw new UsageError(`--number must be "+E164" or "+E164:queue", got "${value}"`);
    return separator < 0 ? { phoneNumber: value } : { phoneNumber: value.slice(0, separator), queueId: value.slice(separator + 1) };
  });
}
