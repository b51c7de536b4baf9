// Prometheus metrics for /metrics. One registry per collector instance (tests
// start several in one process), with Node's process metrics included.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tally_collector_' });
  const m = {
    registry,
    agentConnections: new Gauge({ name: 'tally_agent_connections', help: 'Open agent WebSocket connections', registers: [registry] }),
    upgradesRejected: new Counter({ name: 'tally_agent_upgrades_rejected_total', help: 'Agent upgrade requests refused', labelNames: ['code'] as const, registers: [registry] }),
    enrolments: new Counter({ name: 'tally_enrolments_total', help: 'Devices enrolled', registers: [registry] }),
    identityDecisions: new Counter({
      name: 'tally_enrolment_decisions_total',
      help: 'Enrolments by what identity decided: new, re_enrolled (a known machine), moved (its token was another company\'s), possible_duplicate (flagged), token_exhausted and token_invalid (refused)',
      labelNames: ['outcome'] as const, registers: [registry],
    }),
    framesReceived: new Counter({ name: 'tally_agent_frames_total', help: 'Agent frames received by body type', labelNames: ['type'] as const, registers: [registry] }),
    frameErrors: new Counter({ name: 'tally_agent_frame_errors_total', help: 'Agent frames refused', labelNames: ['code'] as const, registers: [registry] }),
    usageRecords: new Counter({ name: 'tally_usage_records_total', help: 'Usage records by outcome', labelNames: ['outcome'] as const, registers: [registry] }),
    usageSecondsClamped: new Counter({ name: 'tally_usage_seconds_clamped_total', help: 'Awake seconds dropped because a device-day would exceed 86,400 s', registers: [registry] }),
    lateRecords: new Counter({
      name: 'tally_usage_late_records_total', help: 'Usage records for finalized months: adjustment (within two months) or unbilled (older, recorded only)',
      labelNames: ['disposition'] as const, registers: [registry],
    }),
    clonesRefused: new Counter({ name: 'tally_clones_refused_total', help: 'Hellos refused because the device key came from a clone', registers: [registry] }),
    storageErrors: new Counter({ name: 'tally_storage_errors_total', help: 'Storage operations that failed', labelNames: ['operation'] as const, registers: [registry] }),
    ingestSeconds: new Histogram({
      name: 'tally_ingest_batch_seconds', help: 'Time from frame received to acknowledgement sent',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 2, 5], registers: [registry],
    }),
    groupCommitRecords: new Histogram({
      name: 'tally_ingest_group_commit_records', help: 'Usage records per group commit (one transaction, one fsync)',
      buckets: [1, 10, 100, 1_000, 5_000, 20_000, 50_000, 100_000], registers: [registry],
    }),
    groupCommitSeconds: new Histogram({
      name: 'tally_ingest_group_commit_seconds', help: 'Time a group commit takes in storage, until durable',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5], registers: [registry],
    }),
    groupCommitsInFlight: new Gauge({ name: 'tally_ingest_group_commits_in_flight', help: 'Group commits running now', registers: [registry] }),
    groupCommitLimit: new Gauge({
      name: 'tally_ingest_group_commits_limit', help: 'Group commits this collector runs at once at most (--ingest-commits)', registers: [registry],
    }),
    monthRuns: new Counter({
      name: 'tally_month_runs_total', help: 'Month runs (a month written as rows): finalized, adjusted, unchanged (late data that changed nothing), failed, stale (left by a stopped collector and discarded)',
      labelNames: ['outcome'] as const, registers: [registry],
    }),
    monthRunLines: new Counter({ name: 'tally_month_run_lines_total', help: 'Endpoint and user lines written as rows by month runs', registers: [registry] }),
    httpRequests: new Counter({ name: 'tally_http_requests_total', help: 'HTTP requests by route and status', labelNames: ['route', 'status'] as const, registers: [registry] }),
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;
