// Real ClickHouse servers for tests: each in a temporary folder, on loopback only. A cluster of N
// shards is N servers, one per loopback address (127.0.0.1, 127.0.0.2, ...), all on the same ports
// (as the nodes of a real cluster are), with a remote_servers definition naming them all. The
// store reaches every node at the entry URL's port with the node's host, as it does in production.
//
// When clickhouse-server is missing, suites are skipped (and say so); with CI=true they fail.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

/** The clickhouse-server binary: $GATELOG_TEST_CLICKHOUSE_SERVER when set (only it), else on PATH, else /usr/sbin. */
export function clickhouseServerBinary(): string | null {
  const chosen = process.env['GATELOG_TEST_CLICKHOUSE_SERVER'];
  const candidates = chosen
    ? [chosen]
    : [...(process.env['PATH'] ?? '').split(delimiter).map((d) => (d ? join(d, 'clickhouse-server') : undefined)), '/usr/sbin/clickhouse-server', '/usr/bin/clickhouse-server'];
  for (const c of candidates) {
    if (!c) continue;
    try {
      accessSync(c, constants.X_OK);
      return c;
    } catch {
      /* next */
    }
  }
  return null;
}

/**
 * `describe` for suites that need ClickHouse: runs them when clickhouse-server is installed; else
 * skips them with a note, or, on CI (CI=true), fails with what to install.
 */
export function describeWithClickHouse(name: string, fn: () => void): void {
  if (clickhouseServerBinary()) {
    describe(name, fn);
    return;
  }
  const why = 'clickhouse-server is not installed (Debian: apt-get install clickhouse-server; or set GATELOG_TEST_CLICKHOUSE_SERVER to its path)';
  if (process.env['CI'] === 'true') {
    describe(name, () => {
      it('needs clickhouse-server', () => {
        throw new Error(`${why}: CI must install it to run the ClickHouse store tests`);
      });
    });
    return;
  }
  process.stderr.write(`skipping "${name}": ${why}\n`);
  describe.skip(name, fn);
}

function portFree(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, host, () => srv.close(() => resolve(true)));
  });
}

function anyPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** A port free on every one of `hosts`. */
async function commonFreePort(hosts: readonly string[], taken: ReadonlySet<number>): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const p = await anyPort(hosts[0]!);
    if (taken.has(p)) continue;
    let ok = true;
    for (const h of hosts) if (!(await portFree(h, p))) ok = false;
    if (ok) return p;
  }
  throw new Error(`no port free on all of ${hosts.join(', ')}`);
}

export interface ClickHouseServer {
  readonly host: string;
  /** HTTP URL (no database). */
  readonly url: string;
  readonly dir: string;
  readonly running: boolean;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** The server's log (errors), for failure messages. */
  log(): string;
}

export interface ClickHouseCluster {
  /** Name of the cluster in every server's remote_servers. */
  readonly name: string;
  readonly servers: readonly ClickHouseServer[];
  /** The entry server's HTTP URL. */
  readonly url: string;
  stop(): Promise<void>;
}

