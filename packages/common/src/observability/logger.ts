import { pino, type Logger } from 'pino';
import { currentRequestId } from '../http/request-context.js';

export type { Logger };

export function createLogger(service: string, level: string): Logger {
  return pino({
    level,
    base: { service },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin() {
      const requestId = currentRequestId();
      return requestId ? { requestId } : {};
    },
    redact: { paths: ['*.password', '*.newPassword', '*.currentPassword', '*.refreshToken', '*.authorization'], remove: true },
  });
}
