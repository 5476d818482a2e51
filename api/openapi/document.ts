import { OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { assertPortablePatterns } from './portable-patterns.js';
import type { ApiRoutes } from './routes.js';

export const securitySchemes = {
  operatorToken: { type: 'http', scheme: 'bearer', description: 'OPERATOR_TOKEN: codec server and operator tools' },
  adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN: brands and channels' },
  brandToken: { type: 'http', scheme: 'bearer', description: 'A brand\'s agent API token (issued by the admin API)' },
} as const;

export function buildOpenApiDocument(routes: ApiRoutes, options: { serverUrl: string; version: string }) {
  for (const [name, scheme] of Object.entries(securitySchemes)) {
    routes.registry.registerComponent('securitySchemes', name, { ...scheme });
  }
  const document = new OpenApiGeneratorV31(routes.registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Switchboard API',
      version: options.version,
      description: 'Messaging gateway for contact centres: webhooks, agent API, secure forms, operations.',
    },
    servers: [{ url: options.serverUrl }],
  });
  assertPortablePatterns(document);
  return document;
}
