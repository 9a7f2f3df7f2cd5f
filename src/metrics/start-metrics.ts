// Starts the /metrics listener when the configuration asks for one. prom-client and the HTTP
// server are loaded only then: they cost an idle server several MB of memory it rarely uses.

import type { ServerCore } from '../server/core.js';
import type { ClusterMetricsSource } from './collectors.js';
import type { MetricsServer } from './metrics-server.js';

/**
 * The metrics listener the configuration asks for (`metrics-port`, bound to `metrics-bind` or
 * the first main bind address), or null when metrics are off.
 */
export async function startConfiguredMetrics(core: ServerCore, cluster?: () => ClusterMetricsSource | null): Promise<MetricsServer | null> {
  const port = core.config.getNumber('metrics-port');
  if (port === 0) return null;
  const bind = core.config.get('metrics-bind') || core.config.get('bind').split(/\s+/).find((a) => a !== '') || '127.0.0.1';
  const host = bind.replace(/^-/, '');
  const { MetricsServer } = await import('./metrics-server.js');
  return new MetricsServer(core, { port, host: host === '*' ? '0.0.0.0' : host, cluster }).listen();
}
