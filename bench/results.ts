import type { Figures } from './measure.js';
import type { Ingest } from './ingest.js';
import type { Floor } from './scenarios/floor.js';
import type { IdleStreams } from './scenarios/idle-streams.js';
import type { OpenConversations } from './scenarios/open-conversations.js';
import type { ReplyToProvider } from './scenarios/reply-to-provider.js';
import type { SecureFormRoundTrip } from './scenarios/secure-form.js';
import type { WebhookToSse } from './scenarios/webhook-to-sse.js';

/** Everything one run measured; a scenario left out (BENCH_ONLY) or failed is absent. */
export interface Results {
  floor: Floor;
  systemCheck?: Figures;
  webhookToSse?: WebhookToSse;
  replyToProvider?: ReplyToProvider;
  secureForm?: SecureFormRoundTrip;
  idleStreams?: IdleStreams;
  ingest8?: Ingest;
  ingest64?: Ingest;
  openConversations?: OpenConversations;
}

export type ScenarioName = Exclude<keyof Results, 'floor'>;
export const scenarioNames: ScenarioName[] = ['systemCheck', 'webhookToSse', 'replyToProvider', 'secureForm', 'idleStreams', 'ingest8', 'ingest64', 'openConversations'];
