// Builds dist/ once before the tests that run the real command (bin/gatelog builds when stale,
// but parallel test files must not race to do it).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', 'bin', 'gatelog'), '--version'], { stdio: 'ignore' });
}
