/**
 * Streaming readers of import files: CSV (csv-parse stream), JSON Lines (line by line) and Parquet (hyparquet, one row
 * group at a time). None loads a whole file. Each yields records keyed by column name with the 1-based line number:
 * CSV — the physical line where the data row starts (the header is line 1); JSON Lines — the physical line;
 * Parquet — the row number (1-based).
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { Transform, type TransformCallback } from 'node:stream';
import { TextDecoder } from 'node:util';
import zlib from 'node:zlib';
import type { Encoding } from '@lingxi/core/ingest/mapping';
import type { RawValue } from '@lingxi/core/ingest/source-schemas';
import { parse } from 'csv-parse';
import {
  asyncBufferFromFile,
  type Compressors,
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
} from 'hyparquet';

export const FILE_FORMATS = ['csv', 'parquet', 'jsonl'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export type ReadItem =
  | { line: number; values: Record<string, RawValue> }
  /** A record that could not be read as a row (wrong field count, invalid JSON); `raw` is its text. */
  | { line: number; error: string; raw: string };

export interface RecordReader {
  columns: readonly string[];
  records: AsyncIterable<ReadItem>;
  /** Fraction of the file consumed, 0..1. */
  progress(): number;
  /** Releases the file (when the records are not read to the end). */
  close(): Promise<void>;
}

export class FileReadError extends Error {
  override name = 'FileReadError';
}

/** The format implied by a file name, or undefined. */
export function formatFromExtension(file: string): FileFormat | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.csv') || lower.endsWith('.txt')) return 'csv';
  if (lower.endsWith('.parquet') || lower.endsWith('.pq')) return 'parquet';
  if (lower.endsWith('.jsonl') || lower.endsWith('.ndjson')) return 'jsonl';
  return undefined;
}

class DecodeStream extends Transform {
  private readonly decoder: TextDecoder;
  constructor(encoding: Encoding) {
    super();
    this.decoder = new TextDecoder(encoding);
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    cb(null, Buffer.from(this.decoder.decode(chunk, { stream: true }), 'utf8'));
  }
  override _flush(cb: TransformCallback): void {
    cb(null, Buffer.from(this.decoder.decode(), 'utf8'));
  }
}

/** Quotes integers of 16+ digits after a key so JSON.parse keeps them exact (ids beyond 2^53). */
function protectBigIntegers(line: string): string {
  return line.replace(/("\s*:\s*)(-?\d{16,})(?=\s*[,}])/g, '$1"$2"');
}

function jsonKeysOf(line: string, keys: Set<string>): void {
  try {
    const v: unknown = JSON.parse(line);
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) for (const k of Object.keys(v)) keys.add(k);
  } catch {
    // an unreadable line is quarantined by the reader later
  }
}

/**
 * SHA-256 of the file, streamed. For JSON Lines also the union of the keys of all lines (their "columns"), so that a
 * C3 key on any line refuses the file before anything loads.
 */
export async function scanFile(
  path: string,
  format: FileFormat,
  encoding: Encoding = 'utf-8',
): Promise<{ sha256: string; bytes: number; jsonKeys: string[] }> {
  const hash = createHash('sha256');
  const keys = new Set<string>();
  const decoder = new TextDecoder(encoding);
  let pending = '';
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    if (format !== 'jsonl') continue;
    pending += decoder.decode(chunk, { stream: true });
    let nl = pending.indexOf('\n');
    let start = 0;
    while (nl !== -1) {
      const line = pending.slice(start, nl).trim();
      if (line.length > 0) jsonKeysOf(line, keys);
      start = nl + 1;
      nl = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  }
  if (format === 'jsonl') {
    pending += decoder.decode();
    if (pending.trim().length > 0) jsonKeysOf(pending.trim(), keys);
  }
  return { sha256: hash.digest('hex'), bytes, jsonKeys: [...keys] };
}

// --- CSV ---------------------------------------------------------------------------------------------------------------

/** Line breaks inside a record's fields (quoted values may span lines); CRLF counts once. */
function breaksIn(record: readonly string[]): number {
  let n = 0;
  for (const v of record) {
    if (v.indexOf('\n') === -1 && v.indexOf('\r') === -1) continue;
    n += v.match(/\r\n|\r|\n/g)?.length ?? 0;
  }
  return n;
}

async function openCsv(path: string, encoding: Encoding, delimiter: string): Promise<RecordReader> {
  const size = statSync(path).size;
  const file = createReadStream(path, { highWaterMark: 1 << 20 });
  const input = encoding === 'utf-8' ? file : file.pipe(new DecodeStream(encoding));
  // Empty lines come through as [''] and are skipped here, so that physical lines can be counted without
  // csv-parse's per-record `info` (twice the parsing cost, and it miscounts CRLF inside quoted fields).
  const parser = input.pipe(parse({ bom: true, delimiter, relax_column_count: true }));
  file.on('error', (err) => parser.destroy(err));
  const it = (parser as AsyncIterable<string[]>)[Symbol.asyncIterator]();
  const isBlank = (r: readonly string[]) => r.length === 1 && r[0] === '';
  let lastLine = 0; // the physical line on which the previous record ended
  let first = await it.next();
  while (!first.done && isBlank(first.value)) {
    lastLine++;
    first = await it.next();
  }
  if (first.done) throw new FileReadError('the file is empty: no header line');
  lastLine += 1 + breaksIn(first.value);
  const columns = first.value.map((c) => c.trim());
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c)) throw new FileReadError(`header: column '${c}' appears more than once`);
    seen.add(c);
  }
  async function* records(): AsyncGenerator<ReadItem> {
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      const record = n.value;
      const line = lastLine + 1;
      lastLine = line + breaksIn(record);
      if (isBlank(record)) continue;
      if (record.length !== columns.length) {
        yield {
          line,
          error: `row has ${record.length} fields, the header has ${columns.length}`,
          raw: record.join(delimiter),
        };
        continue;
      }
      const values: Record<string, RawValue> = {};
      for (let i = 0; i < columns.length; i++) values[columns[i] as string] = record[i];
      yield { line, values };
    }
  }
  return {
    columns,
    records: records(),
    progress: () => (size === 0 ? 1 : file.bytesRead / size),
    async close() {
      parser.destroy();
      file.destroy();
    },
  };
}

