// docker-compose.yml and the Dockerfile, checked statically: no Docker engine is
// needed. What Compose itself would only report at `docker compose up` (a missing
// service, a cycle, a port clash, a setting the processes do not know) fails here.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../config/index.js';
import { envSchema } from '../../config/schema.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

type EnvironmentValue = string | number | boolean | null;
type PortEntry = string | number | { target: number; published?: string | number; host_ip?: string };

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  environment?: string[] | Record<string, EnvironmentValue>;
  ports?: PortEntry[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
}

interface ComposeFile {
  services: Record<string, ComposeService>;
}

// Compose honours YAML merge keys (`<<: *switchboard-env`); YAML 1.2 parsers only when asked.
const compose = parse(readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
const dockerfilePath = path.join(root, 'Dockerfile');
const dockerfile = existsSync(dockerfilePath) ? readFileSync(dockerfilePath, 'utf8') : '';

function service(name: string): ComposeService {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service "${name}"`);
  return found;
}

function environmentOf(name: string): Record<string, string> {
  const environment = service(name).environment ?? {};
  if (Array.isArray(environment)) {
    return Object.fromEntries(
      environment.map((entry) => {
        const separator = entry.indexOf('=');
        return separator === -1 ? [entry, ''] : [entry.slice(0, separator), entry.slice(separator + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, value === null ? '' : String(value)]));
}

function dependenciesOf(name: string): string[] {
  const dependsOn = service(name).depends_on ?? [];
  return Array.isArray(dependsOn) ? dependsOn : Object.keys(dependsOn);
}

function portRange(spec: string): number[] {
  const [from, to = from] = spec.split('-').map(Number);
  const ports: number[] = [];
  for (let port = from!; port <= to!; port++) ports.push(port);
  return ports;
}

/** Host and container ports of Compose's short (`[ip:]host:container[/proto]`) and long port syntax. */
function portMappingsOf(name: string): { host: number; container: number }[] {
  return (service(name).ports ?? []).flatMap((entry) => {
    if (typeof entry === 'object') {
      return entry.published === undefined ? [] : portRange(String(entry.published)).map((host) => ({ host, container: entry.target }));
    }
    const withoutProtocol = String(entry).replace(/\/(tcp|udp|sctp)$/, '');
    const withoutIp = withoutProtocol.replace(/^(\[[^\]]+\]|\d+\.\d+\.\d+\.\d+):/, '');
    const parts = withoutIp.split(':');
    if (parts.length < 2) return []; // container port only: Docker picks a random host port
    const hosts = portRange(parts[0]!);
    const containers = portRange(parts[1]!);
    return hosts.map((host, index) => ({ host, container: containers[index] ?? containers[0]! }));
  });
}

/** Compose's variable interpolation: `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`, `$$`. */
function interpolate(value: string, variables: Record<string, string | undefined>): string {
  return value.replace(/\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}/g, (match, name?: string, operator?: string, argument?: string) => {
    if (match === '$$') return '$';
    const current = variables[name!];
    const unset = operator?.startsWith(':') ? !current : current === undefined;
    if (operator?.endsWith('?') && unset) throw new Error(`${name}: ${argument}`);
    if (operator?.endsWith('-') && unset) return argument ?? '';
    return current ?? '';
  });
}

/** The compiled entry file a command runs (`node dist/api/main.js`) and the TypeScript source it is built from. */
function entryOf(command: string | string[] | undefined): { compiled: string; source: string } | undefined {
  const args = typeof command === 'string' ? command.split(/\s+/) : (command ?? []);
  const compiled = args.find((arg) => /^(\.\/)?dist\/.+\.js$/.test(arg));
  if (!compiled) return undefined;
  return { compiled, source: compiled.replace(/^(\.\/)?dist\//, '').replace(/\.js$/, '.ts') };
}

function findCycle(graph: Record<string, string[]>): string[] | undefined {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (node: string, trail: string[]): string[] | undefined => {
    if (state.get(node) === 'done') return undefined;
    if (state.get(node) === 'visiting') return [...trail.slice(trail.indexOf(node)), node];
    state.set(node, 'visiting');
    for (const next of graph[node] ?? []) {
      const cycle = visit(next, [...trail, node]);
      if (cycle) return cycle;
    }
    state.set(node, 'done');
    return undefined;
  };
  for (const node of Object.keys(graph)) {
    const cycle = visit(node, []);
    if (cycle) return cycle;
  }
  return undefined;
}

const processes = ['api', 'worker'] as const;
const secrets = ['ENCRYPTION_KEYS', 'OPERATOR_TOKEN', 'ADMIN_TOKEN', 'PSEUDONYM_KEY'] as const;
const suppliedSecrets = {
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  OPERATOR_TOKEN: 'a'.repeat(64),
  ADMIN_TOKEN: 'b'.repeat(64),
  PSEUDONYM_KEY: Buffer.alloc(32, 9).toString('base64'),
  MONGODB_ROOT_PASSWORD: 'c'.repeat(64),
};

describe('docker-compose.yml', () => {
  it('defines the databases, Temporal, its UI, the api and the worker', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      expect.arrayContaining(['api', 'mongodb', 'postgresql', 'temporal', 'temporal-ui', 'worker']),
    );
  });

  it.each(processes)('builds %s from the Dockerfile at the repository root', (name) => {
    const build = service(name).build;
    expect(build, `${name} has no build section`).toBeDefined();
    const context = typeof build === 'string' ? build : (build?.context ?? '.');
    const file = typeof build === 'string' ? 'Dockerfile' : (build?.dockerfile ?? 'Dockerfile');
    expect(path.resolve(root, context, file)).toBe(dockerfilePath);
    expect(existsSync(dockerfilePath)).toBe(true);
  });

  it.each([
    ['api', 'api/main.ts'],
    ['worker', 'workers/main.ts'],
  ])('runs %s from the compiled output of %s', (name, expectedSource) => {
    const entry = entryOf(service(name).command);
    expect(entry?.source).toBe(expectedSource);
    expect(existsSync(path.join(root, entry!.source)), `${entry!.source} does not exist`).toBe(true);
  });

  it.each(processes)('starts %s after mongodb and temporal', (name) => {
    expect(dependenciesOf(name)).toEqual(expect.arrayContaining(['mongodb', 'temporal']));
  });

  it('starts temporal after postgresql', () => {
    expect(dependenciesOf('temporal')).toContain('postgresql');
  });

  it('starts temporal-ui after temporal', () => {
    expect(dependenciesOf('temporal-ui')).toContain('temporal');
  });

  it('depends only on services it defines', () => {
    const unknown = Object.keys(compose.services).flatMap((name) =>
      dependenciesOf(name)
        .filter((dependency) => !(dependency in compose.services))
        .map((dependency) => `${name} -> ${dependency}`),
    );
    expect(unknown).toEqual([]);
  });

  it('has no dependency cycle', () => {
    const graph = Object.fromEntries(Object.keys(compose.services).map((name) => [name, dependenciesOf(name)]));
    expect(findCycle(graph)).toBeUndefined();
  });

  it('waits for service_healthy only on services that define a health check', () => {
    const missing = Object.entries(compose.services).flatMap(([name, definition]) => {
      const dependsOn = definition.depends_on;
      if (!dependsOn || Array.isArray(dependsOn)) return [];
      return Object.entries(dependsOn)
        .filter(([dependency, { condition }]) => condition === 'service_healthy' && !compose.services[dependency]?.healthcheck?.test)
        .map(([dependency]) => `${name} -> ${dependency}`);
    });
    expect(missing).toEqual([]);
  });

  it.each(processes)('sets only Switchboard settings (keys of envSchema) on %s', (name) => {
    const known = new Set(Object.keys(envSchema.shape));
    const keys = Object.keys(environmentOf(name));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !known.has(key))).toEqual([]);
  });

  it.each(processes)('gives %s settings that pass the config schema once the secrets are supplied', (name) => {
    const environment = Object.fromEntries(
      Object.entries(environmentOf(name)).map(([key, value]) => [key, interpolate(value, suppliedSecrets)]),
    );
    const parsed = envSchema.safeParse(environment);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.TEMPORAL_ADDRESS).toBeDefined();
    expect(parsed.data?.MONGODB_URI).toBeDefined();
  });

  describe.each(processes)('on %s, each required secret', (name) => {
    it.each(secrets)('%s comes from the host environment and refuses to start without it', (secret) => {
      const value = environmentOf(name)[secret];
      expect(value).toMatch(new RegExp(`^\\$\\{${secret}:\\?[^}]+\\}$`));
      expect(() => interpolate(value!, { ...suppliedSecrets, [secret]: undefined })).toThrow(secret);
      expect(() => interpolate(value!, { ...suppliedSecrets, [secret]: '' })).toThrow(secret);
    });
  });

  it('commits no secret value on any service', () => {
    const text = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
    const uncommented = text
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .join('\n');
    // A 32-byte key written out in base64 (44 characters ending in "=").
    expect(uncommented).not.toMatch(/[A-Za-z0-9+/]{43}=/);
    const literal = Object.keys(compose.services).flatMap((name) =>
      Object.entries(environmentOf(name))
        .filter(([key, value]) => secrets.some((secret) => secret === key) && !value.startsWith(`\${${key}:?`))
        .map(([key]) => `${name}.${key}`),
    );
    expect(literal).toEqual([]);
  });

  it.each(processes)('points TEMPORAL_ADDRESS on %s at the temporal service frontend', (name) => {
    const [host, port] = environmentOf(name).TEMPORAL_ADDRESS!.split(':');
    expect(host).toBe('temporal');
    expect(port).toBe('7233');
    expect(service(host!).image).toMatch(/^temporalio\/(auto-setup|server):/);
  });

  it.each(processes)('points MONGODB_URI on %s at the mongodb service', (name) => {
    const uri = new URL(interpolate(environmentOf(name).MONGODB_URI!, suppliedSecrets));
    expect(uri.protocol).toBe('mongodb:');
    expect(uri.hostname).toBe('mongodb');
    expect(service(uri.hostname).image).toMatch(/^mongo:/);
  });

  it('runs mongodb with authentication: the root password comes from the host environment, with no default', () => {
    const environment = environmentOf('mongodb');
    expect(environment.MONGO_INITDB_ROOT_USERNAME).toBeDefined();
    expect(environment.MONGO_INITDB_ROOT_PASSWORD).toMatch(/^\$\{MONGODB_ROOT_PASSWORD:\?[^}]+\}$/);
    expect(() => interpolate(environment.MONGO_INITDB_ROOT_PASSWORD!, { ...suppliedSecrets, MONGODB_ROOT_PASSWORD: '' })).toThrow('MONGODB_ROOT_PASSWORD');
  });

  it.each(processes)('gives %s a MONGODB_URI with the mongodb root credentials, which the production checks accept', (name) => {
    const environment = Object.fromEntries(Object.entries(environmentOf(name)).map(([key, value]) => [key, interpolate(value, suppliedSecrets)]));
    const uri = new URL(environment.MONGODB_URI!);
    expect([decodeURIComponent(uri.username), decodeURIComponent(uri.password)]).toEqual([
      interpolate(environmentOf('mongodb').MONGO_INITDB_ROOT_USERNAME!, suppliedSecrets), suppliedSecrets.MONGODB_ROOT_PASSWORD,
    ]);
    expect(() => interpolate(environmentOf(name).MONGODB_URI!, { ...suppliedSecrets, MONGODB_ROOT_PASSWORD: undefined })).toThrow('MONGODB_ROOT_PASSWORD');
    expect(loadConfig({ ...environment, NODE_ENV: 'production' }).production).toBe(true);
  });

  it('makes the api listen on all interfaces of its container, on the port it publishes', () => {
    const environment = environmentOf('api');
    expect(environment.HOST).toBe('0.0.0.0');
    expect(portMappingsOf('api').map(({ container }) => container)).toContain(Number(environment.PORT ?? 3000));
  });

  it('publishes each host port at most once', () => {
    const hostPorts = Object.keys(compose.services).flatMap((name) => portMappingsOf(name).map(({ host }) => host));
    expect(hostPorts.length).toBeGreaterThan(0);
    expect(hostPorts.filter((port, index) => hostPorts.indexOf(port) !== index)).toEqual([]);
  });

  it('sends Temporal UI payloads to the codec server on the api published port, authenticated by the interpolated token', () => {
    const endpoint = environmentOf('temporal-ui').TEMPORAL_CODEC_ENDPOINT;
    expect(endpoint).toBeDefined();
    const url = new URL(interpolate(endpoint!, suppliedSecrets));
    const apiHostPorts = portMappingsOf('api').map(({ host }) => host);
    expect(apiHostPorts).toContain(Number(url.port));
    expect(url.pathname).toBe(`/codec/${suppliedSecrets.OPERATOR_TOKEN}`);
    expect(endpoint).toContain('${OPERATOR_TOKEN:?');
  });

  it('allows the Temporal UI origin to call the codec server', () => {
    const uiPorts = portMappingsOf('temporal-ui').map(({ host }) => host);
    const origins = environmentOf('api').CODEC_CORS_ORIGINS?.split(',') ?? [];
    expect(uiPorts.length).toBeGreaterThan(0);
    expect(origins).toEqual(expect.arrayContaining(uiPorts.map((port) => `http://localhost:${port}`)));
  });
});

