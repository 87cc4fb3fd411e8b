/** Structured logging with pino; every line is JSON so that logs can be searched by requestId or socketId. */
import pino, { type Logger } from 'pino';

export type { Logger };

/** Creates the root logger at `level`. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'felt' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['password', '*.password', 'token', '*.token', 'req.headers.authorization'], censor: '[redacted]' },
  });
}
