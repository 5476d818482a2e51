import type { DeliveryPolicy } from '../workflows/conversation/definitions.js';
import express, { type Express } from 'express';
import helmet from 'helmet';
import { z } from 'zod';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { PayloadCodec } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import type { Db } from 'mongodb';
import type { TrustProxy } from '../config/trust-proxy.js';
import type { FieldEncryption } from '../db/field-encryption.js';
import { BrandRepository } from '../db/repositories/brands.js';
import type { ChannelDirectory } from '../db/repositories/channel-directory.js';
import { ChannelRepository } from '../db/repositories/channels.js';
import { ConversationRepository } from '../db/repositories/conversations.js';
import { MessageRepository } from '../db/repositories/messages.js';
import { OptOutRepository } from '../db/repositories/opt-outs.js';
import { registerAdminRoutes } from './routes/admin/index.js';
import { registerAdminUserRoutes } from './routes/admin/users.js';
import { registerAccountPolicyRoutes } from './routes/account-policy.js';
import { registerAuditRoutes } from './routes/audit.js';
import { registerAuthRoutes } from './routes/auth.js';
import { registerMeRoutes } from './routes/me.js';
import { registerProfileRoutes } from './routes/profiles.js';
import { registerUserRoutes } from './routes/users.js';
import { createAccountDependencies } from './use-cases/accounts/dependencies.js';
import { registerConversationRoutes } from './routes/conversations.js';
import { registerAvailabilityRoutes } from './routes/availability.js';
import { registerQueueRoutes } from './routes/queues.js';
import { registerAgentRoutes } from './routes/agents.js';
import { registerReportRoutes } from './routes/reports.js';
import { registerFormRoutes } from './routes/forms.js';
import { registerPrivacyRoutes } from './routes/admin/privacy.js';
import { registerVisitorFormRoutes } from './forms/visitor-routes.js';
import type { FormDependencies } from './use-cases/forms/dependencies.js';
import { OneTimeKeys } from '../services/forms/one-time-keys.js';
import { secureForms } from '../db/repositories/secure-forms.js';
import type { Vault } from '../services/forms/vault.js';
import type { DurableIntake } from './use-cases/inbound/durable-intake.js';
import type { OffRecordAnswers } from '../services/forms/off-record/answers.js';
import { agentStatusOf, signalRouter } from '../services/routing/router-notices.js';
import { EventStreams, registerEventRoutes } from './routes/events.js';
import { EventLog } from '../db/repositories/events.js';
import type { LiveEvents } from '../db/live/live-events.js';
import { registerFacebookWebhooks } from './webhooks/facebook.js';
import { registerTwilioWebhooks } from './webhooks/twilio.js';
import { redactUrl } from '../observability/logger.js';
import { errorHandler, routeNotFound } from './middleware/error-handler.js';
import { methodNotAllowed } from './middleware/method-not-allowed.js';
import { requestId } from './middleware/request-id.js';
import { requestContext } from './middleware/request-context.js';
import { AuditLog } from '../db/repositories/audit-log.js';
import { buildOpenApiDocument } from './openapi/document.js';
import { ApiRoutes } from './openapi/routes.js';
import { registerCodecRoutes } from './routes/codec.js';
import { mountConsole } from './console/serve.js';
import { registerHealthRoutes, type ReadinessCheck } from './routes/health.js';

export interface AppDependencies {
  logger: Logger;
  /** TRUST_PROXY (config/trust-proxy.ts); unset: false. */
  trustProxy?: TrustProxy;
  publicBaseUrl: string;
  bodyLimitBytes: number;
  readiness: ReadinessCheck[];
  codec: PayloadCodec;
  operatorToken: string;
  codecCorsOrigins: string[];
  version?: string;
  client: Client;
  db: Db;
  fields: FieldEncryption;
  directory: ChannelDirectory;
  adminToken: string;
  pseudonymKey: Buffer;
  taskQueue: string;
  defaultInactivityTimeoutMs: number;
  reopenWindowMs: number;
  delivery: DeliveryPolicy;
  namespace: string;
  vault: Vault;
  offRecord: OffRecordAnswers;
  formTtl: FormDependencies['ttl'];
  /** Where webhooks put provider events: the inbound journal, forwarded to Temporal. */
  intake: DurableIntake;
  /** This process's live-event hub: SSE streams subscribe to it. */
  live: LiveEvents;
  /** The compiled console served at /console (default: dist/console). */
  consoleDir?: string;
}

export interface App {
  app: Express;
  /** Open SSE streams: ended first on shutdown. */
  streams: EventStreams;
  routes: ApiRoutes;
  openApiDocument: ReturnType<typeof buildOpenApiDocument>;
}

