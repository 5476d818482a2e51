import { days, minutes, numbers, UsageError, type CommandName, type Values } from './args.js';
import { ApiError, type AdminApi } from './http.js';
import { checkChannelBody } from './validate.js';
import { TWILIO_CONNECTION_OVERRIDES } from '../../services/channels/twilio/connection-overrides.js';
import { brandLines, brandRow, channelLines, channelRow, tokenLines, webhookLines, type Brand, type Channel, type Output } from './print.js';

export interface CommandContext {
  api: AdminApi;
  values: Values;
  out: Output;
  /** PUBLIC_BASE_URL or the API URL: where providers send webhooks. */
  webhookBase: string;
}

type WithToken = { brand: Brand; apiToken: string };
const brandPath = (id: string) => `/api/v1/admin/brands/${encodeURIComponent(id)}`;
const channelsPath = (brandId: string) => `${brandPath(brandId)}/channels`;

/** Only the fields given: the API applies its own defaults (queue "default", help text from the name). */
function compact<T extends Record<string, unknown>>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}

const status = (values: Values) => (values.disable ? 'disabled' : values.enable ? 'active' : undefined);

const newBrandBody = (values: Values, id: string) =>
  compact({ id, name: values.name, helpText: values['help-text'], inactivityTimeoutMinutes: minutes(values['inactivity-minutes']) });

const twilioBody = (values: Values) => ({ kind: 'twilio', accountSid: values['account-sid'], authToken: values['auth-token'], numbers: numbers(values.number) });

const facebookBody = (values: Values) =>
  compact({
    kind: 'facebook', pageId: values['page-id'], pageAccessToken: values['page-access-token'], appSecret: values['app-secret'], verifyToken: values['verify-token'], queueId: values.queue,
  });

function printBrandWithToken(out: Output, result: WithToken, heading: string) {
  if (out.json) return out.document(result);
  out.line(heading);
  for (const line of [...brandLines(result.brand), ...tokenLines(result.apiToken)]) out.line(line);
}

/** Creates the brand when GET says 404, else uses it; then connects the channel and prints where to point the webhooks. */
async function setup(ctx: CommandContext, kind: Channel['kind']) {
  const { api, values, out } = ctx;
  const brandId = values.brand!;
  const channelBody = kind === 'twilio' ? twilioBody(values) : facebookBody(values);
  checkChannelBody(channelBody);
  let brand: Brand;
  let created: WithToken | undefined;
  try {
    brand = await api.request<Brand>('GET', brandPath(brandId));
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    created = await api.request<WithToken>('POST', '/api/v1/admin/brands', newBrandBody(values, brandId));
    brand = created.brand;
  }
  if (!out.json) {
    if (created) {
      out.line(`Created brand ${brand.id} "${brand.name}".`);
      for (const line of tokenLines(created.apiToken)) out.line(line);
    } else {
      out.line(`Brand ${brand.id} "${brand.name}" exists (${brand.status}): adding the channel to it.`);
      if (brand.status === 'disabled') out.line(`  note: the brand is disabled; enable it with: npm run admin -- brand update --id ${brand.id} --enable`);
    }
  }
  let channel: Channel;
  try {
    channel = await api.request<Channel>('POST', channelsPath(brandId), channelBody);
  } catch (error) {
    // The new brand's token is shown once: never lose it because the channel failed.
    if (created && out.json) out.document({ brand, brandCreated: true, apiToken: created.apiToken });
    throw error;
  }
  // Twilio: with connection overrides, so it retries an unanswered webhook as much as it can (see the constant).
  const webhookUrl = `${ctx.webhookBase}/webhooks/${kind}${kind === 'twilio' ? TWILIO_CONNECTION_OVERRIDES : ''}`;
  if (out.json) {
    return out.document({ brand, brandCreated: Boolean(created), ...(created ? { apiToken: created.apiToken } : {}), channel, webhooks: { [kind]: webhookUrl } });
  }
  out.line();
  for (const line of channelLines(channel)) out.line(line);
  out.line();
  for (const line of webhookLines(kind, webhookUrl, channel)) out.line(line);
}

function printChannel(out: Output, channel: Channel, heading?: string) {
  if (out.json) return out.document(channel);
  if (heading) out.line(heading);
  for (const line of channelLines(channel)) out.line(line);
}

