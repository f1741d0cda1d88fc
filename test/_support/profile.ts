// `TEST_PROFILE=<file> npm test`: every test file that uses a database appends one line to that file when its worker
// exits — its wall time, the CPU of the whole process meanwhile (every worker's, since workers are threads of one
// process) and the CPU of its own thread since it began (Linux; the JavaScript only: not V8's helper threads nor the libuv pool) —
// to find where the suite's time goes.
import { appendFileSync, readFileSync } from 'node:fs';
import test from 'ava';

let registered = false;

export function profileThisFile(): void {
  const out = process.env.TEST_PROFILE;
  if (!out || registered) return;
  registered = true;
  const started = Date.now();
  const cpuAtStart = process.cpuUsage();
  process.on('exit', () => {
    const cpu = process.cpuUsage(cpuAtStart);
    const line = {
      file: test.meta.file.replace(/^.*\.test-build\//, ''),
      startedAt: started / 1000,
      wallSeconds: (Date.now() - started) / 1000,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      // Since the thread began: loading the test's modules included.
      threadCpuSeconds: threadCpuSeconds(),
    };
    appendFileSync(out, `${JSON.stringify(line)}\n`);
  });
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