/** The Express front: parsing, logging and errors here; behaviour lives in use cases behind the routes. */
export function createApp(deps: AppDependencies): App {
  const app = express();
  app.disable('x-powered-by');
  // Only the proxies TRUST_PROXY names may set req.ip through X-Forwarded-For; by default nobody can (per-IP limits).
  app.set('trust proxy', deps.trustProxy ?? false);
  app.set('query parser', 'simple');

  app.use(requestId());
  app.use(requestContext());
  app.use(
    pinoHttp({
      logger: deps.logger,
      genReqId: (req) => (req as express.Request).id,
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
    }),
  );
  app.use(helmet());

  // Each route reads the body it declares (api/openapi/body-parser.ts).
  const routes = new ApiRoutes(app, { bodyLimitBytes: deps.bodyLimitBytes });
  const streams = new EventStreams(deps.db);
  registerHealthRoutes(routes, { readiness: deps.readiness, backlog: () => deps.intake.backlog() });
  registerCodecRoutes(routes, { codec: deps.codec, operatorToken: deps.operatorToken, corsOrigins: deps.codecCorsOrigins });
  const brands = new BrandRepository(deps.db);
  const inbound = {
    intake: deps.intake,
    pseudonymKey: deps.pseudonymKey,
    defaultInactivityTimeoutMs: deps.defaultInactivityTimeoutMs,
    reopenWindowMs: deps.reopenWindowMs,
    delivery: deps.delivery,
    directory: deps.directory,
    publicBaseUrl: deps.publicBaseUrl,
  };
  registerTwilioWebhooks(routes, inbound);
  registerFacebookWebhooks(routes, inbound);
  registerAdminRoutes(routes, {
    brands, channels: new ChannelRepository(deps.db), fields: deps.fields, directory: deps.directory, audit: new AuditLog(deps.db), adminToken: deps.adminToken,
  });
  const accounts = {
    ...createAccountDependencies(deps.db, brands, {
      onAgentChanged: (user) =>
        signalRouter({ client: deps.client, taskQueue: deps.taskQueue }, user.brandId, { kind: 'agent', status: agentStatusOf(user) }),
    }),
    publicBaseUrl: deps.publicBaseUrl,
  };
  registerAuthRoutes(routes, accounts);
  registerMeRoutes(routes, accounts);
  registerUserRoutes(routes, accounts);
  registerProfileRoutes(routes, accounts);
  registerAccountPolicyRoutes(routes, accounts);
  registerAuditRoutes(routes, accounts);
  registerAdminUserRoutes(routes, { ...accounts, adminToken: deps.adminToken });
  registerAvailabilityRoutes(routes, { ...accounts, db: deps.db, client: deps.client, taskQueue: deps.taskQueue });
  registerEventRoutes(routes, { ...accounts, events: new EventLog(deps.db), live: deps.live, streams });
  registerQueueRoutes(routes, { ...accounts, db: deps.db, client: deps.client });
  registerAgentRoutes(routes, { ...accounts, conversations: new ConversationRepository(deps.db) });
  registerReportRoutes(routes, { ...accounts, db: deps.db, client: deps.client });
  const formDeps: FormDependencies = {
    db: deps.db, client: deps.client, taskQueue: deps.taskQueue, publicBaseUrl: deps.publicBaseUrl, brands,
    conversations: new ConversationRepository(deps.db), keys: new OneTimeKeys(deps.db), vault: deps.vault, offRecord: deps.offRecord,
    audit: accounts.audit, ttl: deps.formTtl,
  };
  registerFormRoutes(routes, { ...accounts, ...formDeps });
  registerPrivacyRoutes(routes, {
    db: deps.db, client: deps.client, namespace: deps.namespace, fields: deps.fields, vault: deps.vault, offRecord: deps.offRecord, audit: accounts.audit,
    pseudonymKey: deps.pseudonymKey, brands, adminToken: deps.adminToken,
  });
  registerVisitorFormRoutes(routes, formDeps);
  registerConversationRoutes(routes, {
    ...accounts,
    client: deps.client,
    conversations: new ConversationRepository(deps.db),
    messages: new MessageRepository(deps.db),
    optOuts: new OptOutRepository(deps.db),
    fields: deps.fields,
    onClosed: async (conversationId) => {
      const forms = await secureForms(deps.db)
        .find({ conversationId, offRecordExpiresAt: { $gt: new Date() } }, { projection: { _id: 1, brandId: 1, offRecordHolder: 1, offRecordExpiresAt: 1 } })
        .limit(500)
        .toArray();
      for (const form of forms) {
        // The conversation is closed: answers that could not be erased now still go when their timer ends.
        await deps.offRecord.erase(form).catch((error: unknown) => deps.logger.warn({ err: error, formId: form._id }, 'off-the-record answers not erased at close'));
      }
    },
  });

  routes.add(
    {
      method: 'get',
      path: '/openapi.json',
      operationId: 'getOpenApiDocument',
      summary: 'This OpenAPI document, generated from the schemas that validate requests',
      tags: ['operations'],
      responses: { 200: { description: 'OpenAPI 3.1 document', schema: z.record(z.string(), z.unknown()) } },
    },
    ({ res }) => {
      res.json(openApiDocument);
    },
  );
  const openApiDocument = buildOpenApiDocument(routes, { serverUrl: deps.publicBaseUrl, version: deps.version ?? '0.1.0' });

  mountConsole(app, deps.consoleDir);

  app.use(methodNotAllowed(routes));
  app.use(routeNotFound());
  app.use(errorHandler());
  return { app, routes, openApiDocument, streams };
}
