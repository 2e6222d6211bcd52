// Command-line and config-file loading, as redis-server does it: an optional
// config file path first, then `--name value...` pairs that are appended as
// if they were lines at the end of the file. Errors are FatalConfigError,
// which main prints in Redis's "FATAL CONFIG FILE ERROR" block.

import { readFileSync } from 'node:fs';
import type { Config } from './config.js';

export class FatalConfigError extends Error {
  override readonly name = 'FatalConfigError';
  constructor(
    readonly lineNumber: number,
    readonly lineText: string,
    readonly reason: string,
  ) {
    super(reason);
  }

  /** The block redis-server prints on stderr before exiting 1. */
  render(): string {
    return `\n*** FATAL CONFIG FILE ERROR (Redis 7.0.15) ***\nReading the configuration file, at line ${this.lineNumber}\n>>> '${this.lineText}'\n${this.reason}\n`;
  }
}

export interface LoadedConfig {
  configFile: string;
}

/** Loads argv (without node and script) into config; throws FatalConfigError. */
export function loadArgs(argv: readonly string[], config: Config): LoadedConfig {
  let configFile = '';
  let i = 0;
  let text = '';
  if (argv.length > 0 && !argv[0]!.startsWith('--')) {
    configFile = argv[0]!;
    i = 1;
    text = configFile === '-' ? readFileSync(0, 'utf8') : readFileSync(configFile, 'latin1');
    text += '\n';
  }
  // Each --name starts a new line; following words are its arguments.
  const lines: string[] = [];
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--') && a.length > 2) lines.push(a.slice(2));
    else if (lines.length) lines[lines.length - 1] += ' ' + quoteIfNeeded(a);
    else lines.push(a);
  }
  text += lines.join('\n');
  applyConfigText(text, config);
  return { configFile };
}

function quoteIfNeeded(s: string): string {
  if (s === '') return '""';
  return /[\s"']/.test(s) ? '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"') + '"' : s;
}

export function applyConfigText(text: string, config: Config): void {
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const words = line.split(/\s+/);
    const name = words[0]!.toLowerCase();
    const value = words.slice(1).join(' ').replace(/^"(.*)"$/, '$1');
    const d = config.directive(name);
    if (!d) throw new FatalConfigError(n + 1, line, 'Bad directive or wrong number of arguments');
    const err = config.set(name, value);
    if (err) throw new FatalConfigError(n + 1, line, err);
  }
}
