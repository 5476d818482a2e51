import type { Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from './app.js';
import type { Services } from '../runtime/services.js';
import type { ReadinessCheck } from './routes/health.js';
import { InboundJournal } from '../db/repositories/inbound-journal.js';
import { DurableIntake } from './use-cases/inbound/durable-intake.js';
import { handOver, type Handover } from './use-cases/inbound/handover.js';
import { JournalForwarder } from './use-cases/inbound/journal-forwarder.js';
import { LiveEvents } from '../db/live/live-events.js';

export interface RunningApi {
  app: App;
  server: Server;
  url: string;
  /** Stops accepting connections, lets in-flight requests finish within the grace period. */
  close(): Promise<void>;
}

export function readinessChecks(services: Services): ReadinessCheck[] {
  const { connection } = services.temporal;
  return [
    {
      name: 'temporal',
      check: async () => {
        await connection.withDeadline(Date.now() + 2_000, () => connection.workflowService.getSystemInfo({}));
      },
    },
    { name: 'database', check: () => services.database.ping(2_000) },
  ];
}

/** A signalWithStart normally takes milliseconds; past this the forwarder counts Temporal as unreachable. */
const FORWARD_DEADLINE_MS = 5_000;

/** The inbound journal and its forwarder: webhooks accept durably even while Temporal is down. */
export function startInboundIntake(services: Services) {
  const { settings } = services;
  const temporal = { client: services.temporal.client, taskQueue: settings.temporal.taskQueue };
  const journal = new InboundJournal<Handover>(services.database.db, services.fields);
  const forwarder = new JournalForwarder({
    journal,
    forward: (handover) => handOver(temporal, handover, FORWARD_DEADLINE_MS),
    logger: services.logger,
    concurrency: settings.inboundJournal.concurrency,
  });
  forwarder.start();
  const intake = new DurableIntake({ journal, forwarder, temporal, logger: services.logger, ackWaitMs: settings.inboundJournal.ackWaitMs });
  return { intake, forwarder };
}

export async function startApiServer(services: Services, options: { port?: number } = {}): Promise<RunningApi> {
  const { settings } = services;
  const { intake, forwarder } = startInboundIntake(services);
  // Also reached by this process's worker, if any: EventLog publishes what it stores to the hub of its database handle.
  const live = new LiveEvents(services.database.db, { tailMs: settings.liveEvents.tailMs, logger: services.logger });
  const app = createApp({
    intake,
    live,
    logger: services.logger,
    publicBaseUrl: settings.http.publicBaseUrl,
    trustProxy: settings.http.trustProxy,
    bodyLimitBytes: settings.http.bodyLimitBytes,
    readiness: readinessChecks(services),
    codec: services.dataConverter.payloadCodecs![0]!,
    operatorToken: settings.security.operatorToken,
    codecCorsOrigins: settings.security.codecCorsOrigins,
    client: services.temporal.client,
    db: services.database.db,
    fields: services.fields,
    directory: services.directory,
    adminToken: settings.security.adminToken,
    pseudonymKey: settings.security.pseudonymKey,
    taskQueue: settings.temporal.taskQueue,
    defaultInactivityTimeoutMs: settings.conversations.inactivityTimeoutMs,
    reopenWindowMs: settings.conversations.reopenWindowMs,
    delivery: settings.conversations.delivery,
    namespace: settings.temporal.namespace,
    vault: services.vault,
    offRecord: services.offRecord,
    formTtl: {
      linkMs: settings.forms.linkTtlMs,
      submitMs: settings.forms.submitTtlMs,
      revealMs: settings.forms.revealTtlMs,
      offRecordMs: settings.forms.offRecordTtlMs,
    },
  });
  const { tls } = settings.http;
  const server = await new Promise<Server>((resolve, reject) => {
    // HTTPS only from TLS 1.2 up (PCI DSS 4.2.1); helmet adds Strict-Transport-Security to every answer.
    const https = tls ? createHttpsServer({ cert: tls.cert, key: tls.key, minVersion: 'TLSv1.2' }, app.app) : undefined;
    const listening = https
      ? https.listen(options.port ?? settings.http.port, settings.http.host, () => resolve(listening))
      : app.app.listen(options.port ?? settings.http.port, settings.http.host, () => resolve(listening));
    listening.once('error', reject);
  }).catch(async (error: unknown) => {
    await Promise.all([forwarder.stop(), live.stop()]);
    throw error;
  });
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  const host = settings.http.host.includes(':') ? `[${settings.http.host}]` : settings.http.host;

  return {
    app,
    server,
    url: `${tls ? 'https' : 'http'}://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    // HTTP first (in-flight webhooks finish journaling), then the forwarder (pending entries wait for the next start).
    close: async () => {
      const force = setTimeout(() => server.closeAllConnections(), settings.shutdownGraceMs).unref();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      // Open event streams end now, and their slots of the per-user cap are released before the database closes.
      await Promise.all([closed, app.streams.closeAll()]);
      clearTimeout(force);
      await Promise.all([forwarder.stop(), live.stop()]);
    },
  };
}
