// `TEST_PROFILE=<file> npm test`: every test file that uses a database appends one line to that file when its worker
// exits — its wall time and the CPU its own process used — to find where the suite's time goes.
import { appendFileSync } from 'node:fs';
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
    };
    appendFileSync(out, `${JSON.stringify(line)}\n`);
  });
}
