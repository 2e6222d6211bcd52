// The logging interface cores and services receive. The runtime binds it to
// winston; tests pass a silent or recording one. One line per event worth an
// operator's attention, with structured fields, never one per command.

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** A logger whose lines all carry `fields` (nodeId, epoch...). */
  child(fields: LogFields): Logger;
}

export const SILENT_LOGGER: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return SILENT_LOGGER;
  },
};
