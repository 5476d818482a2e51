/** What the admin API returns (api/routes/admin/schemas.ts), as far as the CLI shows it. */
export interface Brand {
  id: string;
  name: string;
  status: 'active' | 'disabled';
  helpText: string;
  inactivityTimeoutMinutes?: number;
  apiTokens: { id: string; createdAt: string; expiresAt?: string }[];
  createdAt: string;
  updatedAt: string;
}

export interface Channel {
  id: string;
  brandId: string;
  kind: 'twilio' | 'facebook';
  status: 'active' | 'disabled';
  entryPoints: { id: string; address: string; queueId: string }[];
  twilio?: { accountSid: string; authToken: 'set' };
  facebook?: { pageId: string; pageAccessToken: 'set'; appSecret: 'set'; verifyToken: 'set' };
}

/** stdout/stderr for the commands, with every secret given on the command line blanked out. */
export class Output {
  constructor(
    private readonly io: { stdout: (text: string) => void; stderr: (text: string) => void },
    private readonly secrets: string[],
    readonly json: boolean,
  ) {}

  private redact(text: string): string {
    return this.secrets.reduce((result, secret) => result.split(secret).join('[secret]'), text);
  }

  line(text = ''): void {
    this.io.stdout(this.redact(`${text}\n`));
  }

  document(value: unknown): void {
    this.line(JSON.stringify(value, null, 2));
  }

  error(text: string): void {
    this.io.stderr(this.redact(`${text}\n`));
  }
}

export function brandLines(brand: Brand): string[] {
  return [
    `Brand ${brand.id} "${brand.name}" (${brand.status})`,
    `  help text:           ${brand.helpText}`,
    `  inactivity timeout:  ${brand.inactivityTimeoutMinutes ? `${brand.inactivityTimeoutMinutes} minutes` : 'server default'}`,
    `  agent API tokens:    ${brand.apiTokens.map((token) => `${token.id} (${token.createdAt}${token.expiresAt ? `, expires ${token.expiresAt}` : ''})`).join(', ') || 'none'}`,
  ];
}

export function brandRow(brand: Brand): string {
  return `${brand.id.padEnd(24)} ${brand.status.padEnd(9)} ${brand.name}`;
}

export function channelLines(channel: Channel): string[] {
  const entries = channel.entryPoints.map((entry) => `${entry.address} → queue ${entry.queueId}`);
  const lines = [`Channel ${channel.id} (${channel.kind}, ${channel.status}) of brand ${channel.brandId}`];
  if (channel.twilio) {
    lines.push(`  account SID:  ${channel.twilio.accountSid} (auth token ${channel.twilio.authToken})`);
    lines.push(`  numbers:      ${entries.join(', ') || 'none'}`);
  }
  if (channel.facebook) {
    lines.push(`  page:         ${entries.join(', ') || channel.facebook.pageId}`);
    lines.push(`  secrets:      page access token ${channel.facebook.pageAccessToken}, app secret ${channel.facebook.appSecret}, verify token ${channel.facebook.verifyToken}`);
  }
  return lines;
}

export function channelRow(channel: Channel): string {
  return `${channel.id.padEnd(40)} ${channel.kind.padEnd(9)} ${channel.status.padEnd(9)} ${channel.entryPoints.map((entry) => `${entry.address}:${entry.queueId}`).join(' ')}`;
}

export function tokenLines(apiToken: string): string[] {
  return ['Agent API token (shown once: store it now, only its hash is kept):', `  ${apiToken}`];
}

export function webhookLines(kind: Channel['kind'], url: string, channel: Channel): string[] {
  const lines =
    kind === 'twilio'
      ? [
          `Configure Twilio (Phone Numbers → ${channel.entryPoints.map((entry) => entry.address).join(', ')} → Messaging → "A message comes in": Webhook, HTTP POST):`,
          `  ${url}`,
          '  (keep the part after "#" as it is: it asks Twilio for 5 retries instead of 1)',
        ]
      : [
          'Configure Facebook (your Meta app → Messenger → Webhooks):',
          `  Callback URL:  ${url}`,
          '  Verify token:  the value you passed as --verify-token',
          `  Subscribe page ${channel.facebook?.pageId ?? ''} to: messages, messaging_postbacks, message_echoes, message_deliveries, message_reads`,
        ];
  if (/^http:\/\/(127\.|localhost|\[::1\])/.test(url)) {
    lines.push(`  (a loopback URL: ${kind === 'twilio' ? 'Twilio' : 'Facebook'} cannot reach it. Expose the API, e.g. with a tunnel, and set PUBLIC_BASE_URL to its public URL for both the API and this command; signatures are checked against it.)`);
  }
  return lines;
}
