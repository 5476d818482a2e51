// docker-compose.yml, the files it mounts from deploy/ and the Dockerfile, checked statically: no Docker
// engine is needed. What Compose itself would only report at `docker compose up` (a missing service, a
// cycle, a port clash, a setting the processes do not know) fails here, and so does a topology that
// would start but not work: replicas that differ, a proxy that misses a replica or buffers the event
// stream, a replica set never initiated, credentials that do not match the users the init creates.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../../config/index.js';
import { envSchema } from '../../config/schema.js';
import { trustProxySchema } from '../../config/trust-proxy.js';

const root = fileURLToPath(new URL('../../', import.meta.url));

type EnvironmentValue = string | number | boolean | null;
type PortEntry = string | number | { target: number; published?: string | number; host_ip?: string };

interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  command?: string | string[];
  entrypoint?: string | string[];
  restart?: string;
  depends_on?: string[] | Record<string, { condition?: string }>;
  environment?: string[] | Record<string, EnvironmentValue>;
  ports?: PortEntry[];
  volumes?: (string | { type?: string; source?: string; target: string; read_only?: boolean })[];
  healthcheck?: { test?: string | string[]; disable?: boolean };
}

interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

// Compose honours YAML merge keys (`<<: *api`); YAML 1.2 parsers only when asked.
const composeText = readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
const compose = parse(composeText, { merge: true }) as ComposeFile;
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

function conditionsOf(name: string): Record<string, string> {
  const dependsOn = service(name).depends_on ?? [];
  return Array.isArray(dependsOn)
    ? Object.fromEntries(dependsOn.map((dependency) => [dependency, 'service_started']))
    : Object.fromEntries(Object.entries(dependsOn).map(([dependency, { condition }]) => [dependency, condition ?? 'service_started']));
}

const dependenciesOf = (name: string): string[] => Object.keys(conditionsOf(name));

function argsOf(value: string | string[] | undefined): string[] {
  return typeof value === 'string' ? value.split(/\s+/) : (value ?? []);
}

function portRange(spec: string): number[] {
  const [from, to = from] = spec.split('-').map(Number);
  const ports: number[] = [];
  for (let port = from!; port <= to!; port++) ports.push(port);
  return ports;
}

/** Host address, host port and container port of Compose's short (`[ip:]host:container[/proto]`) and long port syntax. */
function portMappingsOf(name: string): { hostIp: string; host: number; container: number }[] {
  return (service(name).ports ?? []).flatMap((entry) => {
    if (typeof entry === 'object') {
      if (entry.published === undefined) return [];
      return portRange(String(entry.published)).map((host) => ({ hostIp: entry.host_ip ?? '0.0.0.0', host, container: entry.target }));
    }
    const withoutProtocol = String(entry).replace(/\/(tcp|udp|sctp)$/, '');
    const ip = withoutProtocol.match(/^(\[[^\]]+\]|\d+\.\d+\.\d+\.\d+):/);
    const withoutIp = ip ? withoutProtocol.slice(ip[0].length) : withoutProtocol;
    const parts = withoutIp.split(':');
    if (parts.length < 2) return [{ hostIp: '0.0.0.0', host: Number.NaN, container: Number(parts[0]) }]; // Docker picks a host port
    const hosts = portRange(parts[0]!);
    const containers = portRange(parts[1]!);
    return hosts.map((host, index) => ({ hostIp: ip?.[1] ?? '0.0.0.0', host, container: containers[index] ?? containers[0]! }));
  });
}

/** Named volumes and bind mounts of a service: what is mounted where, read-only or not. */
function mountsOf(name: string): { source: string; target: string; readOnly: boolean }[] {
  return (service(name).volumes ?? []).map((entry) => {
    if (typeof entry === 'object') return { source: entry.source ?? '', target: entry.target, readOnly: entry.read_only ?? false };
    const [source = '', target = '', mode = ''] = entry.split(':');
    return { source, target, readOnly: mode.split(',').includes('ro') };
  });
}