describe('Dockerfile', () => {
  it('starts the API from compiled output whose source exists', () => {
    const commands = [...dockerfile.matchAll(/^CMD\s+(\[.*\])\s*$/gm)].map((match) => JSON.parse(match[1]!) as string[]);
    const entry = entryOf(commands.at(-1));
    expect(entry?.compiled).toBe('dist/api/main.js');
    expect(existsSync(path.join(root, entry!.source)), `${entry!.source} does not exist`).toBe(true);
  });

  it('compiles the directories of both entry files with npm run build', () => {
    const buildConfig = JSON.parse(readFileSync(path.join(root, 'tsconfig.build.json'), 'utf8')) as { include: string[] };
    expect(dockerfile).toMatch(/^RUN .*npm run build/m);
    expect(buildConfig.include).toEqual(expect.arrayContaining(['api', 'workers', 'workflows', 'temporal']));
  });

  it('ships production dependencies only, from the lockfile', () => {
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
  });

  it('runs as the non-root node user', () => {
    const users = [...dockerfile.matchAll(/^USER\s+(\S+)/gm)].map((match) => match[1]);
    expect(users.at(-1)).toBe('node');
  });

  it('checks health without curl', () => {
    const healthcheck = dockerfile.match(/^HEALTHCHECK[\s\S]*?CMD\s+(\[.*\])\s*$/m);
    expect(healthcheck).not.toBeNull();
    expect(JSON.parse(healthcheck![1]!)).toEqual(['node', '-e', expect.stringContaining('/healthz')]);
  });
});
