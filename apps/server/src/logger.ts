// Structured logs. Personal data and secrets are redacted by path, so a careless log line cannot leak them.
import pino, { type Logger } from 'pino';

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  '*.password',
  '*.token',
  '*.jsCode',
  '*.js_code',
  '*.phoneCode',
  '*.phone',
  '*.phoneNumber',
  '*.purePhoneNumber',
  '*.session_key',
  '*.sessionKey',
  '*.access_token',
  '*.secret',
  'password',
  'token',
  'phone',
  'phoneNumber',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'member-hub' } },
    destination,
  );
}

export type { Logger };
