import { ConfigError } from './ledger-config';

type Env = Readonly<Record<string, string | undefined>>;

/** Where the worker serves its own Prometheus metrics; null (LEDGER_WORKER_METRICS_PORT unset): nowhere. */
export interface WorkerMetricsConfig {
  /** LEDGER_WORKER_METRICS_HOST: the address it binds (default 127.0.0.1: this machine only). */
  readonly host: string;
  /** LEDGER_WORKER_METRICS_PORT: 0 takes a free port (the worker logs which). */
  readonly port: number;
}

const HOST = /^[A-Za-z0-9.:-]+$/;

export function loadWorkerMetricsConfig(env: Env): WorkerMetricsConfig | null {
  const port = env.LEDGER_WORKER_METRICS_PORT?.trim();
  const host = env.LEDGER_WORKER_METRICS_HOST?.trim() || '127.0.0.1';
  if (!port) return null;
  if (!/^\d+$/.test(port) || Number(port) > 65535)
    throw new ConfigError('LEDGER_WORKER_METRICS_PORT', `must be a whole number from 0 to 65535 (got "${port}")`);
  if (!HOST.test(host))
    throw new ConfigError('LEDGER_WORKER_METRICS_HOST', `must be an address or a host name (got "${host}")`);
  return { host, port: Number(port) };
}
