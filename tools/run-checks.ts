// The checks before `npm test` runs the suite — typecheck, ESLint, the Prettier check and the mini-program build — run
// side by side rather than one after another: each is mostly one core, and together they took over a minute in a row.
// Each one's output is printed when it ends, so the logs do not interleave; any failure fails the whole step.
import { spawn } from 'node:child_process';

const checks = ['typecheck', 'lint', 'format:check', 'build:miniprogram'];

function run(script: string): Promise<{ script: string; code: number; output: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => resolve({ script, code: code ?? 1, output, seconds: (Date.now() - started) / 1000 }));
  });
}

const results = await Promise.all(checks.map((c) => run(c)));
for (const r of results) {
  console.log(`${r.code === 0 ? 'ok  ' : 'FAIL'} npm run ${r.script} (${r.seconds.toFixed(0)} s)`);
  if (r.code !== 0 || r.output.trim()) process.stdout.write(r.output.endsWith('\n') ? r.output : `${r.output}\n`);
}
process.exit(results.every((r) => r.code === 0) ? 0 : 1);
