// Development convenience: settings from a `.env` file in the working directory, under the real environment (a
// variable set in the environment always wins). Production never reads the file: its settings come from the
// environment alone, so what runs is what the service manager says.
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';

type Env = Record<string, string | undefined>;

export function withEnvFile(env: Env, path = '.env'): { env: Env; read: string[] } {
  const mode = env.NODE_ENV ?? 'development';
  if (mode !== 'development' || !existsSync(path)) return { env, read: [] };
  const fromFile = parseEnv(readFileSync(path, 'utf8'));
  const read = Object.keys(fromFile).filter((k) => env[k] === undefined);
  return { env: { ...Object.fromEntries(read.map((k) => [k, fromFile[k]])), ...env }, read };
}
