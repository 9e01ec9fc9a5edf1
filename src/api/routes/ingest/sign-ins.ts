// POST /ingest/signins: Graph sign-in JSON (NDJSON, an array, a Graph page; gzip accepted) into the
// store. The answer comes once the records are committed, with a line and reason per reject.
import { Transform, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FORMATS, type FormatChoice } from '../../../importers/detect-format.js';
import { GatelogError } from '../../../errors.js';
import { Importer } from '../../../ingest/import-files.js';
import type { SignInStore } from '../../../store/sign-in-store.js';
import type { Locator } from '../../../enrich/enrich-location.js';
import type { Caller } from '../../auth/caller.js';

export interface IngestRouteDeps {
  store: SignInStore;
  /** Authenticates, checks the ingest permission and throttles. */
  caller(request: FastifyRequest): Caller;
  /** Largest request body, in bytes (after decompression). */
  maxBodyBytes: number;
  /** Offline geolocation for records without a location. */
  geo: Locator | null;
  /** Ingestion requests written at once; more answer 503 with Retry-After. */
  maxConcurrent?: number;
}

const BODY_TYPES = ['application/json', 'application/x-ndjson', 'application/jsonl', 'application/x-jsonlines', 'text/plain', 'application/octet-stream'];

/** Counts bytes and fails the stream with a 413 past the limit. */
function limited(max: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      seen += chunk.length;
      if (seen > max) cb(new GatelogError('Request_EntityTooLarge', `The request body is larger than ${max} bytes; send smaller batches.`));
      else cb(null, chunk);
    },
  });
}

/** Answers 503 with Retry-After while this many ingestion requests are being written. */
export const DEFAULT_MAX_CONCURRENT_INGESTS = 4;

class BusyError extends GatelogError {
  readonly retryAfter = 1;
  constructor() {
    super('Server_Busy', 'The server is writing as many batches as it takes at once; send this one again after the Retry-After seconds. Nothing of it was stored.');
  }
}

export function registerIngestSignIns(app: FastifyInstance, deps: IngestRouteDeps): void {
  let inFlight = 0;
  const max = deps.maxConcurrent ?? DEFAULT_MAX_CONCURRENT_INGESTS;
  const handler = (path: string, fixedFormat: FormatChoice | null) => async (request: FastifyRequest) => {
    const caller = deps.caller(request);
    const q = request.query as { tenant?: string; format?: string };
    const raw = request.body as Readable | undefined;
    if (!raw || typeof (raw as Readable).pipe !== 'function') {
      throw new GatelogError('Request_BadRequest', `Send the records as the request body (Content-Type: ${BODY_TYPES.slice(0, 2).join(' or ')}).`);
    }
    let format: FormatChoice = fixedFormat ?? 'auto';
    if (fixedFormat === null && q.format !== undefined) {
      if (q.format !== 'auto' && !(FORMATS as readonly string[]).includes(q.format)) {
        throw new GatelogError('Request_BadRequest', `Unknown format '${q.format}'; use auto or one of: ${FORMATS.join(', ')}.`);
      }
      format = q.format as FormatChoice;
    }
    // A key limited to some tenants writes only into them.
    if (caller.tenants !== null && q.tenant !== undefined && !caller.tenants.includes(q.tenant)) {
      throw new GatelogError('Authorization_RequestDenied', `This credential may not write into tenant ${q.tenant}.`);
    }
    const tenant = q.tenant ?? (caller.tenants?.length === 1 ? caller.tenants[0] : undefined);
    const encoding = String(request.headers['content-encoding'] ?? 'identity').toLowerCase();
    if (encoding !== 'identity' && encoding !== 'gzip') throw new GatelogError('Request_BadRequest', `Content-Encoding '${encoding}' is not supported; use gzip or none.`);
    if (inFlight >= max) throw new BusyError();
    inFlight++;
    try {
      const decoded = encoding === 'gzip' ? raw.pipe(createGunzip()) : raw;
      const body = decoded.pipe(limited(deps.maxBodyBytes));
      raw.on('error', (e) => body.destroy(e));
      decoded.on('error', (e) => body.destroy(e));
      const importer = new Importer(deps.store, {
        format,
        geo: deps.geo,
        ...(tenant ? { tenant } : {}),
        ...(caller.tenants !== null ? { allowedTenants: caller.tenants } : {}),
      });
      const source = `POST ${path} (${caller.id}, request ${String(request.id)})`;
      await importer.importStream(body, { name: source, index: 0, files: 1, bytesRead: () => 0, size: null });
      // The answer comes only once everything is committed: an acknowledged batch is durable.
      const summary = await importer.finish();
      if (summary.unusable.length > 0 && summary.read === 0) throw new GatelogError('Input_Unusable', summary.unusable.join('; '));
      return {
        read: summary.read,
        imported: summary.imported,
        updated: summary.updated,
        unchanged: summary.unchanged,
        rejected: summary.rejected,
        rejects: importer.firstRejects.map(({ line, offset, reason }) => ({ ...(line !== undefined ? { line } : {}), ...(offset !== undefined ? { offset } : {}), reason })),
      };
    } finally {
      inFlight--;
    }
  };
  app.register(async (scope) => {
    // The body is read as a stream by the importer, not buffered by the framework.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(BODY_TYPES, (_request, payload, done) => done(null, payload));
    scope.post('/ingest/signins', handler('/ingest/signins', null));
    scope.post('/ingest/events', handler('/ingest/events', 'events'));
  });
}
