// CLUSTER REPLICAS / SLAVES node-id: the CLUSTER NODES lines of its replicas.
import type { CommandRun } from '../spec.js';
import { clusterOf, isPrimary, nodeLine, replicasOf, sub } from './common.js';

const run: CommandRun = (s, args) => {
  const view = clusterOf(s).core.view;
  const n = view.nodes.get(args[2]!);
  if (!n) {
    s.error(`ERR Unknown node ${args[2]!}`);
    return;
  }
  if (!isPrimary(n)) {
    s.error('ERR The specified node is not a master');
    return;
  }
  const lines = replicasOf(view, n.id).map((r) => nodeLine(view, r));
  s.out.array(lines.length);
  for (const l of lines) s.out.bulk(l);
};

export const replicas = sub('replicas', 3, ['admin', 'stale'], 'List replica nodes of the specified master node', '5.0.0', run, { tips: ['nondeterministic_output'] });
export const slaves = sub('slaves', 3, ['admin', 'stale'], 'List replica nodes of the specified master node', '3.0.0', run, { tips: ['nondeterministic_output'] });