export const commands: Record<CommandName, (ctx: CommandContext) => Promise<void>> = {
  async 'brand create'({ api, values, out }) {
    const result = await api.request<WithToken>('POST', '/api/v1/admin/brands', newBrandBody(values, values.id!));
    printBrandWithToken(out, result, `Created brand ${result.brand.id}.`);
  },
  async 'brand list'({ api, out }) {
    const { items } = await api.request<{ items: Brand[] }>('GET', '/api/v1/admin/brands');
    if (out.json) return out.document({ items });
    if (items.length === 0) return out.line('No brands yet: npm run admin -- brand create --id <id> --name <name>');
    for (const brand of items) out.line(brandRow(brand));
  },
  async 'brand get'({ api, values, out }) {
    const brand = await api.request<Brand>('GET', brandPath(values.id!));
    if (out.json) return out.document(brand);
    for (const line of brandLines(brand)) out.line(line);
  },
  async 'brand update'({ api, values, out }) {
    const changes = compact({ name: values.name, helpText: values['help-text'], inactivityTimeoutMinutes: minutes(values['inactivity-minutes']), status: status(values) });
    if (Object.keys(changes).length === 0) throw new UsageError('"brand update" needs something to change: --name, --help-text, --inactivity-minutes, --disable or --enable');
    const brand = await api.request<Brand>('PATCH', brandPath(values.id!), changes);
    if (out.json) return out.document(brand);
    out.line(`Updated brand ${brand.id}.`);
    for (const line of brandLines(brand)) out.line(line);
  },
  async 'brand token'({ api, values, out }) {
    const result = await api.request<WithToken>('POST', `${brandPath(values.id!)}/api-tokens`, compact({ expiresInDays: days(values['expires-in-days']) }));
    printBrandWithToken(out, result, `Issued another agent API token for brand ${result.brand.id}.`);
  },
  async 'brand revoke-token'({ api, values, out }) {
    await api.request<undefined>('DELETE', `${brandPath(values.id!)}/api-tokens/${encodeURIComponent(values.token!)}`);
    if (out.json) return out.document({ brandId: values.id, tokenId: values.token, revoked: true });
    out.line(`Revoked API token ${values.token} of brand ${values.id}: it answers 401 from now on.`);
  },
  async 'user create'({ api, values, out }) {
    const user = await api.request<{ id: string; email: string; profile: string }>('POST', `${brandPath(values.brand!)}/users`, {
      email: values.email, name: values.name, password: values.password, profile: values.profile ?? 'admin', skills: values.skill ?? [],
    });
    if (out.json) return out.document(user);
    out.line(`Created user ${user.email} (${user.profile}) in brand ${values.brand}: id ${user.id}. Sign in with POST /api/v1/auth/login.`);
  },
  async 'channel add-twilio'({ api, values, out }) {
    printChannel(out, await api.request<Channel>('POST', channelsPath(values.brand!), twilioBody(values)), 'Connected:');
  },
  async 'channel add-facebook'({ api, values, out }) {
    printChannel(out, await api.request<Channel>('POST', channelsPath(values.brand!), facebookBody(values)), 'Connected:');
  },
  async 'channel list'({ api, values, out }) {
    const { items } = await api.request<{ items: Channel[] }>('GET', channelsPath(values.brand!));
    if (out.json) return out.document({ items });
    if (items.length === 0) return out.line(`Brand ${values.brand} has no channels yet: npm run admin -- channel add-twilio --brand ${values.brand} …`);
    for (const channel of items) out.line(channelRow(channel));
  },
  async 'channel update'({ api, values, out }) {
    const changes = compact({
      status: status(values), authToken: values['auth-token'], numbers: numbers(values.number),
      pageAccessToken: values['page-access-token'], appSecret: values['app-secret'], verifyToken: values['verify-token'], queueId: values.queue,
    });
    if (Object.keys(changes).length === 0) throw new UsageError('"channel update" needs something to change: --disable, --enable, --number, --queue or a new secret');
    printChannel(out, await api.request<Channel>('PATCH', `${channelsPath(values.brand!)}/${encodeURIComponent(values.id!)}`, changes), 'Updated:');
  },
  'setup twilio': (ctx) => setup(ctx, 'twilio'),
  'setup facebook': (ctx) => setup(ctx, 'facebook'),
};
