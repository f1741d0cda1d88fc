// First step of `npm test`: the console's browser tests drive Debian's Chromium (with a CJK font for readable
// screenshots). When it is missing it is installed from Debian as root; otherwise one line says what to run.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const PACKAGES = ['chromium', 'fonts-wqy-microhei'];

export interface EnsureOptions {
  chromiumPath: string;
  isRoot: boolean;
  /** Runs a command with the terminal attached; returns its exit code. */
  run(command: string, args: string[]): number;
  say(line: string): void;
}

/** True when Chromium is there (already, or after installing it). */
export function ensureChromium(o: EnsureOptions): boolean {
  if (existsSync(o.chromiumPath)) return true;
  const install = `apt-get install -y ${PACKAGES.join(' ')}`;
  if (!o.isRoot) {
    o.say(
      `Chromium is missing at ${o.chromiumPath} and only root can install it: run \`sudo apt-get update && sudo ${install}\`, then npm test again.`,
    );
    return false;
  }
  o.say(`Chromium is missing at ${o.chromiumPath}: installing ${PACKAGES.join(', ')} from Debian.`);
  if (
    o.run('apt-get', ['update']) !== 0 ||
    o.run('apt-get', ['install', '-y', ...PACKAGES]) !== 0 ||
    !existsSync(o.chromiumPath)
  ) {
    o.say(`Installing Chromium failed: run \`apt-get update && ${install}\` by hand, then npm test again.`);
    return false;
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const ok = ensureChromium({
    chromiumPath: CHROMIUM_PATH,
    isRoot: process.getuid?.() === 0,
    run: (command, args) =>
      spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } })
        .status ?? 1,
    say: (line) => console.error(line),
  });
  process.exit(ok ? 0 : 1);
}
