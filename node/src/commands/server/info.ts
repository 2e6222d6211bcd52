import { NO_KEYS, type CommandSpec } from '../spec.js';
import { renderInfo, selectSections } from '../../services/info.js';

export const info = {
  name: 'info',
  arity: -1,
  flags: ['loading', 'stale'],
  group: 'server',
  keys: NO_KEYS,
  acl: ['@dangerous'],
  tips: ['nondeterministic_output', 'request_policy:all_shards', 'response_policy:special'],
  summary: 'Get information and statistics about the server',
  since: '1.0.0',
  complexity: 'O(1)',
  run(s, args) {
    const node = s.node;
    const st = node.stats;
    node.rateMeter.sample(node.keyspace.nowMs, st.totalCommandsProcessed, st.totalNetInputBytes, st.totalNetOutputBytes);
    const text = renderInfo({ node, facts: node.processFacts, meter: node.rateMeter }, selectSections(args.slice(1)));
    s.out.verbatim(text);
  },
} as const satisfies CommandSpec;
