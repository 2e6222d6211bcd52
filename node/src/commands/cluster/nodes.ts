// CLUSTER NODES: the view in Redis's text format (what redis-cli --cluster and every client parse).
import { clusterOf, nodeLine, sub } from './common.js';

export const nodes = sub('nodes', 2, ['stale'], 'Get Cluster config for the node', '3.0.0', (s) => {
  const view = clusterOf(s).core.view;
  let text = '';
  for (const n of view.nodes.values()) text += nodeLine(view, n) + '\n';
  s.out.verbatim(text);
}, { tips: ['nondeterministic_output'] });
