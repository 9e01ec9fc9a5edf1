// Numbered SQL migrations, one folder per backend: `0001-initial.sql`, `0002-....sql`, applied in
// order at open and recorded in a schema-version table.
import { readdir, readFile } from 'node:fs/promises';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Reads the migrations in `dir` (a file URL), ordered by their number. */
export async function loadMigrations(dir: URL): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d{4}-[\w-]+\.sql$/.test(f)).sort();
  const out: Migration[] = [];
  for (const f of files) {
    const version = Number(f.slice(0, 4));
    if (out.some((m) => m.version === version)) throw new Error(`two migrations numbered ${version} in ${dir.pathname}`);
    out.push({ version, name: f.replace(/\.sql$/, ''), sql: await readFile(new URL(f, dir), 'utf8') });
  }
  return out;
}

/** Splits a migration file into statements at semicolons that end a line. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(/;\s*(?:\n|$)/)
    .map((s) =>
      s
        .split('\n')
        .filter((l) => !l.trim().startsWith('--'))
        .join('\n')
        .trim(),
    )
    .filter((s) => s !== '');
}
