// Winston bound to the Logger interface. Lines are one event each:
// time, level, message, then the structured fields as JSON.

import winston from 'winston';
import type { LogFields, Logger } from '../core/log.js';

/** Redis loglevel names to winston levels. */
const LEVELS: Record<string, string> = {
  debug: 'debug',
  verbose: 'verbose',
  notice: 'info',
  warning: 'warn',
  nothing: 'error',
};

export interface WinstonLogger extends Logger {
  setLevel(redisLevel: string): void;
  close(): Promise<void>;
}

export function createLogger(opts: { logfile: string; level: string; fields: LogFields; silent?: boolean }): WinstonLogger {
  const format = winston.format.printf((info) => {
    const { level, message, timestamp, ...rest } = info as { level: string; message: string; timestamp?: string } & Record<string, unknown>;
    const extra = Object.keys(rest).length ? ' ' + JSON.stringify(rest) : '';
    return `${String(timestamp)} ${level} ${message}${extra}`;
  });
  const transport = opts.logfile
    ? new winston.transports.File({ filename: opts.logfile })
    : new winston.transports.Console();
  const w = winston.createLogger({
    level: LEVELS[opts.level] ?? 'info',
    silent: opts.silent ?? (opts.level === 'nothing'),
    format: winston.format.combine(winston.format.timestamp(), format),
    defaultMeta: opts.fields,
    transports: [transport],
  });
  return wrap(w, {
    setLevel(level: string) {
      w.level = LEVELS[level] ?? 'info';
      w.silent = level === 'nothing';
    },
    close() {
      return new Promise<void>((resolve) => {
        w.on('finish', () => resolve());
        w.end();
        setTimeout(resolve, 500).unref();
      });
    },
  });
}

function wrap(w: winston.Logger, extra: Pick<WinstonLogger, 'setLevel' | 'close'>): WinstonLogger {
  return {
    debug: (m, f) => void w.debug(m, f),
    info: (m, f) => void w.info(m, f),
    warn: (m, f) => void w.warn(m, f),
    error: (m, f) => void w.error(m, f),
    child: (fields) => wrap(w.child(fields), extra),
    ...extra,
  };
}
