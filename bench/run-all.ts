// `npm run bench`: every benchmark in turn, each in its own process, each rewriting its section of
// bench/RESULTS.md. The list is every bench/*.ts that measures something (not the helpers).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const BENCH = import.meta.dirname;
const HELPERS = new Set(['run-all.ts', 'machine.ts', 'build-store.ts']);
const benches = readdirSync(BENCH)
  .filter((f) => f.endsWith('.ts') && !HELPERS.has(f))
  .sort();
const tsx = join(BENCH, '..', 'node_modules', '.bin', 'tsx');
if (!existsSync(tsx)) throw new Error(`${tsx} is missing: run npm ci first`);
const failed: string[] = [];
for (const b of benches) {
  console.error(`\n== bench/${b}`);
  try {
    execFileSync(tsx, [join(BENCH, b), ...process.argv.slice(2)], { stdio: 'inherit' });
  } catch {
    failed.push(b);
  }
}
if (failed.length > 0) {
  console.error(`failed: ${failed.join(', ')}`);
  process.exit(1);
}
