// Command-line and config-file loading, as redis-server 7.0 does it: an
// optional config file path first, then `--name value...` options that are
// appended as lines after the file (each value quoted as Redis quotes it, so
// error messages show `'port "abc"'` exactly as redis-server prints them).
// Errors are FatalConfigError (main prints Redis's "FATAL CONFIG FILE ERROR"
// block and exits 1) or ConfigOpenError (a config file could not be read).

import { splitArgs } from '../core/split-args.js';
import { readFileSync, readdirSync, openSync, closeSync } from 'node:fs';
import path from 'node:path';
import { globMatch } from '../core/glob.js';
import { quoteRepr, type Config } from './config.js';

export const REDIS_COMPAT_VERSION = '7.0.15';

export class FatalConfigError extends Error {
  override readonly name = 'FatalConfigError';
  constructor(
    /** 1-based line, or null when the error is not about one line (log file, sanity checks). */
    readonly lineNumber: number | null,
    readonly lineText: string,
    readonly reason: string,
  ) {
    super(reason);
  }

  /** The block redis-server prints on stderr before exiting 1. */
  render(): string {
    let out = `\n*** FATAL CONFIG FILE ERROR (Redis ${REDIS_COMPAT_VERSION}) ***\n`;
    if (this.lineNumber !== null) out += `Reading the configuration file, at line ${this.lineNumber}\n>>> '${this.lineText}'\n`;
    return out + `${this.reason}\n`;
  }
}

/** A config file (or an include) could not be opened: Redis logs one line and exits 1. */
export class ConfigOpenError extends Error {
  override readonly name = 'ConfigOpenError';
  constructor(
    readonly file: string,
    readonly reason: string,
  ) {
    super(`Fatal error, can't open config file '${file}': ${reason}`);
  }
}

export interface LoadedConfig {
  /** Absolute path of the config file, or '' when started without one. */
  configFile: string;
}

export interface LoadOptions {
  /** Is this a command name (for rename-command)? Unchecked when absent. */
  commandExists?: (name: string) => boolean;
  /** Reads standard input (for a config file named "-"). */
  readStdin?: () => string;
}

const ERRNO_TEXT: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EROFS: 'Read-only file system',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  ENOSPC: 'No space left on device',
  EPERM: 'Operation not permitted',
};

/** The C library's strerror text for a Node fs error. */
export function strerror(e: unknown): string {
  const code = (e as { code?: string }).code ?? '';
  return ERRNO_TEXT[code] ?? (e instanceof Error ? e.message : String(e));
}

/**
 * Builds the option text the way redis-server's main() does: `--name` starts
 * a line, the words after it are appended quoted. A bare `--name` with no
 * value takes the next word even if it starts with "--" (so `--port
 * --daemonize` sets port to "--daemonize"), except `--save` which then means
 * `save ""`.
 */
export function argvToOptions(argv: readonly string[]): string {
  let options = '';
  let handledLastConfigArg = true;
  for (let j = 0; j < argv.length; j++) {
    const a = argv[j]!;
    if (handledLastConfigArg && a.startsWith('--')) {
      if (options.length) options += '\n';
      options += a.slice(2) + ' ';
      const words = splitArgs(a);
      if (words !== null && words.length === 1) {
        handledLastConfigArg = false;
        const isSave = a.toLowerCase() === '--save';
        if (isSave && (j === argv.length - 1 || argv[j + 1]!.startsWith('--'))) {
          options += '""';
          handledLastConfigArg = true;
        }
      } else {
        handledLastConfigArg = true;
      }
    } else {
      options += quoteRepr(a) + ' ';
      handledLastConfigArg = true;
    }
  }
  return options;
}

/** Loads argv (without node and script) into config; throws FatalConfigError or ConfigOpenError. */
export function loadArgs(argv: readonly string[], config: Config, opts: LoadOptions = {}): LoadedConfig {
  let configFile = '';
  let j = 0;
  let fromStdin = false;
  if (argv.length > 0 && !argv[0]!.startsWith('-')) {
    configFile = path.resolve(argv[0]!);
    j = 1;
  }
  const rest: string[] = [];
  for (; j < argv.length; j++) {
    // A lone "-" as the first or last argument means "read the config from stdin".
    if (argv[j] === '-' && (j === 0 || j === argv.length - 1)) fromStdin = true;
    else rest.push(argv[j]!);
  }
  let text = configFile ? readConfigFile(configFile) : '';
  if (fromStdin) text += opts.readStdin ? opts.readStdin() : readFileSync(0, 'latin1');
  text += '\n' + argvToOptions(rest);
  config.beginFileLoad();
  try {
    applyConfigText(text, config, opts);
    finalChecks(config);
  } finally {
    config.endFileLoad();
  }
  return { configFile };
}

function readConfigFile(file: string): string {
  try {
    return readFileSync(file, 'latin1');
  } catch (e) {
    throw new ConfigOpenError(file, strerror(e));
  }
}

/** `include` with a wildcard reads every match (none is fine); without one the file must exist. */
function readInclude(pattern: string): string {
  if (!/[*?[]/.test(pattern)) return readConfigFile(pattern);
  const dir = path.dirname(pattern);
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return '';
  }
  const base = path.basename(pattern);
  let text = '';
  for (const n of names) if (globMatch(base, n)) text += readConfigFile(path.join(dir, n));
  return text;
}

function finalChecks(config: Config): void {
  const logfile = config.get('logfile') ?? '';
  if (logfile !== '') {
    // Redis opens the log file once here so that a bad path fails at start, not later.
    try {
      closeSync(openSync(logfile, 'a'));
    } catch (e) {
      throw new FatalConfigError(null, '', `Can't open the log file: ${strerror(e)}`);
    }
  }
  if (config.getBool('cluster-enabled') && (config.get('replicaof') ?? '') !== '') {
    throw new FatalConfigError(null, '', 'replicaof directive not allowed in cluster mode');
  }
}

/** Directives of older versions that 7.0 still silently accepts with one argument. */
const DEPRECATED = new Set(['list-max-ziplist-entries', 'list-max-ziplist-value', 'lua-replicate-commands']);

export function applyConfigText(text: string, config: Config, opts: LoadOptions = {}): void {
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (line === '' || line.startsWith('#')) continue;
    const fail = (reason: string): never => {
      throw new FatalConfigError(n + 1, line, reason);
    };
    const argv = splitArgs(line);
    if (argv === null) fail('Unbalanced quotes in configuration line');
    const words = argv!;
    if (words.length === 0) continue;
    const name = words[0]!.toLowerCase();
    const args = words.slice(1);
    if (config.directive(name)) {
      const err = config.setFromFile(name, args);
      if (err) fail(err);
      continue;
    }
    if (DEPRECATED.has(name) && args.length === 1) continue;
    if (name === 'include' && args.length === 1) {
      applyConfigText(readInclude(args[0]!), config, opts);
    } else if (name === 'rename-command' && args.length === 2) {
      if (opts.commandExists && !opts.commandExists(args[0]!)) fail('No such command in rename-command');
      config.storedLines.push(words);
    } else if (name === 'user' && args.length >= 1) {
      config.storedLines.push(words);
    } else if (name === 'loadmodule' && args.length >= 1) {
      config.storedLines.push(words);
    } else if (name.includes('.')) {
      if (args.length !== 1) fail('Module config specified without value');
      config.storedLines.push(words);
    } else if (name === 'sentinel') {
      if (args.length !== 0) fail('sentinel directive while not in sentinel mode');
    } else {
      fail('Bad directive or wrong number of arguments');
    }
  }
}

export { splitArgs };
