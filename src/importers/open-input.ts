// Opening inputs: files, directories (walked in name order), standard input; gzip by its magic bytes.
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { constants as zlibConstants, createGunzip, gunzipSync } from 'node:zlib';
import { Readable } from 'node:stream';

/** Expands directories into the files under them (sorted, hidden files skipped). `-` is stdin. */
export async function listInputs(paths: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const p of paths) {
    if (p === '-') {
      out.push(p);
      continue;
    }
    const st = await stat(p);
    if (st.isDirectory()) {
      const entries = (await readdir(p, { withFileTypes: true })).filter((e) => !e.name.startsWith('.')).sort((a, b) => a.name.localeCompare(b.name));
      out.push(...(await listInputs(entries.map((e) => join(p, e.name)))));
    } else {
      out.push(p);
    }
  }
  return out;
}

export interface OpenedInput {
  /** Decompressed bytes. */
  chunks: AsyncIterable<Buffer>;
  /** Bytes read from the file so far (compressed), for progress. */
  bytesRead: () => number;
  /** Size of the file, when known. */
  size: number | null;
  gzip: boolean;
}

/** Opens a file (or `-`) for reading, transparently decompressing gzip. */
export async function openInput(path: string): Promise<OpenedInput> {
  const size = path === '-' ? null : (await stat(path)).size;
  // 256 KB reads: every chunk is copied once more by the record splitter, and chunks wait for the
  // garbage collector as external memory; larger ones only added to the peak.
  const src: Readable = path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 18 });
  let read = 0;
  const it = src[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const first = await it.next();
  const head: Buffer | null = first.done ? null : first.value;
  const counted = async function* (): AsyncGenerator<Buffer> {
    if (head) {
      read += head.length;
      yield head;
    }
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      read += n.value.length;
      yield n.value;
    }
  };
  const gzip = head !== null && head[0] === 0x1f && head[1] === 0x8b;
  const chunks: AsyncIterable<Buffer> = gzip ? Readable.from(counted()).pipe(createGunzip({ chunkSize: 1 << 20 })) : counted();
  return { chunks, bytesRead: () => read, size, gzip };
}

/**
 * The first `bytes` of a file, decompressed when it is gzip (a cut gzip stream decompresses as far
 * as it goes). For recognising a file's format before reading it.
 */
export async function peekHead(path: string, bytes: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    const head = buf.subarray(0, bytesRead);
    if (head[0] !== 0x1f || head[1] !== 0x8b) return head;
    try {
      return gunzipSync(head, { finishFlush: zlibConstants.Z_SYNC_FLUSH }).subarray(0, bytes);
    } catch {
      return Buffer.alloc(0);
    }
  } finally {
    await fh.close();
  }
}
