// A logger whose lines a test reads back: the gateway's own logger (masking included), writing into an array.
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../gateway/observability/logger.js';

export function loggedLines(level = 'info'): { log: Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n')) if (l.trim()) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { log: createLogger(level, sink), lines };
}