function configXml(o: { dir: string; host: string; http: number; tcp: number; interserver: number; cluster: string; hosts: readonly string[] }): string {
  const shards = o.hosts
    .map((h) => `      <shard><replica><host>${h}</host><port>${o.tcp}</port></replica></shard>`)
    .join('\n');
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>${o.dir}/log/server.log</log>
    <errorlog>${o.dir}/log/error.log</errorlog>
    <size>10M</size>
    <count>1</count>
  </logger>
  <listen_host>${o.host}</listen_host>
  <http_port>${o.http}</http_port>
  <tcp_port>${o.tcp}</tcp_port>
  <interserver_http_port>${o.interserver}</interserver_http_port>
  <interserver_http_host>${o.host}</interserver_http_host>
  <max_connections>256</max_connections>
  <keep_alive_timeout>3</keep_alive_timeout>
  <max_concurrent_queries>50</max_concurrent_queries>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <mark_cache_size>67108864</mark_cache_size>
  <path>${o.dir}/data/</path>
  <tmp_path>${o.dir}/tmp/</tmp_path>
  <user_files_path>${o.dir}/user_files/</user_files_path>
  <format_schema_path>${o.dir}/format_schemas/</format_schema_path>
  <users_config>${o.dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mlock_executable>false</mlock_executable>
  <remote_servers>
    <${o.cluster}>
${shards}
    </${o.cluster}>
  </remote_servers>
</yandex>
`;
}

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>2000000000</max_memory_usage>
      <max_threads>2</max_threads>
      <load_balancing>in_order</load_balancing>
    </default>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.0/8</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval>
    </default>
  </quotas>
</yandex>
`;

class Server implements ClickHouseServer {
  private child: ChildProcess | null = null;
  private output = '';

  constructor(
    private readonly binary: string,
    readonly host: string,
    readonly dir: string,
    private readonly httpPort: number,
    private readonly stopMerges: boolean,
  ) {}

  get url(): string {
    return `http://${this.host}:${this.httpPort}`;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null;
  }

  log(): string {
    let errLog = '';
    try {
      errLog = readFileSync(join(this.dir, 'log', 'error.log'), 'utf8').split('\n').slice(-40).join('\n');
    } catch {
      /* none yet */
    }
    return `${this.output.slice(-4000)}\n${errLog}`;
  }

  async start(): Promise<void> {
    if (this.running) return;
    const child = spawn(this.binary, [`--config-file=${join(this.dir, 'config.xml')}`], { cwd: this.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout?.on('data', (d: Buffer) => (this.output += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (this.output += d.toString()));
    const deadline = Date.now() + 90_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`clickhouse-server on ${this.host} exited ${child.exitCode}:\n${this.log()}`);
      try {
        const r = await fetch(`${this.url}/?query=${encodeURIComponent('SELECT 1')}`);
        if (r.ok && (await r.text()).trim() === '1') {
          if (this.stopMerges) {
            const s = await fetch(`${this.url}/`, { method: 'POST', body: 'SYSTEM STOP MERGES' });
            if (!s.ok) throw new Error(`SYSTEM STOP MERGES on ${this.host}: ${await s.text()}`);
          }
          return;
        }
      } catch {
        /* not up yet */
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`clickhouse-server on ${this.host} did not answer within 90 s:\n${this.log()}`);
      }
      await new Promise((r) => setTimeout(r, 150));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 15_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
    this.child = null;
  }
}

let clusters = 0;

/**
 * Starts `shards` ClickHouse servers, each one shard of a cluster (named in the result), and waits
 * until each answers `SELECT 1`. Stop them with `stop()` (which also removes their folders).
 * Background merges are stopped (unless `merges`): the versions of a line item then stay in
 * separate parts, so the tests show that reads collapse them, not a merge that happened to run.
 * With `root`, the servers keep their data in that folder (created if missing, reused if not) and
 * `stop()` leaves it in place, so a long benchmark can go on from data an earlier run loaded.
 */
export async function startClickHouseCluster(options: { shards?: number; merges?: boolean; root?: string } = {}): Promise<ClickHouseCluster> {
  const binary = clickhouseServerBinary();
  if (!binary) throw new Error('clickhouse-server is not installed');
  const n = options.shards ?? 2;
  const hosts = Array.from({ length: n }, (_, i) => `127.0.0.${i + 1}`);
  const kept = options.root !== undefined;
  const root = options.root ?? mkdtempSync(join(tmpdir(), 'gatelog-clickhouse-'));
  const name = `gatelog_test_${++clusters}`;
  const taken = new Set<number>();
  const http = await commonFreePort(hosts, taken);
  taken.add(http);
  const tcp = await commonFreePort(hosts, taken);
  taken.add(tcp);
  const interserver = await commonFreePort(hosts, taken);
  const servers = hosts.map((host, i) => {
    const dir = join(root, `shard${i + 1}`);
    for (const sub of ['log', 'data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'config.xml'), configXml({ dir, host, http, tcp, interserver, cluster: name, hosts }));
    writeFileSync(join(dir, 'users.xml'), USERS_XML);
    return new Server(binary, host, dir, http, options.merges !== true);
  });
  const stopAll = async (): Promise<void> => {
    await Promise.all(servers.map((s) => s.stop()));
    if (!kept) rmSync(root, { recursive: true, force: true });
  };
  try {
    await Promise.all(servers.map((s) => s.start()));
  } catch (e) {
    await stopAll();
    throw e;
  }
  return { name, servers, url: servers[0]!.url, stop: stopAll };
}
