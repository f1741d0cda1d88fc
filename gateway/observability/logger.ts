// pino logger with secrets and personal data redacted at the source: phone numbers and openids are masked wherever
// they appear in a message, a field or an error (message, pg's detail, stack, cause), and known secret fields are
// removed. The masking itself is the one shared with the staff console (mask.ts).
import pino from 'pino';
import { errorData, maskDeep, maskText } from './mask.js';

export type Logger = pino.Logger;

export { maskPhone } from './mask.js';

const redactPaths = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'session_key',
  '*.session_key',
  'access_token',
  '*.access_token',
];

// Errors are serialized before pino would (its serializer runs after the formatter), so their text is masked too.
const maskedError = (err: unknown) => (err instanceof Error ? maskDeep(errorData(err)) : maskDeep(err));

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      redact: { paths: redactPaths, censor: '[redacted]' },
      serializers: { err: maskedError, error: maskedError },
      formatters: { log: (obj) => maskDeep<Record<string, unknown>>(obj) },
      hooks: {
        logMethod(args, method) {
          const [first, ...rest] = args as unknown[];
          // log.error(err) takes its message from the error before any formatter runs: mask both here.
          if (first instanceof Error) {
            const masked = [{ err: maskedError(first) }, ...(rest.length > 0 ? rest : [maskText(first.message)])];
            method.apply(
              this,
              masked.map((a) => (typeof a === 'string' ? maskText(a) : a)) as Parameters<typeof method>,
            );
            return;
          }
          method.apply(
            this,
            (args as unknown[]).map((a) => (typeof a === 'string' ? maskText(a) : a)) as Parameters<typeof method>,
          );
        },
      },
    },
    destination,
  );
}
