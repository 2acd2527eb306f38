import { pino, type DestinationStream, type Logger } from 'pino';
import { currentRequestId } from '../http/request-context.js';

export type { Logger };

/**
 * Lines are written to stdout once this many bytes are waiting, or LOG_FLUSH_INTERVAL_MS after the last write: a write
 * per line cost a router or a subgraph about 5% of its CPU under load. pino flushes what is left when the process exits.
 */
const LOG_BUFFER_BYTES = 4096;
const LOG_FLUSH_INTERVAL_MS = 200;

/** Shared by every logger of the process, so lines written by two of them are never interleaved within a write. */
let stdout: DestinationStream | undefined;

function stdoutDestination(): DestinationStream {
  stdout ??= pino.destination({ dest: process.stdout.fd, sync: false, minLength: LOG_BUFFER_BYTES, periodicFlush: LOG_FLUSH_INTERVAL_MS });
  return stdout;
}

export function createLogger(service: string, level: string): Logger {
  return pino(
    {
      level,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      mixin() {
        const requestId = currentRequestId();
        return requestId ? { requestId } : {};
      },
      redact: { paths: ['*.password', '*.newPassword', '*.currentPassword', '*.refreshToken', '*.authorization'], remove: true },
    },
    stdoutDestination(),
  );
}
