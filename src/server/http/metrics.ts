import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { ComputePool, ComputeStats } from '../compute/compute-pool.ts';
import type { Database } from '../db/database.ts';

/**
 * Prometheus text at /metrics (seed-review #12: operational metrics are not database rows):
 * request counts and latencies by route pattern and status, and the database pool's state.
 */
export interface ListenerStats {
  connected: boolean;
  connects: number;
  wakes: number;
}

/**
 * `listener` reports the LISTEN connection that wakes event streams (PostgreSQL only; decision
 * 013): an instance whose listener is down serves streams by polling, slower and costlier.
 */
export function installMetrics(
  app: FastifyInstance,
  db: Database,
  listener: () => ListenerStats | undefined,
  compute: ComputePool,
): void {
  const registry = new Registry();
  // Process figures, event-loop delay among them (jobforge_nodejs_eventloop_lag_*): a loop that
  // stalls shows here before users notice.
  collectDefaultMetrics({ register: registry, prefix: 'jobforge_' });
  const requests = new Counter({
    name: 'jobforge_http_requests_total',
    help: 'HTTP requests by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'jobforge_http_request_duration_seconds',
    help: 'HTTP request latency by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const pool = (name: string, help: string, pick: (s: ReturnType<Database['stats']>) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(db.stats()));
      },
    });
  pool('jobforge_db_pool_connections', 'Database connections open', (s) => s.total);
  pool('jobforge_db_pool_idle', 'Database connections idle', (s) => s.idle);
  pool('jobforge_db_pool_waiting', 'Requests waiting for a database connection', (s) => s.waiting);

  const computeGauge = (name: string, help: string, pick: (s: ComputeStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(pick(compute.stats()));
      },
    });
  computeGauge(
    'jobforge_compute_queue_length',
    'CPU-heavy tasks waiting for a compute thread',
    (s) => s.queued,
  );
  computeGauge('jobforge_compute_running', 'Tasks running in compute threads', (s) => s.running);
  computeGauge('jobforge_compute_threads', 'Compute threads alive', (s) => s.threads);
  computeGauge('jobforge_compute_threads_max', 'Compute threads at most', (s) => s.maxThreads);
  computeGauge(
    'jobforge_compute_utilization',
    'Share of the compute threads’ capacity used since start (0 to 1)',
    (s) => s.utilization,
  );
  computeGauge(
    'jobforge_compute_tasks_aborted',
    'Tasks ended (thread terminated) past their deadline or heap limit, since start',
    (s) => s.aborted,
  );

  if (db.listen) {
    const gauge = (name: string, help: string, pick: (s: ListenerStats) => number) =>
      new Gauge({
        name,
        help,
        registers: [registry],
        collect() {
          const stats = listener();
          if (stats) this.set(pick(stats));
        },
      });
    gauge(
      'jobforge_job_events_listener_up',
      '1 while the LISTEN connection for job events is open, else 0 (streams fall back to polling)',
      (s) => (s.connected ? 1 : 0),
    );
    gauge(
      'jobforge_job_events_listener_connects',
      'Times the LISTEN connection was (re)established since start',
      (s) => s.connects,
    );
    gauge(
      'jobforge_job_events_listener_wakes',
      'Event-stream wake-ups delivered by NOTIFY since start',
      (s) => s.wakes,
    );
  }

  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, never the raw URL: ids must not explode the label set.
    const route = req.routeOptions.url ?? 'unmatched';
    const labels = { method: req.method, route, status: String(reply.statusCode) };
    requests.inc(labels);
    duration.observe(labels, reply.elapsedTime / 1000);
  });

  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) => {
    void reply.type(registry.contentType);
    return registry.metrics();
  });
}
