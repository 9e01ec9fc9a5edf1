// Runs once before all test files, in the main vitest process:
// - builds dist/ (bin/gatelog builds when stale, but parallel test files must not race to do it);
// - creates one TLS certificate for every test server, and makes every test process trust it
//   through NODE_EXTRA_CA_CERTS (read by Node at start, so it must be set before the workers start).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateCertificate } from '../src/api/tls.js';

export default async function setup(): Promise<() => void> {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'bin', 'gatelog'), '--version'], { stdio: ['ignore', 'ignore', 'inherit'] });
  const dir = mkdtempSync(join(tmpdir(), 'gatelog-test-tls-'));
  const tls = await loadOrCreateCertificate(dir);
  process.env['NODE_EXTRA_CA_CERTS'] = tls.certPath;
  process.env['GATELOG_TEST_TLS_CERT'] = tls.certPath;
  process.env['GATELOG_TEST_TLS_KEY'] = join(dir, 'tls', 'gatelog-selfsigned.key');
  return () => rmSync(dir, { recursive: true, force: true });
}
