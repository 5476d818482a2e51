/** Loopback names and addresses: traffic to them never leaves the host. */
export function isLoopbackHost(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[|\]$/g, '');
  return name === 'localhost' || name.endsWith('.localhost') || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
}

/** The hosts of a `mongodb://` URI (several for a replica set) and whether it carries credentials or names an auth mechanism. */
function describeMongoUri(uri: string): { hosts: string[]; authenticated: boolean } {
  const rest = uri.replace(/^mongodb(\+srv)?:\/\//, '');
  const authorityEnd = rest.search(/[/?]/);
  const authority = authorityEnd === -1 ? rest : rest.slice(0, authorityEnd);
  const at = authority.lastIndexOf('@');
  const userinfo = at === -1 ? '' : authority.slice(0, at);
  const hosts = authority.slice(at + 1).split(',').map((host) => host.replace(/:\d+$/, ''));
  const query = new URLSearchParams(authorityEnd === -1 ? '' : rest.slice(authorityEnd).replace(/^[^?]*\??/, ''));
  return { hosts, authenticated: userinfo !== '' || query.has('authMechanism') };
}

/**
 * In production (NODE_ENV=production) Switchboard refuses to start with settings that expose
 * secrets on the network: a public URL over plain http, or a database reached without credentials.
 */
export function productionProblems(settings: { publicBaseUrl: string; mongoUris: Record<string, string | undefined> }): string[] {
  const problems: string[] = [];
  const publicUrl = new URL(settings.publicBaseUrl);
  if (publicUrl.protocol !== 'https:' && !isLoopbackHost(publicUrl.hostname)) {
    problems.push('PUBLIC_BASE_URL: must be https:// in production (plain http only on loopback); put a TLS reverse proxy in front');
  }
  for (const [name, uri] of Object.entries(settings.mongoUris)) {
    if (!uri) continue;
    const { hosts, authenticated } = describeMongoUri(uri);
    if (!authenticated && !hosts.every(isLoopbackHost)) {
      problems.push(`${name}: must carry credentials in production (mongodb://user:password@host/…?authSource=admin), unless the server is on loopback`);
    }
  }
  return problems;
}
