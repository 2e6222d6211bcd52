// tessera-server's entry point: load the configuration like redis-server,
// start the node, and stop cleanly on SIGINT/SIGTERM.

import { Config } from '../config/config.js';
import { FatalConfigError, loadArgs } from '../config/args.js';
import { createLogger } from '../runtime/logger.js';
import { TesseraServer } from './server.js';

export const TESSERA_VERSION = '0.1.0';

async function main(): Promise<void> {
  const config = new Config();
  let configFile = '';
  try {
    configFile = loadArgs(process.argv.slice(2), config).configFile;
  } catch (e) {
    if (e instanceof FatalConfigError) {
      process.stderr.write(e.render());
      process.exit(1);
    }
    throw e;
  }
  const logger = createLogger({ logfile: config.get('logfile') ?? '', level: config.get('loglevel') ?? 'notice', fields: { pid: process.pid } });
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
  logger.info('Ready to accept connections', { port: server.tcpPort, version: TESSERA_VERSION });
  const stop = (sig: string): void => {
    logger.info(`Received ${sig} scheduling shutdown...`);
    void server.stop(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
