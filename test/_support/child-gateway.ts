// Runs the gateway as a real child process, for tests of start-up, signals and crashes: the JavaScript the test run
// compiled (gateway/main.js beside this file's compiled copy, see compile-tests.ts), so a child starts without
// transforming TypeScript first.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

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
