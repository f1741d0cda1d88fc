// Runs the gateway as a real child process (`tsx gateway/main.ts`), for tests of start-up, signals and crashes.
import { spawn, type ChildProcess } from 'node:child_process';

export interface ChildGateway {
  process: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

export function spawnGateway(env: Record<string, string>): ChildGateway {
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { process: child, output: () => out, exited };
}
