import type { Config } from '../../config/index.js';

/** What every API replica and worker of the cluster shares: the servers, the public address and the secrets. */
export function clusterAppEnv(config: Config, servers: { temporalAddress: string; mongoUri: string; uiPort?: number }): Record<string, string> {
  const { security } = config;
  if (!security.encryptionKeys || !security.operatorToken || !security.adminToken || !security.pseudonymKey) {
    throw new Error('clusterAppEnv: secrets missing (withDevSecrets first)');
  }
  return {
    TEMPORAL_ADDRESS: servers.temporalAddress,
    TEMPORAL_NAMESPACE: config.temporal.namespace,
    TEMPORAL_TASK_QUEUE: config.temporal.taskQueue,
    MONGODB_URI: servers.mongoUri,
    HOST: config.http.host,
    // One public address for every replica, as behind a load balancer: a webhook signed for it verifies on any replica.
    PUBLIC_BASE_URL: config.http.publicBaseUrl,
    DATA_DIR: config.dataDir,
    // The codec's CORS origins follow the UI's port.
    ...(servers.uiPort ? { TEMPORAL_UI_PORT: String(servers.uiPort) } : {}),
    ENCRYPTION_KEYS: security.encryptionKeys.map(({ id, key }) => `${id}:${key.toString('base64')}`).join(','),
    ...(security.activeKeyId ? { ENCRYPTION_ACTIVE_KEY_ID: security.activeKeyId } : {}),
    OPERATOR_TOKEN: security.operatorToken,
    ADMIN_TOKEN: security.adminToken,
    PSEUDONYM_KEY: security.pseudonymKey.toString('base64'),
  };
}
