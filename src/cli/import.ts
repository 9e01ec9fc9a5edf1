// gatelog import: files, directories or standard input into the store.
import { Command, Option } from 'commander';
import { lazyGeoLocator } from '../enrich/geo.js';
import cliProgress from 'cli-progress';
import { openStore, type StoreOptions } from '../compose.js';
import { FORMATS, UnusableInputError, type FormatChoice } from '../importers/detect-format.js';
import { importPaths, UNASSIGNED_TENANT, type ImportProgress, type ImportSummary } from '../ingest/import-files.js';
import { addStoreOptions, CliError, EXIT_OK, EXIT_PARTIAL, EXIT_USER_ERROR } from './context.js';

interface ImportFlags extends StoreOptions {
  tenant?: string;
  format: FormatChoice;
  progress: boolean;
  geo: boolean;
}

function progressReporter(enabled: boolean): { update: (p: ImportProgress) => void; stop: () => void } {
  if (!enabled) return { update: () => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: '{file} |{bar}| {percentage}% | {records} records | {rate} records/s | ETA {eta_formatted}',
      hideCursor: true,
      etaBuffer: 50,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let file = '';
  const t0 = Date.now();
  let before = 0;
  let current = 0;
  return {
    update(p) {
      if (p.file !== file) {
        before += current;
        current = 0;
        file = p.file;
        if (started) bar.stop();
        bar.start(p.fileSize ?? 0, 0, { file: p.file.length > 40 ? `…${p.file.slice(-39)}` : p.file, records: 0, rate: 0 });
        started = true;
      }
      current = p.records;
      const secs = Math.max(0.001, (Date.now() - t0) / 1000);
      bar.update(p.fileSize ? p.bytesRead : 0, { records: before + current, rate: Math.round((before + current) / secs) });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

export function summaryLine(s: ImportSummary): string {
  return `read ${s.read}, imported ${s.imported}, updated ${s.updated}, unchanged ${s.unchanged}, rejected ${s.rejected}`;
}

export function importCommand(): Command {
  const cmd = new Command('import')
    .description('import sign-in records from files, directories or - (stdin): Microsoft Graph JSON (object, array, pages, NDJSON), Azure Monitor records, Log Analytics exports, Entra admin-center downloads; .gz too (docs/formats.md)')
    .argument('<inputs...>', 'files, directories (read recursively) or - for standard input')
    .addOption(new Option('--tenant <id>', 'log tenant for every record (default: each record\'s resourceTenantId, then its envelope\'s tenantId)'))
    .addOption(new Option('--format <format>', 'input format').choices(['auto', ...FORMATS]).default('auto'))
    .option('--no-progress', 'no progress bar even on a terminal')
    .option('--no-geo', 'do not look up a location for IP addresses that have none');
  addStoreOptions(cmd);
  cmd.action(async (inputs: string[], flags: ImportFlags) => {
    // The import has the store to itself (DuckDB's file lock): its loads may use less memory.
    const store = await openStore(flags, process.env, { bulkLoad: true });
    const progress = progressReporter(flags.progress && process.stderr.isTTY === true);
    let summary: ImportSummary;
    try {
      summary = await importPaths(store, inputs, {
        geo: flags.geo ? lazyGeoLocator() : null,
        format: flags.format,
        ...(flags.tenant ? { tenant: flags.tenant } : {}),
        onProgress: progress.update,
      });
    } catch (e) {
      // No input at all (a path that is not there): said as the user's mistake it is.
      if (e instanceof UnusableInputError) throw new CliError(e.message);
      throw e;
    } finally {
      progress.stop();
      await store.close();
    }
    process.stderr.write(`${summaryLine(summary)}\n`);
    if (summary.unassignedTenant > 0) {
      process.stderr.write(`note: ${summary.unassignedTenant} records named no tenant and were filed under ${UNASSIGNED_TENANT}; pass --tenant to choose one\n`);
    }
    if (summary.rejected > 0) process.stderr.write(`${summary.rejected} records were rejected; list them with: gatelog rejects${flags.data ? ` --data ${flags.data}` : ''}\n`);
    if (summary.unusable.length > 0) {
      for (const u of summary.unusable) process.stderr.write(`gatelog: ${u}\n`);
      process.exitCode = EXIT_USER_ERROR;
      if (summary.files === 0) throw new CliError('nothing was imported');
      return;
    }
    process.exitCode = summary.rejected > 0 ? EXIT_PARTIAL : EXIT_OK;
  });
  return cmd;
}
