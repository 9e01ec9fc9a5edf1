// gatelog export: the store's line items (all event types unless the filter names some), oldest
// first, as Graph NDJSON, Azure Monitor records or the admin center's CSV; streamed to standard
// output or a file (gzip when the name ends in .gz). See docs/formats.md ("Export").
import { once } from 'node:events';
import { createWriteStream, rmSync, type WriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { Command, Option } from 'commander';
import { openStore, type StoreOptions } from '../compose.js';
import { auditedRead } from './audited.js';
import { EXPORT_FORMATS, exportSignIns, type ExportFormat } from '../export/export-sign-ins.js';
import { planFilter } from '../query/plan.js';
import { and, inTenants, TRUE } from '../query/sql/expr.js';
import { addStoreOptions, CliError } from './context.js';
import { csvCell } from './output.js';

interface ExportFlags extends StoreOptions {
  filter?: string;
  tenant?: string;
  format: ExportFormat;
  out?: string;
}

/** Where the export goes: standard output, or a file (through gzip for .gz). */
interface Sink {
  stream: Writable;
  /** Ends the output and waits until it is all written. */
  close(): Promise<void>;
  /** Removes a half-written file. */
  discard(): void;
}

/** Opens the output file (an error a person can act on when it cannot be written). */
async function openFile(path: string): Promise<WriteStream> {
  const file = createWriteStream(path);
  try {
    await once(file, 'open');
  } catch (e) {
    throw new CliError(`cannot write ${path}: ${(e as Error).message}`);
  }
  // Later failures surface through the write that fails or the final flush.
  file.on('error', () => {});
  return file;
}

async function openSink(path: string | undefined): Promise<Sink> {
  if (path === undefined || path === '-') {
    // A reader that goes away (EPIPE) ends the export quietly: the failed write says so, and the
    // error event must not go unheard meanwhile.
    const heard = (): void => {};
    process.stdout.on('error', heard);
    const done = async (): Promise<void> => {
      process.stdout.off('error', heard);
    };
    return { stream: process.stdout, close: done, discard: () => void done() };
  }
  const file = await openFile(path);
  if (!/\.gz$/i.test(path)) {
    return {
      stream: file,
      close: async () => {
        file.end();
        await finished(file);
      },
      discard: () => {
        file.destroy();
        rmSync(path, { force: true });
      },
    };
  }
  const gzip = createGzip();
  gzip.pipe(file);
  gzip.on('error', (e) => file.destroy(e));
  file.on('error', (e) => gzip.destroy(e));
  return {
    stream: gzip,
    close: async () => {
      gzip.end();
      await finished(file);
    },
    discard: () => {
      gzip.destroy();
      file.destroy();
      rmSync(path, { force: true });
    },
  };
}

export function exportCommand(): Command {
  const cmd = new Command('export')
    .description('write sign-ins (all event types unless the filter names signInEventTypes), oldest first, as Graph NDJSON, Azure Monitor records or the admin center CSV')
    .addOption(new Option('--format <format>', 'graph: Graph signIn NDJSON, one line item a line, as received; azure-monitor: Azure Monitor diagnostic records, one per raw event; csv: the admin center download (interactive file columns)').choices([...EXPORT_FORMATS]).makeOptionMandatory())
    .addOption(new Option('--filter <filter>', 'Graph $filter (see docs/api.md)'))
    .addOption(new Option('--tenant <id>', 'only this log tenant'))
    .addOption(new Option('--out <file>', 'write to this file instead of standard output (gzip when it ends in .gz)'));
  addStoreOptions(cmd);
  cmd.action(async (flags: ExportFlags) => {
    const planned = flags.filter !== undefined && flags.filter.trim() !== '' ? planFilter(flags.filter, 'beta') : null;
    const where = and(flags.tenant ? inTenants([flags.tenant]) : TRUE, planned?.condition ?? TRUE);
    const store = await openStore(flags);
    try {
      const sink = await openSink(flags.out);
      let written;
      try {
        const read = { action: 'gatelog export', target: flags.out ?? '-', filter: flags.filter ?? null, tenants: flags.tenant ? [flags.tenant] : null };
        written = await auditedRead(store, read, async () => {
          const w = await exportSignIns(store, { format: flags.format, where, out: sink.stream, csvCell });
          return { result: w, rows: flags.format === 'azure-monitor' ? w.rows : w.lineItems };
        });
        await sink.close();
      } catch (e) {
        sink.discard();
        // The reader went away (`gatelog export … | head`): not an error of the export.
        if ((e as NodeJS.ErrnoException).code === 'EPIPE') return;
        throw e;
      }
      if (flags.out !== undefined && flags.out !== '-') {
        const n = (k: number, what: string): string => `${k} ${what}${k === 1 ? '' : 's'}`;
        process.stderr.write(`exported ${n(written.lineItems, 'sign-in')}${flags.format === 'azure-monitor' ? ` as ${n(written.rows, 'record')}` : ''} to ${flags.out}\n`);
      }
    } finally {
      await store.close();
    }
  });
  return cmd;
}
