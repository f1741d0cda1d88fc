// pino logger with secrets and personal data redacted at the source: phone numbers are masked wherever they appear
// in a message or field, and known secret fields are removed.
import pino from 'pino';

export type Logger = pino.Logger;

const redactPaths = [
  'password', '*.password', 'secret', '*.secret', 'token', '*.token', 'apiKey', '*.apiKey', 'authorization',
  '*.authorization', 'req.headers.authorization', 'req.headers.cookie', 'headers.authorization', 'headers.cookie',
  'session_key', '*.session_key', 'access_token', '*.access_token',
];

// Mainland mobile numbers, bare or with +86/86, inside any text.
const phonePattern = /(?<!\d)(\+?86)?(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g;

export function maskPhone(text: string): string {
  return text.replace(phonePattern, (_m, cc: string | undefined, head: string, _mid: string, tail: string) => `${cc ?? ''}${head}****${tail}`);
}

function maskDeep(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return maskPhone(v);
  if (depth > 6 || v === null || typeof v !== 'object' || v instanceof Error) return v;
  if (Array.isArray(v)) return v.map((x) => maskDeep(x, depth + 1));
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, maskDeep(x, depth + 1)]));
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactPaths, censor: '[redacted]' },
      formatters: { log: (obj) => maskDeep(obj) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? maskPhone(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    destination,
  );
}
