// Protected mode as redis-server 7.0.15 applies it: while protected-mode is
// yes and the default user has no password, only loopback clients are
// served, whatever `bind` says (checked against a running 7.0.15).

import type { Config } from './config.js';

const DENIED =
  '-DENIED Redis is running in protected mode because protected mode is enabled and no password is set for the default user. ' +
  'In this mode connections are only accepted from the loopback interface. ' +
  'If you want to connect from external computers to Redis you may adopt one of the following solutions: ' +
  "1) Just disable protected mode sending the command 'CONFIG SET protected-mode no' from the loopback interface by connecting to Redis from the same host the server is running, however MAKE SURE Redis is not publicly accessible from internet if you do so. Use CONFIG REWRITE to make this change permanent. " +
  "2) Alternatively you can just disable the protected mode by editing the Redis configuration file, and setting the protected mode option to 'no', and then restarting the server. " +
  "3) If you started the server manually just for testing, restart it with the '--protected-mode no' option. " +
  '4) Setup a an authentication password for the default user. ' +
  'NOTE: You only need to do one of the above things in order for the server to start accepting connections from the outside.\r\n';

export function isLoopback(ip: string | undefined): boolean {
  if (!ip) return true; // unix socket
  return ip.startsWith('127.') || ip === '::1' || ip.startsWith('::ffff:127.');
}

/** The bytes to send before closing a client protected mode refuses, or null to serve it. */
export function protectedModeRefusal(config: Config, remoteIp: string | undefined): string | null {
  if (!config.getBool('protected-mode') || config.requirepass() !== '') return null;
  return isLoopback(remoteIp) ? null : DENIED;
}
