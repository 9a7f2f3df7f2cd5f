// The HTTP listener that serves /metrics in Prometheus's text format, with prom-client's default
// Node.js metrics (event loop delay, GC, heap) next to the server's own.

import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry, collectDefaultMetrics } from 'prom-client';
import type { ServerCore } from '../server/core.js';
import { registerServerMetrics, type ClusterMetricsSource } from './collectors.js';

export interface MetricsServerOptions {
  port: number;
  host: string;
  cluster?: () => ClusterMetricsSource | null;
}

/** How often the event-loop delay histogram samples, in ms. */
const EVENT_LOOP_SAMPLE_MS = 200;

export class MetricsServer {
  readonly registry = new Registry();
  private readonly http: http.Server;

  constructor(core: ServerCore, private readonly options: MetricsServerOptions) {
    // prom-client samples event-loop delay every 10 ms by default; measured pinned to one core
    // (benchmarks/metrics-cost.ts --pin), that cost 8-12% of SET throughput. Every 200 ms still
    // catches every stall longer than that and costs nothing measurable.
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    registerServerMetrics(this.registry, core, options.cluster);
    this.http = http.createServer((req, res) => void this.serve(req, res));
  }

  listen(): Promise<this> {
    return new Promise((resolve, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.options.port, this.options.host, () => {
        this.http.off('error', reject);
        resolve(this);
      });
    });
  }

  get port(): number {
    return (this.http.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    this.http.closeAllConnections();
    return new Promise((resolve) => this.http.close(() => resolve()));
  }

  private async serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' }).end();
      return;
    }
    if (path !== '/metrics') {
      res.writeHead(path === '/' ? 200 : 404, { 'Content-Type': 'text/plain' }).end(path === '/' ? 'ringcache: metrics at /metrics\n' : 'not found\n');
      return;
    }
    try {
      const body = await this.registry.metrics();
      res.writeHead(200, { 'Content-Type': this.registry.contentType }).end(req.method === 'HEAD' ? undefined : body);
    } catch (err) {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`${(err as Error).message}\n`);
    }
  }
}
