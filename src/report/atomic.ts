import { mkdirSync, renameSync, writeFileSync, openSync, fsyncSync, closeSync, writeSync, statSync, readFileSync, truncateSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';

let counter = 0;

/** Writes a file atomically: a temp file in the same folder, fsync, then rename over the target. */
export function writeFileAtomic(file: string, data: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${counter++}.tmp`);
  writeFileSync(tmp, data);
  const fd = openSync(tmp, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
}

/** JSON at full double precision (JSON.stringify writes the shortest round-tripping form). */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Appends complete lines to a file with one write(2) per call on an O_APPEND descriptor: a killed process
 * leaves either the whole line or none of it in the page cache; a torn tail after a machine crash is
 * dropped on resume (`truncatePartialLine`).
 */
export class LineAppender {
  private fd: number;
  constructor(file: string) {
    this.fd = openSync(file, 'a');
  }
  append(text: string): void {
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
  }
  sync(): void {
    fsyncSync(this.fd);
  }
  close(): void {
    if (this.fd >= 0) {
      fsyncSync(this.fd);
      closeSync(this.fd);
      this.fd = -1;
    }
  }
}

/** Cuts a file back to its last newline (drops a half-written last line); returns the bytes removed. */
export function truncatePartialLine(file: string): number {
  const size = statSync(file).size;
  if (size === 0) return 0;
  const text = readFileSync(file);
  const last = text.lastIndexOf(0x0a);
  const keep = last + 1;
  if (keep === size) return 0;
  truncateSync(file, keep);
  return size - keep;
}
