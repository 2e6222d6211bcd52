import { NO_KEYS, type CommandSpec } from '../spec.js';

/**
 * ROLE (Redis 7.0's roleCommand): ["master", offset, [[ip, port, ackOffset]...]]
 * listing only online replicas, with port and offset as bulk strings; or
 * ["slave", host, port, state, offset] with the link state spelled as Redis's
 * repl_state names (connect, connecting, sync, connected).
 */
export const role = {
  name: 'role',
  arity: 1,
  flags: ['noscript', 'loading', 'stale', 'fast'],
  group: 'server',
  keys: NO_KEYS,
  acl: ['@admin', '@dangerous'],
  summary: 'Return the role of the instance in the context of replication',
  since: '2.8.12',
  complexity: 'O(1)',
  run(s) {
    const st = s.node.replication?.state ?? null;
    const p = st?.primary ?? null;
    if (st !== null && p !== null) {
      s.out.array(5);
      s.out.bulk('slave');
      s.out.bulk(p.host);
      s.out.int(p.port);
      s.out.bulk(p.state);
      s.out.int(p.state === 'connected' ? st.offset : -1);
      return;
    }
    s.out.array(3);
    s.out.bulk('master');
    s.out.int(st?.offset ?? 0);
    const online = st ? [...st.replicas.values()].filter((r) => r.state === 'online') : [];
    s.out.array(online.length);
    for (const r of online) {
      s.out.array(3);
      s.out.bulk(r.ip);
      s.out.bulk(String(r.port));
      s.out.bulk(String(r.ackOffset));
    }
  },
} as const satisfies CommandSpec;