// --- JSON Lines ----------------------------------------------------------------------------------------------------

async function openJsonl(path: string, encoding: Encoding, columns: readonly string[]): Promise<RecordReader> {
  const size = statSync(path).size;
  let file: ReturnType<typeof createReadStream> | null = null;
  async function* records(): AsyncGenerator<ReadItem> {
    file = createReadStream(path, { highWaterMark: 1 << 20 });
    const decoder = new TextDecoder(encoding);
    let pending = '';
    let lineNo = 0;
    const emit = function* (text: string): Generator<ReadItem> {
      lineNo++;
      const line = lineNo === 1 ? text.replace(/^\uFEFF/, '').trim() : text.trim();
      if (line.length === 0) return;
      let v: unknown;
      try {
        v = JSON.parse(protectBigIntegers(line));
      } catch (err) {
        yield { line: lineNo, error: `not valid JSON: ${(err as Error).message}`, raw: line };
        return;
      }
      if (v === null || typeof v !== 'object' || Array.isArray(v)) {
        yield { line: lineNo, error: 'not a JSON object', raw: line };
        return;
      }
      yield { line: lineNo, values: v as Record<string, RawValue> };
    };
    for await (const chunk of file as AsyncIterable<Buffer>) {
      pending += decoder.decode(chunk, { stream: true });
      let start = 0;
      let nl = pending.indexOf('\n');
      while (nl !== -1) {
        yield* emit(pending.slice(start, nl));
        start = nl + 1;
        nl = pending.indexOf('\n', start);
      }
      pending = pending.slice(start);
    }
    pending += decoder.decode();
    if (pending.length > 0) yield* emit(pending);
  }
  return {
    columns,
    records: records(),
    progress: () => (size === 0 || file === null ? 1 : file.bytesRead / size),
    async close() {
      file?.destroy();
    },
  };
}

// --- Parquet ---------------------------------------------------------------------------------------------------------

const zlibExtra = zlib as unknown as { zstdDecompressSync?: (input: Uint8Array) => Buffer };

/** Codecs beyond hyparquet's built-in Snappy, from node:zlib (ZSTD only where Node has it, ≥ 22.15). */
const compressors: Compressors = {
  GZIP: (input) => new Uint8Array(zlib.gunzipSync(input)),
  BROTLI: (input) => new Uint8Array(zlib.brotliDecompressSync(input)),
  ...(zlibExtra.zstdDecompressSync
    ? {
        ZSTD: (input: Uint8Array) => new Uint8Array((zlibExtra.zstdDecompressSync as (i: Uint8Array) => Buffer)(input)),
      }
    : {}),
};

async function openParquet(path: string): Promise<RecordReader> {
  const file = await asyncBufferFromFile(path);
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (err) {
    throw new FileReadError(`not a readable Parquet file: ${(err as Error).message}`);
  }
  const columns = parquetSchema(metadata).children.map((c) => c.element.name);
  const total = Number(metadata.num_rows);
  let done = 0;
  async function* records(): AsyncGenerator<ReadItem> {
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      let rows: Record<string, unknown>[];
      try {
        rows = await parquetReadObjects({ file, metadata, rowStart, rowEnd, compressors });
      } catch (err) {
        throw new FileReadError(`Parquet rows ${rowStart + 1}–${rowEnd}: ${(err as Error).message}`);
      }
      for (let i = 0; i < rows.length; i++) {
        done = rowStart + i + 1;
        yield { line: rowStart + i + 1, values: rows[i] as Record<string, RawValue> };
      }
      rowStart = rowEnd;
    }
  }
  return { columns, records: records(), progress: () => (total === 0 ? 1 : done / total), async close() {} };
}

export interface ReaderOptions {
  encoding?: Encoding | undefined;
  delimiter?: string | undefined;
  /** JSON Lines: the columns found by `scanFile`. */
  jsonKeys?: readonly string[] | undefined;
}

export async function openReader(path: string, format: FileFormat, opts: ReaderOptions = {}): Promise<RecordReader> {
  switch (format) {
    case 'csv':
      return openCsv(path, opts.encoding ?? 'utf-8', opts.delimiter ?? ',');
    case 'jsonl':
      return openJsonl(path, opts.encoding ?? 'utf-8', opts.jsonKeys ?? []);
    case 'parquet':
      return openParquet(path);
  }
}
