// `TEST_PROFILE=<file> npm test`: every test worker appends one line to that file when it exits — when it began
// (before its test file was loaded), how long it ran, when it first opened a database (after loading and before its
// first gateway), the CPU of the whole process meanwhile (every worker's, since workers are threads of one process)
// and the CPU of its own thread (Linux; the JavaScript only: not V8's helper threads nor the libuv pool) — to find
// where the suite's time goes.
import { appendFileSync, readFileSync } from 'node:fs';
import test from 'ava';

let started: number | undefined;
// Shared through the global object: the test bundles carry their own copy of this module.
const firstDatabaseKey = Symbol.for('gateway.test.firstDatabaseAt');
const marks = globalThis as { [firstDatabaseKey]?: number };

/** Called as the worker starts (exit-when-done.ts, ava's `require`): registers the line written when it exits. */
export function profileThisWorker(): void {
  const out = process.env.TEST_PROFILE;
  if (!out || started !== undefined) return;
  started = Date.now();
  const cpuAtStart = process.cpuUsage();
  process.on('exit', () => {
    const cpu = process.cpuUsage(cpuAtStart);
    const line = {
      file: test.meta.file.replace(/^.*\.test-build\//, ''),
      startedAt: started! / 1000,
      wallSeconds: (Date.now() - started!) / 1000,
      // From the worker's start to its first database: loading the file and what it imports.
      loadSeconds: marks[firstDatabaseKey] === undefined ? null : (marks[firstDatabaseKey] - started!) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      threadCpuSeconds: threadCpuSeconds(),
    };
    appendFileSync(out, `${JSON.stringify(line)}\n`);
  });
}

/** Called when the worker opens its first database (database.ts). */
export function markFirstDatabase(): void {
  marks[firstDatabaseKey] ??= Date.now();
}

/** CPU seconds of the calling thread so far (utime + stime of /proc/thread-self, in 1/100 s), or undefined. */
function threadCpuSeconds(): number | undefined {
  try {
    const text = readFileSync('/proc/thread-self/stat', 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return undefined;
  }
}
