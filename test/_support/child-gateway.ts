// Runs the gateway as a real child process, for tests of start-up, signals and crashes: the JavaScript the test run
// compiled (gateway/main.js beside this file's compiled copy, see compile-tests.ts), so a child starts without
// transforming TypeScript first.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { eventually } from './gateway.js';

export interface ChildGateway {
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `detached`: a process group of its own, so a test can signal it like a terminal's Ctrl-C (`process.kill(-pid)`). */
/** `cwd`: another working directory (the gateway reads `.env` from it). */
export function spawnGateway(
  env: Record<string, string>,
  opts: { detached?: boolean; cwd?: string } = {},
): ChildGateway {
  const main = fileURLToPath(new URL('../../gateway/main.js', import.meta.url));
  const child = spawn(process.execPath, ['--enable-source-maps', main], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.detached ?? false,
    cwd: opts.cwd,
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, output: () => out, exited };
}

/**
 * Stops the child as an operator would (SIGTERM: it stops its embedded PostgreSQL before it exits), and kills it only
 * if it has not ended after `graceMs`: killed outright, it would leave that server running after the test.
 */
export async function stopGateway(child: ChildGateway, graceMs = 20_000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  child.process.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), graceMs)));
  if ((await Promise.race([child.exited, late])) === 'late') child.process.kill('SIGKILL');
  clearTimeout(timer);
}

/** Resolves when the child answers /readyz on `port`; fails at once, with what it said, if it exits first. */
export function untilReady(child: ChildGateway, port: number, timeoutMs = 120_000): Promise<true> {
  return eventually(
    async () => {
      if (child.process.exitCode !== null)
        throw new Error(`the gateway exited with ${child.process.exitCode}:\n${child.output()}`);
      return (
        (await fetch(`http://127.0.0.1:${port}/readyz`)
          .then((r) => r.ok)
          .catch(() => false)) || undefined
      );
    },
    timeoutMs,
    'the gateway to be ready',
  );
}
