import pino, { type Logger } from 'pino';

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'autoprov' }, timestamp: pino.stdTimeFunctions.isoTime });
}
