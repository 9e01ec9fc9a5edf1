// The machine a benchmark ran on, for the results file.
import { cpus, totalmem } from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

export function machineLine(): string {
  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const require = createRequire(import.meta.url);
  const duck = (require('@duckdb/node-api/package.json') as { version: string }).version;
  let os: string = process.platform;
  try {
    os = /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? os;
  } catch {
    /* not Linux */
  }
  return `${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, ${os}, Node.js ${process.version}, @duckdb/node-api ${duck}`;
}

export function today(): string {
  return new Date().toISOString().slice(0, 10);
}

/** Replaces the section `## title` (up to the next `## `) in bench/RESULTS.md, or appends it. */
export function writeSection(title: string, body: string): void {
  const path = new URL('./RESULTS.md', import.meta.url);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    text = '# Benchmark results\n\nEach section is rewritten by the benchmark that measures it (`npm run bench`, or `npm run bench:NAME`).\n';
  }
  const section = `## ${title}\n\n${body.trim()}\n`;
  const re = new RegExp(`## ${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n[\\s\\S]*?(?=\\n## |$)`);
  text = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}`;
  writeFileSync(path, text.endsWith('\n') ? text : `${text}\n`);
}

/** A Markdown table: the first row is the header. */
export function markdownTable(rows: readonly (readonly (string | number)[])[]): string {
  const [head, ...body] = rows;
  if (!head) return '';
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}
