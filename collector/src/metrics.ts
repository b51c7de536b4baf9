// Prometheus metrics for /metrics. One registry per collector instance (tests
// start several in one process), with Node's process metrics included.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tally_collector_' });
  const m = {
    registry,
    agentUpdateChecks: new Counter({
      name: 'tally_agent_update_checks_total', help: 'Agent update checks: offered (a release), none (stay), unauthorized', labelNames: ['outcome'] as const, registers: [registry],
    }),
    artifactDownloads: new Counter({ name: 'tally_agent_artifact_downloads_total', help: 'Release artifacts served to agents', registers: [registry] }),
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
    psaPushes: new Counter({
      name: 'tally_psa_pushes_total', help: 'Writes to a PSA by the sync: written (a quantity set), adjusted (a finalized month corrected), failed',
      labelNames: ['kind', 'outcome'] as const, registers: [registry],
    }),
    psaSyncFailures: new Counter({ name: 'tally_psa_sync_failures_total', help: 'PSA syncs that stopped (the next one resumes), by error code', labelNames: ['kind', 'code'] as const, registers: [registry] }),
    psaRetries: new Counter({ name: 'tally_psa_retries_total', help: 'PSA requests retried, by the status that caused it (429, 5xx, network)', labelNames: ['status'] as const, registers: [registry] }),
    groupCommitsInFlight: new Gauge({ name: 'tally_ingest_group_commits_in_flight', help: 'Group commits running now', registers: [registry] }),
    groupCommitLimit: new Gauge({
      name: 'tally_ingest_group_commits_limit', help: 'Group commits this collector runs at once at most (--ingest-commits)', registers: [registry],
    }),
    reportJobs: new Counter({
      name: 'tally_report_jobs_total',
      help: 'Report jobs by outcome: queued, refused_queue_full, ready, failed, retried (a failed attempt queued again), reclaimed (claimed again after a lease ran out), lease_lost',
      labelNames: ['outcome'] as const, registers: [registry],
    }),
    reportRetention: new Counter({ name: 'tally_report_retention_deleted_total', help: 'Finished reports deleted by retention: rows and files', labelNames: ['what'] as const, registers: [registry] }),
    reportQueue: new Gauge({ name: 'tally_report_queue_jobs', help: 'Report jobs on the queue now, over every collector: waiting or running', labelNames: ['state'] as const, registers: [registry] }),
    webhookEvents: new Counter({ name: 'tally_webhook_events_total', help: 'Events fanned out to webhook endpoints, by type', labelNames: ['type'] as const, registers: [registry] }),
    webhookAttempts: new Counter({
      name: 'tally_webhook_attempts_total', help: 'Webhook delivery attempts by outcome: delivered, http_error, timeout, network_error, redirect',
      labelNames: ['outcome'] as const, registers: [registry],
    }),
    webhookDeliveries: new Counter({
      name: 'tally_webhook_deliveries_total', help: 'Webhook deliveries finished: delivered, or failed once every attempt was used', labelNames: ['status'] as const, registers: [registry],
    }),
    webhookAttemptSeconds: new Histogram({
      name: 'tally_webhook_attempt_seconds', help: 'Time a receiver took to answer a webhook', buckets: [0.01, 0.05, 0.1, 0.5, 1, 2, 5, 10], registers: [registry],
    }),
    alerts: new Counter({ name: 'tally_alerts_total', help: 'Alert conditions raised and cleared, by rule kind', labelNames: ['kind', 'state'] as const, registers: [registry] }),
    alertEmails: new Counter({ name: 'tally_alert_emails_total', help: 'Alert e-mails by outcome (sent, failed, no_smtp)', labelNames: ['outcome'] as const, registers: [registry] }),
    helloCommitHellos: new Histogram({
      name: 'tally_hello_group_commit_hellos', help: 'Hellos per group commit (one transaction, one fsync)',
      buckets: [1, 10, 100, 500, 1_000, 2_000], registers: [registry],
    }),
    helloCommitSeconds: new Histogram({
      name: 'tally_hello_group_commit_seconds', help: 'Time a hello group commit takes in storage, until durable',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5], registers: [registry],
    }),
    connectionsReplaced: new Counter({
      name: 'tally_agent_connections_replaced_total', help: 'Agent connections closed because a newer connection of the same device key was welcomed', registers: [registry],
    }),
    connectionLimitRefusals: new Counter({
      name: 'tally_agent_connection_limit_refusals_total', help: 'Agent upgrades refused by a connection limit (per_ip, total)', labelNames: ['limit'] as const, registers: [registry],
    }),
    boundRefusals: new Counter({
      name: 'tally_agent_bound_refusals_total',
      help: 'Records, inventories and events refused by a per-device bound: too_many_streams (a new stream name over --max-streams-per-device), event_too_large, too_many_events',
      labelNames: ['reason'] as const, registers: [registry],
    }),
    eventsPurged: new Counter({ name: 'tally_events_purged_total', help: 'Device events deleted by retention (billing rows are never purged)', registers: [registry] }),
    eventRetentionRuns: new Counter({ name: 'tally_event_retention_runs_total', help: 'Event retention purges by result', labelNames: ['result'] as const, registers: [registry] }),
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
