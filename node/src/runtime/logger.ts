// Winston bound to the Logger interface, writing lines in redis-server's
// shape so operators' habits and grep patterns carry over:
//   <pid>:M 27 Nov 2026 19:52:22.345 * message {"field":"value"}
// The level character is Redis's (. debug, - verbose, * notice, # warning).

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

const LEVEL_CHAR: Record<string, string> = { debug: '.', verbose: '-', info: '*', warn: '#', error: '#' };

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "27 Nov 2026 19:52:22.345" in local time, as Redis's serverLog prints it. */
export function redisTimestamp(d: Date): string {
  const p2 = (n: number): string => String(n).padStart(2, '0');
  return `${p2(d.getDate())} ${MONTHS[d.getMonth()]} ${d.getFullYear()} ${p2(d.getHours())}:${p2(d.getMinutes())}:${p2(d.getSeconds())}.${String(d.getMilliseconds()).padStart(3, '0')}`;
}

/** One log line in Redis's format (used before the logger exists, e.g. fatal config errors). */
export function redisLogLine(pid: number, role: string, levelChar: string, msg: string): string {
  return `${pid}:${role} ${redisTimestamp(new Date())} ${levelChar} ${msg}\n`;
}

export interface WinstonLogger extends Logger {
  setLevel(redisLevel: string): void;
  close(): Promise<void>;
}

export function createLogger(opts: { logfile: string; level: string; fields: LogFields; silent?: boolean; role?: string }): WinstonLogger {
  const role = opts.role ?? 'M';
  const format = winston.format.printf((info) => {
    const { level, message, pid, ...rest } = info as { level: string; message: string; pid?: number } & Record<string, unknown>;
    const extra = Object.keys(rest).length ? ' ' + JSON.stringify(rest) : '';
    return `${pid ?? process.pid}:${role} ${redisTimestamp(new Date())} ${LEVEL_CHAR[level] ?? '*'} ${message}${extra}`;
  });
  const transport = opts.logfile
    ? new winston.transports.File({ filename: opts.logfile })
    : new winston.transports.Console();
  const w = winston.createLogger({
    level: LEVELS[opts.level] ?? 'info',
    silent: opts.silent ?? opts.level === 'nothing',
    format,
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
