// tessera-server's entry point: load the configuration like redis-server
// (file, then --flags; Redis's fatal error block and exit 1 on a bad one),
// daemonize if asked, make `dir` the working directory, start the node, and
// stop cleanly on SIGINT/SIGTERM.

import { Config } from '../config/config.js';
import { ConfigOpenError, FatalConfigError, REDIS_COMPAT_VERSION, loadArgs, strerror } from '../config/args.js';
import { createLogger, redisLogLine } from '../runtime/logger.js';
import { daemonize, isDaemonChild, reportDaemonReady, writePidfile } from '../runtime/daemonize.js';
import { ALL_COMMANDS } from '../commands/all.js';
import { TesseraServer } from './server.js';

export const TESSERA_VERSION = '0.1.0';

function usage(): string {
  return [
    'Usage: ./tessera-server [/path/to/redis.conf] [options] [-]',
    '       ./tessera-server - (read config from stdin)',
    '       ./tessera-server -v or --version',
    '       ./tessera-server -h or --help',
    '',
    'Examples:',
    '       ./tessera-server (run the server with default conf)',
    '       ./tessera-server /etc/redis/6379.conf',
    '       ./tessera-server --port 7777',
    '       ./tessera-server --port 7777 --replicaof 127.0.0.1 8888',
    '       ./tessera-server /etc/myredis.conf --loglevel verbose -',
    '       ./tessera-server /etc/myredis.conf --loglevel verbose',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const first = argv[0];
  if (first === '-v' || first === '--version') {
    process.stdout.write(`Tessera server v=${TESSERA_VERSION} (redis ${REDIS_COMPAT_VERSION} compatible) node=${process.version}\n`);
    return;
  }
  if (first === '-h' || first === '--help') {
    process.stdout.write(usage());
    return;
  }
  const startCwd = process.cwd();
  const config = new Config({
    chdir(dir) {
      try {
        process.chdir(dir);
        return null;
      } catch (e) {
        return strerror(e);
      }
    },
    cwd: () => process.cwd(),
  });
  const commandNames = new Set(ALL_COMMANDS.map((c) => c.name));
  let configFile = '';
  try {
    configFile = loadArgs(argv, config, { commandExists: (n) => commandNames.has(n.toLowerCase()) }).configFile;
  } catch (e) {
    if (e instanceof FatalConfigError) {
      process.stderr.write(e.render());
      process.exit(1);
    }
    if (e instanceof ConfigOpenError) {
      process.stdout.write(redisLogLine(process.pid, 'C', '#', e.message));
      process.exit(1);
    }
    throw e;
  }
  const daemon = config.getBool('daemonize');
  if (daemon && !isDaemonChild()) await daemonize({ logfile: config.get('logfile') ?? '', cwd: startCwd });

  const logger = createLogger({
    logfile: config.get('logfile') ?? '',
    level: config.get('loglevel') ?? 'notice',
    fields: { pid: process.pid },
    silent: daemon && !config.get('logfile') ? true : undefined,
  });
  config.onChange((name, value) => {
    if (name === 'loglevel') logger.setLevel(value);
  });
  logger.warn('oO0OoO0OoO0Oo Tessera is starting oO0OoO0OoO0Oo');
  logger.warn(`Tessera version=${TESSERA_VERSION}, redis compatibility=${REDIS_COMPAT_VERSION}, pid=${process.pid}, just started`);
  logger.warn(configFile ? 'Configuration loaded' : 'Warning: no config file specified, using the default config. In order to specify a config file use tessera-server /path/to/redis.conf');
  for (const d of config.all()) {
    if (config.explicit.has(d.name) && !d.implemented) logger.warn(`directive ${d.name} is accepted but not in effect`, { value: config.get(d.name) ?? '' });
  }
  for (const words of config.storedLines) logger.warn(`directive ${words[0]} is accepted but not in effect`);

  const pidfile = config.get('pidfile') || (daemon ? `/var/run/redis_${config.getNumber('port')}.pid` : '');
  const server = new TesseraServer({
    config,
    logger,
    configFile,
    onExit: (code) => {
      void logger.close().then(() => process.exit(code));
    },
  });
  try {
    await server.listen();
  } catch (e) {
    logger.error((e as Error).message);
    await logger.close();
    process.exit(1);
  }
  if (pidfile) {
    const err = writePidfile(pidfile);
    if (err) logger.warn(`Failed to write PID file: ${err}`);
  }
  logger.info('Ready to accept connections', { port: server.tcpPort, version: TESSERA_VERSION });
  if (daemon) reportDaemonReady();
  const stop = (sig: string): void => {
    logger.warn(`Received ${sig} scheduling shutdown...`);
    void server.stop(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
