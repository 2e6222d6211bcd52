// CLUSTER COUNT-FAILURE-REPORTS node-id: live failure reports about a node.
import { clusterOf, sub } from './common.js';

export const countFailureReports = sub('count-failure-reports', 3, ['admin', 'stale'], 'Return the number of failure reports active for a given node', '3.0.0', (s, args) => {
  const core = clusterOf(s).core;
  if (!core.view.nodes.has(args[2]!)) {
    s.error(`ERR Unknown node ${args[2]!}`);
    return;
  }
  s.out.int(core.failureReportCount(args[2]!, s.nowMs));
}, { tips: ['nondeterministic_output'] });
