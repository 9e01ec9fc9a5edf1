// Writes the line items a condition selects in one of the export formats, streamed: a page of
// line items is read, written, and let go; a slow reader (a pipe, a gzip stream, a disk) slows
// the reading down (backpressure), so memory stays flat whatever the size of the store.
import type { Writable } from 'node:stream';
import type { Condition } from '../query/sql/expr.js';
import type { SignInStore } from '../store/sign-in-store.js';
import { azureMonitorChunks } from './azure-monitor.js';
import { graphNdjsonChunks } from './graph-ndjson.js';
import type { ExportProgress } from './pages.js';
import { portalCsvChunks } from './portal-csv.js';

export const EXPORT_FORMATS = ['graph', 'azure-monitor', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportOptions {
  format: ExportFormat;
  where: Condition;
  out: Writable;
  /** One CSV cell, quoted (RFC 4180); used by the csv format. */
  csvCell: (v: unknown) => string;
}

/** Resolves once `out` can take more, rejects when it fails or closes first. */
function drained(out: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (e?: unknown): void => {
      out.off('drain', onDrain);
      out.off('error', onError);
      out.off('close', onClose);
      if (e === undefined) resolve();
      else reject(e instanceof Error ? e : new Error(String(e)));
    };
    const onDrain = (): void => done();
    const onError = (e: unknown): void => done(e);
    const onClose = (): void => done(out.errored ?? new Error('the output was closed before the export ended'));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}

/** Writes text chunks to `out`, waiting whenever its buffer is full. */
export async function writeChunks(chunks: AsyncIterable<string>, out: Writable): Promise<void> {
  for await (const chunk of chunks) {
    if (out.destroyed || out.writableEnded) throw out.errored ?? new Error('the output was closed before the export ended');
    if (chunk === '') continue;
    if (!out.write(chunk)) await drained(out);
  }
}

/** Writes the export to `options.out` (which is left open); returns what was written. */
export async function exportSignIns(store: SignInStore, options: ExportOptions): Promise<ExportProgress> {
  const progress: ExportProgress = { lineItems: 0, rows: 0 };
  const chunks =
    options.format === 'graph'
      ? graphNdjsonChunks(store, options.where, progress)
      : options.format === 'azure-monitor'
        ? azureMonitorChunks(store, options.where, progress)
        : portalCsvChunks(store, options.where, progress, options.csvCell);
  await writeChunks(chunks, options.out);
  return progress;
}
