import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, type App } from './app.js';
import type { Services } from '../runtime/services.js';
import type { ReadinessCheck } from './routes/health.js';

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

export async function startApiServer(services: Services, options: { port?: number } = {}): Promise<RunningApi> {
  const { settings } = services;
  const app = createApp({
    logger: services.logger,
    publicBaseUrl: settings.http.publicBaseUrl,
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
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.app.listen(options.port ?? settings.http.port, settings.http.host, () => resolve(listening));
    listening.once('error', reject);
  });
  server.keepAliveTimeout = 65_000;
  const { port } = server.address() as AddressInfo;
  const host = settings.http.host.includes(':') ? `[${settings.http.host}]` : settings.http.host;

  return {
    app,
    server,
    url: `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), settings.shutdownGraceMs).unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
        app.streams.closeAll();
      }),
  };
}
