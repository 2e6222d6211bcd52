// DUMP: the value at key in Redis's own serialisation (RDB object encoding,
// version footer, CRC64), so that redis-server can RESTORE it and vice versa.
// A missing key is a null reply. The lookup touches the key (lookupKeyRead).

import type { CommandSpec } from '../spec.js';
import type { Config } from '../../config/config.js';
import { createDumpPayload } from '../../persistence/dump-payload.js';
import type { EncodeOptions } from '../../persistence/rdb-object.js';
import { lookupRead } from './common.js';

const optionsByConfig = new WeakMap<Config, EncodeOptions>();
const listening = new WeakSet<Config>();

/**
 * How this node serialises values (list node size, rdbcompression), from
 * the live config: cached until a directive changes, since MIGRATE asks for
 * every batch.
 */
export function encodeOptions(config: Config): EncodeOptions {
  let opts = optionsByConfig.get(config);
  if (opts === undefined) {
    if (!listening.has(config)) {
      listening.add(config);
      config.onChange(() => optionsByConfig.delete(config));
    }
    opts = {
      listMaxListpackSize: config.getNumber('list-max-listpack-size') || -2,
      compress: config.getBool('rdbcompression'),
    };
    optionsByConfig.set(config, opts);
  }
  return opts;
}

export const dump = {
  name: 'dump',
  arity: 2,
  flags: ['readonly'],
  group: 'generic',
  keys: { first: 1, last: 1, step: 1 },
  acl: ['@keyspace', '@read', '@slow'],
  summary: 'Return a serialized version of the value stored at the specified key.',
  since: '2.6.0',
  complexity:
    'O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).',
  tips: ['nondeterministic_output'],
  run(s, args) {
    const v = lookupRead(s, args[1]!);
    if (v === undefined) {
      s.out.nil();
      return;
    }
    s.out.bulk(createDumpPayload(v, encodeOptions(s.node.config)));
  },
} as const satisfies CommandSpec;