/** The host file a bind mount of the service shows at `containerPath`. */
function hostPathOf(name: string, containerPath: string): string | undefined {
  const mount = mountsOf(name)
    .filter(({ source }) => source.startsWith('.') || source.startsWith('/'))
    .find(({ target }) => containerPath === target || containerPath.startsWith(`${target}/`));
  return mount && path.join(root, mount.source, containerPath.slice(mount.target.length));
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
  const compiled = argsOf(command).find((arg) => /^(\.\/)?dist\/.+\.js$/.test(arg));
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

const builtFromDockerfile = (name: string): boolean => service(name).build !== undefined;

/** A health check Compose can wait for: the service's own, or the Dockerfile's HEALTHCHECK for an image built from it. */
function hasHealthCheck(name: string): boolean {
  const healthcheck = service(name).healthcheck;
  if (healthcheck?.disable) return false;
  if (healthcheck?.test) return true;
  return builtFromDockerfile(name) && /^HEALTHCHECK\s+(?!NONE)/m.test(dockerfile);
}

const servicesRunning = (source: string): string[] =>
  Object.keys(compose.services).filter((name) => entryOf(service(name).command)?.source === source);
const apis = servicesRunning('api/main.ts');
const workers = servicesRunning('workers/main.ts');
const processes = [...apis, ...workers];

const secrets = ['ENCRYPTION_KEYS', 'OPERATOR_TOKEN', 'ADMIN_TOKEN', 'PSEUDONYM_KEY'] as const;
const databasePasswords = ['MONGODB_ROOT_PASSWORD', 'MONGODB_APP_PASSWORD', 'VAULT_MONGODB_PASSWORD', 'TEMPORAL_DB_PASSWORD'] as const;
const suppliedSecrets: Record<string, string> = {
  ENCRYPTION_KEYS: `k1:${Buffer.alloc(32, 7).toString('base64')}`,
  OPERATOR_TOKEN: 'a'.repeat(64),
  ADMIN_TOKEN: 'b'.repeat(64),
  PSEUDONYM_KEY: Buffer.alloc(32, 9).toString('base64'),
  MONGODB_ROOT_PASSWORD: 'c'.repeat(64),
  MONGODB_APP_PASSWORD: 'd'.repeat(64),
  VAULT_MONGODB_PASSWORD: 'e'.repeat(64),
  TEMPORAL_DB_PASSWORD: 'f'.repeat(64),
};

/** A service's environment as the container gets it, with the secrets supplied and every default applied. */
function resolvedEnvironmentOf(name: string): Record<string, string> {
  return Object.fromEntries(Object.entries(environmentOf(name)).map(([key, value]) => [key, interpolate(value, suppliedSecrets)]));
}

/** A mongodb:// URI's parts (one host here). */
function mongoUri(uri: string) {
  const url = new URL(uri);
  return {
    protocol: url.protocol,
    host: url.host,
    user: decodeURIComponent(url.username),
    password: decodeURIComponent(url.password),
    database: url.pathname.replace(/^\//, ''),
    replicaSet: url.searchParams.get('replicaSet'),
    authSource: url.searchParams.get('authSource'),
  };
}

/** The value following a flag in an argument list (`--replSet rs0` or `--replSet=rs0`). */
function flagValue(args: string[], flag: string): string | undefined {
  const index = args.indexOf(flag);
  if (index !== -1) return args[index + 1];
  return args.find((arg) => arg.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

describe('docker-compose.yml: services', () => {
  it('defines the databases, the MongoDB set-up steps, Temporal, its UI and the proxy', () => {
    expect(Object.keys(compose.services)).toEqual(
      expect.arrayContaining(['mongodb', 'mongodb-keyfile', 'mongodb-init', 'postgresql', 'temporal', 'temporal-ui', 'proxy']),
    );
  });

  it('runs two API replicas and two workers', () => {
    expect(apis).toHaveLength(2);
    expect(workers).toHaveLength(2);
  });

  it.each([
    ['API replicas', apis],
    ['workers', workers],
  ])('gives both %s the same settings', (_, names) => {
    const [first, ...others] = names.map((name) => service(name));
    for (const other of others) expect(other).toEqual(first);
  });

  it.each(processes)('builds %s from the Dockerfile at the repository root', (name) => {
    const build = service(name).build;
    expect(build, `${name} has no build section`).toBeDefined();
    const context = typeof build === 'string' ? build : (build?.context ?? '.');
    const file = typeof build === 'string' ? 'Dockerfile' : (build?.dockerfile ?? 'Dockerfile');
    expect(path.resolve(root, context, file)).toBe(dockerfilePath);
    expect(existsSync(dockerfilePath)).toBe(true);
  });

  it.each(processes)('runs %s from compiled output whose source exists', (name) => {
    const entry = entryOf(service(name).command);
    expect(existsSync(path.join(root, entry!.source)), `${entry!.source} does not exist`).toBe(true);
  });

  it.each(workers)('disables the image health check (it probes the API port) on %s', (name) => {
    expect(service(name).healthcheck?.disable).toBe(true);
  });
});

describe('docker-compose.yml: start order', () => {
  it.each(processes)('starts %s once MongoDB is PRIMARY, its users exist and Temporal serves the namespace', (name) => {
    expect(conditionsOf(name)).toMatchObject({
      mongodb: 'service_healthy',
      'mongodb-init': 'service_completed_successfully',
      temporal: 'service_healthy',
    });
  });

  it('starts mongodb once its key file exists', () => {
    expect(conditionsOf('mongodb')).toMatchObject({ 'mongodb-keyfile': 'service_completed_successfully' });
  });

  it('runs mongodb-init once mongod has started (it waits for mongod itself: PRIMARY needs the init)', () => {
    expect(conditionsOf('mongodb-init')).toEqual({ mongodb: 'service_started' });
  });

  it('starts temporal once postgresql answers, and temporal-ui once temporal does', () => {
    expect(conditionsOf('temporal')).toMatchObject({ postgresql: 'service_healthy' });
    expect(conditionsOf('temporal-ui')).toMatchObject({ temporal: 'service_healthy' });
  });

  it('starts the proxy once every API replica is healthy', () => {
    expect(conditionsOf('proxy')).toEqual(Object.fromEntries(apis.map((name) => [name, 'service_healthy'])));
  });

  it('depends only on services it defines', () => {
    const unknown = Object.keys(compose.services).flatMap((name) =>
      dependenciesOf(name).filter((dependency) => !(dependency in compose.services)).map((dependency) => `${name} -> ${dependency}`),
    );
    expect(unknown).toEqual([]);
  });

  it('has no dependency cycle', () => {
    const graph = Object.fromEntries(Object.keys(compose.services).map((name) => [name, dependenciesOf(name)]));
    expect(findCycle(graph)).toBeUndefined();
  });

  it('waits for service_healthy only on services with a health check', () => {
    const missing = Object.keys(compose.services).flatMap((name) =>
      Object.entries(conditionsOf(name))
        .filter(([dependency, condition]) => condition === 'service_healthy' && !hasHealthCheck(dependency))
        .map(([dependency]) => `${name} -> ${dependency}`),
    );
    expect(missing).toEqual([]);
  });

  it('waits for service_completed_successfully only on one-shot services (never restarted)', () => {
    const longRunning = Object.keys(compose.services).flatMap((name) =>
      Object.entries(conditionsOf(name))
        .filter(([dependency, condition]) => condition === 'service_completed_successfully' && service(dependency).restart !== 'no')
        .map(([dependency]) => `${name} -> ${dependency}`),
    );
    expect(longRunning).toEqual([]);
  });
});

describe('docker-compose.yml: settings of the API replicas and workers', () => {
  it.each(processes)('sets only Switchboard settings (keys of envSchema) on %s', (name) => {
    const known = new Set(Object.keys(envSchema.shape));
    const keys = Object.keys(environmentOf(name));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((key) => !known.has(key))).toEqual([]);
  });

  it.each(processes)('gives %s settings that the production configuration accepts once the secrets are supplied', (name) => {
    const environment = resolvedEnvironmentOf(name);
    const parsed = envSchema.safeParse(environment);
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(parsed.data?.TEMPORAL_ADDRESS).toBeDefined();
    expect(parsed.data?.MONGODB_URI).toBeDefined();
    expect(parsed.data?.VAULT_MONGODB_URI).toBeDefined();
    expect(loadConfig({ ...environment, NODE_ENV: 'production' }).production).toBe(true);
  });

  describe.each(processes)('on %s, each required secret', (name) => {
    it.each(secrets)('%s comes from the host environment and refuses to start without it', (secret) => {
      const value = environmentOf(name)[secret];
      expect(value).toMatch(new RegExp(`^\\$\\{${secret}:\\?[^}]+\\}$`));
      expect(() => interpolate(value!, { ...suppliedSecrets, [secret]: undefined })).toThrow(secret);
      expect(() => interpolate(value!, { ...suppliedSecrets, [secret]: '' })).toThrow(secret);
    });
  });

  it.each(databasePasswords)('takes %s from the host environment wherever it is used, with no default', (variable) => {
    const uses = Object.keys(compose.services).flatMap((name) =>
      Object.values(environmentOf(name)).filter((value) => value.includes(`\${${variable}`)),
    );
    expect(uses.length).toBeGreaterThan(0);
    for (const value of uses) {
      expect(value).toContain(`\${${variable}:?`);
      expect(() => interpolate(value, { ...suppliedSecrets, [variable]: '' })).toThrow(variable);
    }
  });

  it('commits no secret value on any service', () => {
    const uncommented = composeText
      .split('\n')
      .filter((line) => !line.trimStart().startsWith('#'))
      .join('\n');
    // A 32-byte key written out in base64 (44 characters ending in "=").
    expect(uncommented).not.toMatch(/[A-Za-z0-9+/]{43}=/);
    const literal = Object.keys(compose.services).flatMap((name) =>
      Object.entries(environmentOf(name))
        .filter(([key, value]) => (secrets.some((secret) => secret === key) || /PASSWORD|PWD/.test(key)) && !/^\$\{[A-Z_]+:\?[^}]+\}$/.test(value))
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

  it.each(workers)('keeps WORKER_MAX_CACHED_WORKFLOWS adjustable on %s', (name) => {
    expect(environmentOf(name).WORKER_MAX_CACHED_WORKFLOWS).toMatch(/^\$\{WORKER_MAX_CACHED_WORKFLOWS:-\d+\}$/);
  });
});

describe('docker-compose.yml: MongoDB as a replica set with authentication', () => {
  const mongod = argsOf(service('mongodb').command);
  const replicaSet = flagValue(mongod, '--replSet');
  const keyFile = flagValue(mongod, '--keyFile');
  const init = resolvedEnvironmentOf('mongodb-init');

  it('runs mongod from the MongoDB 7 image as a replica set member with a key file (which also turns authentication on)', () => {
    expect(service('mongodb').image).toMatch(/^mongo:7/);
    expect(mongod[0]).toBe('mongod');
    expect(replicaSet).toBeTruthy();
    expect(keyFile).toBeTruthy();
  });

  it('creates the root user from the host environment on a new volume', () => {
    const environment = environmentOf('mongodb');
    expect(environment.MONGO_INITDB_ROOT_USERNAME).toBeDefined();
    expect(environment.MONGO_INITDB_ROOT_PASSWORD).toMatch(/^\$\{MONGODB_ROOT_PASSWORD:\?[^}]+\}$/);
  });

  it('reads the key file from the volume mongodb-keyfile writes it to, read-only', () => {
    const generator = argsOf(service('mongodb-keyfile').entrypoint);
    const written = generator.at(-1)!;
    const writerMount = mountsOf('mongodb-keyfile').find(({ target }) => written.startsWith(`${target}/`));
    const readerMount = mountsOf('mongodb').find(({ target }) => keyFile!.startsWith(`${target}/`));
    expect(writerMount, `mongodb-keyfile writes ${written} outside its volumes`).toBeDefined();
    expect(readerMount, `mongodb reads ${keyFile} outside its volumes`).toBeDefined();
    expect(readerMount!.source).toBe(writerMount!.source);
    expect(compose.volumes).toHaveProperty(writerMount!.source);
    expect(readerMount!.readOnly).toBe(true);
    expect(keyFile!.slice(readerMount!.target.length)).toBe(written.slice(writerMount!.target.length));
  });

  it('reports mongodb healthy only once it is the writable PRIMARY', () => {
    expect(argsOf(service('mongodb').healthcheck?.test).join(' ')).toContain('isWritablePrimary');
  });

  it('initiates the replica set the URIs name, with the member they connect to', () => {
    for (const name of processes) {
      const environment = resolvedEnvironmentOf(name);
      for (const uri of [environment.MONGODB_URI!, environment.VAULT_MONGODB_URI!]) {
        const parts = mongoUri(uri);
        expect(parts.replicaSet).toBe(replicaSet);
        expect(parts.host).toBe(init.MONGODB_HOST);
      }
    }
    expect(init.REPLICA_SET).toBe(replicaSet);
    expect(init.MONGODB_HOST!.split(':')[0]).toBe('mongodb');
  });

  it('signs mongodb-init in as the root user the mongodb service creates', () => {
    const mongodb = resolvedEnvironmentOf('mongodb');
    expect([init.MONGODB_ROOT_USER, init.MONGODB_ROOT_PASSWORD]).toEqual([mongodb.MONGO_INITDB_ROOT_USERNAME, mongodb.MONGO_INITDB_ROOT_PASSWORD]);
  });

  it.each(processes)('connects %s to its database as the user mongodb-init creates there', (name) => {
    const environment = resolvedEnvironmentOf(name);
    const uri = mongoUri(environment.MONGODB_URI!);
    expect(uri.protocol).toBe('mongodb:');
    expect(uri.user).not.toBe(init.MONGODB_ROOT_USER);
    expect({ user: uri.user, password: uri.password, authSource: uri.authSource }).toEqual({ user: init.APP_USER, password: init.APP_PASSWORD, authSource: init.APP_DB });
    expect(environment.MONGODB_DB).toBe(init.APP_DB);
  });

  it.each(processes)('connects %s to the vault with its own user and database', (name) => {
    const environment = resolvedEnvironmentOf(name);
    const uri = mongoUri(environment.VAULT_MONGODB_URI!);
    expect({ user: uri.user, password: uri.password, authSource: uri.authSource }).toEqual({ user: init.VAULT_USER, password: init.VAULT_PASSWORD, authSource: init.VAULT_DB });
    expect(environment.VAULT_MONGODB_DB).toBe(init.VAULT_DB);
    expect(init.VAULT_DB).not.toBe(init.APP_DB);
    expect(init.VAULT_USER).not.toBe(init.APP_USER);
    expect(environmentOf(name).VAULT_MONGODB_URI).toContain('${VAULT_MONGODB_PASSWORD:?');
    expect(environmentOf(name).MONGODB_URI).toContain('${MONGODB_APP_PASSWORD:?');
  });

  it.each(['mongodb-keyfile', 'mongodb-init'])('finds the script %s runs in the directory mounted into it', (name) => {
    const script = argsOf(service(name).entrypoint).find((arg) => arg.endsWith('.sh'));
    const hostPath = script && hostPathOf(name, script);
    expect(hostPath, `${name} runs no script from a bind mount`).toBeDefined();
    expect(existsSync(hostPath!), `${hostPath} does not exist`).toBe(true);
    expect(() => execFileSync('sh', ['-n', hostPath!])).not.toThrow();
  });

  it('has mongodb-init run init-replica-set.js from its own directory', () => {
    const script = readFileSync(path.join(root, 'deploy/mongodb/init-replica-set.sh'), 'utf8');
    expect(script).toMatch(/--file "\$script"/);
    expect(script).toMatch(/script=\$\(dirname "\$0"\)\/init-replica-set\.js/);
    expect(existsSync(path.join(root, 'deploy/mongodb/init-replica-set.js'))).toBe(true);
  });
});

describe('deploy/mongodb/generate-keyfile.sh', () => {
  const script = path.join(root, 'deploy/mongodb/generate-keyfile.sh');

  // It sets the owner to the mongo image's mongodb user: only root may.
  it.runIf(process.getuid?.() === 0)('writes a base64 key of 6–1024 characters, owned by uid 999 and readable by it alone, and keeps it on later runs', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'keyfile-'));
    try {
      const keyfile = path.join(directory, 'replica-set.key');
      execFileSync('sh', [script, keyfile]);
      const key = readFileSync(keyfile, 'utf8');
      expect(key).toMatch(/^[A-Za-z0-9+/=]{6,1024}$/);
      const stats = statSync(keyfile);
      expect([stats.uid, stats.gid, stats.mode & 0o777]).toEqual([999, 999, 0o400]);
      execFileSync('sh', [script, keyfile]);
      expect(readFileSync(keyfile, 'utf8')).toBe(key);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

/**
 * deploy/mongodb/init-replica-set.js run in a stand-in for the shell globals mongosh gives it (db, rs,
 * print, sleep, process.env), which behaves like one mongod started with --replSet and --keyFile:
 * everything but hello needs authentication, the member becomes PRIMARY a few hellos after
 * rs.initiate, and users can be written only on the PRIMARY.
 */
function runInitScript(options: { environment: Record<string, string | undefined>; initiated?: boolean; users?: { db: string; user: string }[]; hellosUntilPrimary?: number }) {
  const source = readFileSync(path.join(root, 'deploy/mongodb/init-replica-set.js'), 'utf8');
  const rootUser = { user: options.environment.MONGODB_ROOT_USER, pwd: options.environment.MONGODB_ROOT_PASSWORD };
  let clock = 0;
  let authenticated = false;
  let config: { _id: string; members: { _id: number; host: string }[] } | undefined = options.initiated ? { _id: 'existing', members: [] } : undefined;
  let hellosAfterInitiate = options.initiated ? Number.POSITIVE_INFINITY : 0;
  const hellosUntilPrimary = options.hellosUntilPrimary ?? 3;
  const primary = () => config !== undefined && hellosAfterInitiate > hellosUntilPrimary;
  const users = new Map<string, { pwd: string; roles: unknown }>((options.users ?? []).map(({ db, user }) => [`${db}.${user}`, { pwd: 'old', roles: [] }]));
  const writes: { action: 'create' | 'update'; db: string; user: string; pwd: string; roles: unknown }[] = [];
  const requireAuth = () => {
    if (!authenticated) throw Object.assign(new Error('command requires authentication'), { code: 13, codeName: 'Unauthorized' });
  };
  const requirePrimary = () => {
    if (!primary()) throw Object.assign(new Error('not primary'), { code: 10107, codeName: 'NotWritablePrimary' });
  };
  const database = (name: string) => ({
    getSiblingDB: (other: string) => database(other),
    auth(user: string, pwd: string) {
      if (name !== 'admin' || user !== rootUser.user || pwd !== rootUser.pwd) throw Object.assign(new Error('Authentication failed.'), { code: 18 });
      authenticated = true;
      return { ok: 1 };
    },
    hello() {
      if (config) hellosAfterInitiate++;
      return { ok: 1, isWritablePrimary: primary(), setName: config?._id };
    },
    getUser(user: string) {
      requireAuth();
      return users.has(`${name}.${user}`) ? { user, db: name } : null;
    },
    createUser({ user, pwd, roles }: { user: string; pwd: string; roles: unknown }) {
      requireAuth();
      requirePrimary();
      if (users.has(`${name}.${user}`)) throw Object.assign(new Error(`User "${user}@${name}" already exists`), { code: 51003 });
      users.set(`${name}.${user}`, { pwd, roles });
      writes.push({ action: 'create', db: name, user, pwd, roles });
    },
    updateUser(user: string, update: { pwd: string; roles: unknown }) {
      requireAuth();
      requirePrimary();
      if (!users.has(`${name}.${user}`)) throw Object.assign(new Error(`User ${user}@${name} not found`), { code: 11 });
      users.set(`${name}.${user}`, update);
      writes.push({ action: 'update', db: name, user, ...update });
    },
  });
  const rs = {
    status() {
      requireAuth();
      if (!config) throw Object.assign(new Error('no replset config has been received'), { code: 94, codeName: 'NotYetInitialized' });
      return { ok: 1, set: config._id };
    },
    initiate(initial: typeof config) {
      requireAuth();
      if (config) throw Object.assign(new Error('already initialized'), { code: 23, codeName: 'AlreadyInitialized' });
      config = initial;
      return { ok: 1 };
    },
  };
  let error: unknown;
  try {
    vm.runInNewContext(source, {
      db: database('admin'),
      rs,
      print: () => {},
      sleep: (ms: number) => {
        clock += ms;
      },
      process: { env: options.environment },
      Date: { now: () => clock },
    });
  } catch (caught) {
    error = caught;
  }
  return { error, config, writes, primary: primary() };
}

describe('deploy/mongodb/init-replica-set.js (mongodb-init)', () => {
  const environment = resolvedEnvironmentOf('mongodb-init');
  const readWrite = (db: string) => [{ role: 'readWrite', db }];

  it('initiates the replica set on a new member with the member the URIs connect to, signed in as root', () => {
    const run = runInitScript({ environment });
    expect(run.error).toBeUndefined();
    expect(run.config).toEqual({ _id: environment.REPLICA_SET, members: [{ _id: 0, host: environment.MONGODB_HOST }] });
  });

  it('creates Switchboard’s user and the vault’s user once the member is PRIMARY, each allowed only its own database', () => {
    const run = runInitScript({ environment, hellosUntilPrimary: 5 });
    expect(run.error).toBeUndefined();
    expect(run.writes).toEqual([
      { action: 'create', db: environment.APP_DB, user: environment.APP_USER, pwd: environment.APP_PASSWORD, roles: readWrite(environment.APP_DB!) },
      { action: 'create', db: environment.VAULT_DB, user: environment.VAULT_USER, pwd: environment.VAULT_PASSWORD, roles: readWrite(environment.VAULT_DB!) },
    ]);
  });

  it('leaves an initiated replica set alone and brings existing users up to date (every `up` runs it)', () => {
    const run = runInitScript({
      environment,
      initiated: true,
      users: [{ db: environment.APP_DB!, user: environment.APP_USER! }, { db: environment.VAULT_DB!, user: environment.VAULT_USER! }],
    });
    expect(run.error).toBeUndefined();
    expect(run.config?._id).toBe('existing');
    expect(run.writes.map(({ action, user, pwd }) => [action, user, pwd])).toEqual([
      ['update', environment.APP_USER, environment.APP_PASSWORD],
      ['update', environment.VAULT_USER, environment.VAULT_PASSWORD],
    ]);
  });

  it('fails (so that nothing starts after it) when the member never becomes PRIMARY', () => {
    const run = runInitScript({ environment, hellosUntilPrimary: Number.POSITIVE_INFINITY });
    expect(String(run.error)).toMatch(/PRIMARY/);
    expect(run.writes).toEqual([]);
  });

  it('fails with the name of a missing setting', () => {
    const run = runInitScript({ environment: { ...environment, VAULT_PASSWORD: '' } });
    expect(String(run.error)).toContain('VAULT_PASSWORD');
    expect(run.config).toBeUndefined();
  });

  it('refuses to put the vault in Switchboard’s database', () => {
    const run = runInitScript({ environment: { ...environment, VAULT_DB: environment.APP_DB } });
    expect(String(run.error)).toMatch(/vault/);
    expect(run.writes).toEqual([]);
  });
});

/** nginx configuration as a tree of directives (`name args;` or `name args { … }`). */
interface Directive {
  name: string;
  args: string[];
  children?: Directive[];
}

function parseNginx(text: string): Directive[] {
  const tokens = [...text.matchAll(/#[^\n]*|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([{};])|([^\s{};"'#]+)/g)]
    .filter((match) => !match[0].startsWith('#'))
    .map((match) => ({ punctuation: match[3], word: match[1] ?? match[2] ?? match[4] }));
  let position = 0;
  const block = (): Directive[] => {
    const directives: Directive[] = [];
    while (position < tokens.length && tokens[position]!.punctuation !== '}') {
      const words: string[] = [];
      while (position < tokens.length && !tokens[position]!.punctuation) words.push(tokens[position++]!.word!);
      const end = tokens[position++];
      if (!end || words.length === 0) throw new Error(`nginx configuration: unexpected ${end?.punctuation ?? 'end'} after "${words.join(' ')}"`);
      const [name, ...args] = words as [string, ...string[]];
      if (end.punctuation === '{') {
        directives.push({ name, args, children: block() });
        if (tokens[position++]?.punctuation !== '}') throw new Error(`nginx configuration: "${name}" block is not closed`);
      } else if (end.punctuation === ';') {
        directives.push({ name, args });
      } else {
        throw new Error(`nginx configuration: unexpected } after "${words.join(' ')}"`);
      }
    }
    return directives;
  };
  const directives = block();
  if (position < tokens.length) throw new Error('nginx configuration: unbalanced }');
  return directives;
}

/** nginx size syntax (`2m`, `512k`, bytes) in bytes; time syntax (`1h`, `90s`, `500ms`) in milliseconds. */
const sizeInBytes = (value: string): number => Number.parseInt(value, 10) * ({ k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[value.slice(-1).toLowerCase()] ?? 1);
function durationInMs(value: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  return [...value.matchAll(/(\d+)(ms|s|m|h|d)?/g)].reduce((total, [, amount, unit]) => total + Number(amount) * units[unit ?? 's']!, 0);
}

describe('deploy/proxy: nginx in front of the API replicas', () => {
  const configMount = mountsOf('proxy').find(({ target }) => target.startsWith('/etc/nginx/'));
  const configPath = configMount && path.join(root, configMount.source);
  const http = configPath && existsSync(configPath) ? parseNginx(readFileSync(configPath, 'utf8')) : [];
  const servers = http.filter(({ name }) => name === 'server');
  const locations = servers.flatMap((server) => (server.children ?? []).filter(({ name }) => name === 'location').map((location) => ({ server, location })));
  const upstreams = new Map(http.filter(({ name }) => name === 'upstream').map((upstream) => [upstream.args[0]!, upstream]));
  /** A directive's effective arguments in a location: its own, else its server's, else the http level's (nginx inheritance). */
  const effective = (server: Directive, location: Directive | undefined, name: string): string[][] => {
    for (const level of [location?.children, server.children, http]) {
      const found = (level ?? []).filter((directive) => directive.name === name).map(({ args }) => args);
      if (found.length > 0) return found;
    }
    return [];
  };
  const eventStream = locations.find(({ location }) => location.args.join(' ') === '= /api/v1/events' || location.args.at(-1) === '/api/v1/events');

  it('runs nginx with the configuration from deploy/proxy as its conf.d server', () => {
    expect(service('proxy').image).toMatch(/^nginx:/);
    expect(configMount?.target).toBe('/etc/nginx/conf.d/default.conf');
    expect(configMount?.readOnly).toBe(true);
    expect(existsSync(configPath!), `${configPath} does not exist`).toBe(true);
    expect(servers.length).toBeGreaterThan(0);
  });

  it('listens on the container port the proxy publishes', () => {
    const listening = servers.flatMap((server) => effective(server, undefined, 'listen').map(([address]) => Number(address!.split(':').at(-1))));
    expect(listening).toEqual(expect.arrayContaining(portMappingsOf('proxy').map(({ container }) => container)));
  });

  it('sends every request to an upstream of exactly the API replicas, each on the port it listens on', () => {
    const targets = apis.map((name) => `${name}:${environmentOf(name).PORT ?? '3000'}`).sort();
    expect(locations.length).toBeGreaterThan(0);
    for (const { server, location } of locations) {
      const [[target] = []] = effective(server, location, 'proxy_pass');
      const upstream = upstreams.get(target!.replace(/^https?:\/\//, '').replace(/\/.*$/, ''));
      expect(upstream, `location ${location.args.join(' ')} does not proxy to an upstream`).toBeDefined();
      const members = (upstream!.children ?? []).filter(({ name }) => name === 'server').map(({ args }) => args[0]);
      expect(members.sort()).toEqual(targets);
    }
    expect(locations.some(({ location }) => location.args.join(' ') === '/')).toBe(true);
  });

  it('follows a replica to its new address when it is recreated (resolve, with Docker’s resolver)', () => {
    expect(http.find(({ name }) => name === 'resolver')?.args[0]).toBe('127.0.0.11');
    for (const upstream of upstreams.values()) {
      expect((upstream.children ?? []).some(({ name }) => name === 'zone')).toBe(true);
      for (const member of (upstream.children ?? []).filter(({ name }) => name === 'server')) expect(member.args).toContain('resolve');
    }
  });

  it('passes the live event stream (SSE) unbuffered, over HTTP/1.1, and keeps it open far beyond its 15 s heartbeat', () => {
    expect(eventStream, 'no location for /api/v1/events').toBeDefined();
    const { server, location } = eventStream!;
    expect(effective(server, location, 'proxy_buffering')).toEqual([['off']]);
    expect(effective(server, location, 'proxy_http_version')).toEqual([['1.1']]);
    expect(effective(server, location, 'proxy_set_header')).toContainEqual(['Connection', '']);
    const [[readTimeout = '60s'] = []] = effective(server, location, 'proxy_read_timeout');
    expect(durationInMs(readTimeout)).toBeGreaterThanOrEqual(10 * 60_000);
  });

  it('appends the client address to X-Forwarded-For, and every API replica trusts exactly that one hop', () => {
    for (const { server, location } of locations) {
      const forwardedFor = effective(server, location, 'proxy_set_header').find(([header]) => header!.toLowerCase() === 'x-forwarded-for');
      expect(forwardedFor?.[1]).toMatch(/^\$(proxy_add_x_forwarded_for|remote_addr)$/);
    }
    for (const name of apis) {
      expect(trustProxySchema.parse(resolvedEnvironmentOf(name).TRUST_PROXY ?? '')).toBe(1);
    }
  });

  it('lets bodies larger than the API’s limit through, so the API answers them with its own JSON 413', () => {
    for (const { server, location } of locations) {
      const [[size = '1m'] = []] = effective(server, location, 'client_max_body_size');
      for (const name of apis) {
        const limit = envSchema.shape.REQUEST_BODY_LIMIT_BYTES.parse(resolvedEnvironmentOf(name).REQUEST_BODY_LIMIT_BYTES);
        expect(sizeInBytes(size)).toBeGreaterThan(limit);
      }
    }
  });
});

describe('docker-compose.yml: what is published', () => {
  it('publishes only the proxy on every interface', () => {
    const everywhere = Object.keys(compose.services).flatMap((name) =>
      portMappingsOf(name).filter(({ hostIp }) => hostIp !== '127.0.0.1').map(({ host }) => `${name}:${host}`),
    );
    expect(everywhere).toEqual(portMappingsOf('proxy').map(({ host }) => `proxy:${host}`));
    expect(everywhere.length).toBeGreaterThan(0);
  });

  it('publishes Temporal’s frontend and its UI on loopback only', () => {
    expect(portMappingsOf('temporal').map(({ hostIp, container }) => [hostIp, container])).toContainEqual(['127.0.0.1', 7233]);
    expect(portMappingsOf('temporal-ui').length).toBeGreaterThan(0);
    for (const name of ['temporal', 'temporal-ui']) {
      for (const { hostIp } of portMappingsOf(name)) expect(hostIp).toBe('127.0.0.1');
    }
  });

  it('publishes nothing of the databases, the API replicas or the workers', () => {
    const published = ['mongodb', 'mongodb-keyfile', 'mongodb-init', 'postgresql', ...processes].filter((name) => portMappingsOf(name).length > 0);
    expect(published).toEqual([]);
  });

  it('publishes each host port at most once', () => {
    const hostPorts = Object.keys(compose.services).flatMap((name) => portMappingsOf(name).map(({ host }) => host));
    expect(hostPorts.filter((port, index) => hostPorts.indexOf(port) !== index)).toEqual([]);
  });

  it.each(apis)('makes %s listen on all interfaces of its container', (name) => {
    expect(environmentOf(name).HOST).toBe('0.0.0.0');
  });

  it('sends Temporal UI payloads to the codec server through the proxy, authenticated by the interpolated token', () => {
    const endpoint = environmentOf('temporal-ui').TEMPORAL_CODEC_ENDPOINT;
    expect(endpoint).toBeDefined();
    const url = new URL(interpolate(endpoint!, suppliedSecrets));
    expect(portMappingsOf('proxy').map(({ host }) => host)).toContain(Number(url.port));
    expect(url.pathname).toBe(`/codec/${suppliedSecrets.OPERATOR_TOKEN}`);
    expect(endpoint).toContain('${OPERATOR_TOKEN:?');
  });

  it('allows the Temporal UI origin to call the codec server', () => {
    const uiPorts = portMappingsOf('temporal-ui').map(({ host }) => host);
    expect(uiPorts.length).toBeGreaterThan(0);
    for (const name of apis) {
      const origins = environmentOf(name).CODEC_CORS_ORIGINS?.split(',') ?? [];
      expect(origins).toEqual(expect.arrayContaining(uiPorts.map((port) => `http://localhost:${port}`)));
    }
  });

  it('gives the API the public URL of the proxy by default', () => {
    for (const name of apis) {
      const url = new URL(resolvedEnvironmentOf(name).PUBLIC_BASE_URL!);
      expect(portMappingsOf('proxy').map(({ host }) => host)).toContain(Number(url.port));
    }
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
