// gatelog demo: a realistic, deterministic demo tenant, imported or written as Graph NDJSON.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { Command, Option } from 'commander';
import { openStore, type StoreOptions } from '../compose.js';
import { generateSignIns, type DemoOptions } from '../demo/generate-sign-ins.js';
import { Importer } from '../ingest/import-files.js';
import type { SignInStore } from '../store/sign-in-store.js';
import { addStoreOptions, CliError, parsePositiveInt } from './context.js';
import { summaryLine } from './import.js';

export const DEMO_DEFAULTS = { signIns: 50_000, days: 30, seed: 1 } as const;

/** The default end of the demo window: the start of the current hour (UTC), so a demo is recent. */
export function defaultEnd(now = new Date()): Date {
  const d = new Date(now);
  d.setUTCMinutes(0, 0, 0);
  return d;
}

function parseEnd(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new CliError(`--end must be a date-time such as 2026-11-01T00:00:00Z, got '${value}'`);
  return d;
}

/** Generates the demo tenant into `store`; returns the import summary line. */
export async function importDemo(store: SignInStore, options: DemoOptions, log: (line: string) => void = () => undefined): Promise<string> {
  const importer = new Importer(store, { format: 'graph' });
  let last = 0;
  const records = generateSignIns(options);
  const counted = (function* () {
    let n = 0;
    for (const r of records) {
      yield r;
      n++;
      if (n - last >= 100_000) {
        last = n;
        log(`demo: ${n} of ${options.signIns} sign-ins…`);
      }
    }
  })();
  await importer.importValues(counted, 'demo');
  return summaryLine(await importer.finish());
}

export function demoCommand(): Command {
  const cmd = new Command('demo')
    .description('create a realistic demo tenant (deterministic for the same options) and import it, or write it as Graph NDJSON')
    .addOption(new Option('--sign-ins <n>', 'number of sign-ins').argParser(parsePositiveInt('--sign-ins', 100_000_000)).default(DEMO_DEFAULTS.signIns))
    .addOption(new Option('--days <d>', 'days the sign-ins span').argParser(parsePositiveInt('--days', 3650)).default(DEMO_DEFAULTS.days))
    .addOption(new Option('--seed <s>', 'seed of the traffic').argParser(parsePositiveInt('--seed')).default(DEMO_DEFAULTS.seed))
    .addOption(new Option('--end <time>', 'end of the window (default: the start of the current hour, UTC)').argParser(parseEnd))
    .addOption(new Option('--policies <n>', 'Conditional Access policies in the tenant').argParser(parsePositiveInt('--policies', 500)))
    .addOption(new Option('--out <file>', 'write Graph NDJSON (gzip when the name ends in .gz) instead of importing; - for stdout'));
  addStoreOptions(cmd);
  cmd.action(async (flags: StoreOptions & { signIns: number; days: number; seed: number; end?: Date; policies?: number; out?: string }) => {
    const options: DemoOptions = {
      signIns: flags.signIns,
      days: flags.days,
      seed: flags.seed,
      end: flags.end ?? defaultEnd(),
      ...(flags.policies ? { policies: flags.policies } : {}),
    };
    if (flags.out) {
      const file = flags.out === '-' ? process.stdout : createWriteStream(flags.out);
      const gzip = flags.out.endsWith('.gz') ? createGzip() : null;
      const out = gzip ?? file;
      if (gzip) gzip.pipe(file);
      let buf: string[] = [];
      for (const r of generateSignIns(options)) {
        buf.push(JSON.stringify(r));
        if (buf.length === 1000) {
          if (!out.write(`${buf.join('\n')}\n`)) await once(out, 'drain');
          buf = [];
        }
      }
      if (buf.length) out.write(`${buf.join('\n')}\n`);
      if (flags.out !== '-') {
        out.end();
        await once(file, 'finish');
      }
      process.stderr.write(`wrote ${options.signIns} sign-ins to ${flags.out}\n`);
      return;
    }
    const store = await openStore(flags);
    try {
      const line = await importDemo(store, options, (l) => process.stderr.write(`${l}\n`));
      process.stderr.write(`${line}\n`);
    } finally {
      await store.close();
    }
  });
  return cmd;
}
