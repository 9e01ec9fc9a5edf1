// Starts the real `gatelog serve` (HTTPS, the test certificate) on a free port, as a user would.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { BIN, ROOT } from './cli.js';

export const TEST_TOKEN = 'test-admin-token-0123456789abcdef';

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  process: ChildProcess;
  output: () => string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export async function startServe(dataDir: string, extraArgs: readonly string[] = [], env: NodeJS.ProcessEnv = {}, fixedPort?: number): Promise<RunningServer> {
  const cert = process.env['GATELOG_TEST_TLS_CERT'];
  const key = process.env['GATELOG_TEST_TLS_KEY'];
  if (!cert || !key) throw new Error('the test TLS certificate is missing (test/global-setup.ts sets it)');
  const port = fixedPort ?? (await freePort());
  const child = spawn(process.execPath, [BIN, 'serve', '--data', dataDir, '--port', String(port), '--tls-cert', cert, '--tls-key', key, ...extraArgs], {
    cwd: ROOT,
    env: { ...process.env, GATELOG_ADMIN_TOKEN: TEST_TOKEN, ...env },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const url = `https://localhost:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`gatelog serve exited ${child.exitCode}:\n${out}`);
    try {
      const r = await fetch(`${url}/healthz`);
      if (r.ok) break;
    } catch {
      /* not up yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`gatelog serve did not answer within 60 s:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    token: TEST_TOKEN,
    process: child,
    output: () => out,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** POSTs NDJSON records to /ingest/signins and returns the answer. */
export async function ingest(server: RunningServer, records: readonly Record<string, unknown>[]): Promise<Record<string, unknown>> {
  const r = await fetch(`${server.url}/ingest/signins`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/x-ndjson' },
    body: records.map((x) => JSON.stringify(x)).join('\n'),
  });
  const body = (await r.json()) as Record<string, unknown>;
  if (!r.ok) throw new Error(`ingest failed: ${r.status} ${JSON.stringify(body)}`);
  return body;
}
