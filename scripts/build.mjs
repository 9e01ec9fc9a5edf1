#!/usr/bin/env node
// Builds dist/: compiles TypeScript, copies the SQL migrations beside the compiled stores, and
// builds the web UI with Vite (web/vite.config.ts) into dist/web.
import { cpSync, mkdirSync, readdirSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const tsc = require.resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { stdio: 'inherit', cwd: root });

function copySql(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) copySql(p);
    else if (e.name.endsWith('.sql')) {
      const out = join(root, 'dist', p.slice(join(root, 'src').length));
      mkdirSync(dirname(out), { recursive: true });
      cpSync(p, out);
    }
  }
}
copySql(join(root, 'src'));
if (!existsSync(join(root, 'dist'))) mkdirSync(join(root, 'dist'));
// The web UI: Vite's own API, with the project's config (it empties and fills dist/web).
const { build } = await import('vite');
await build({ configFile: join(root, 'web', 'vite.config.ts'), logLevel: 'warn' });
writeFileSync(join(root, 'dist', '.build-stamp'), new Date().toISOString());
