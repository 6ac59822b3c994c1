import { ConfigError } from './ledger-config';
import { loadWorkerMetricsConfig } from './worker-metrics-config';

describe('loadWorkerMetricsConfig', () => {
  it('is off without a port, and binds 127.0.0.1 by default', () => {
    expect(loadWorkerMetricsConfig({})).toBeNull();
    expect(loadWorkerMetricsConfig({ LEDGER_WORKER_METRICS_PORT: '9464' })).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(loadWorkerMetricsConfig({ LEDGER_WORKER_METRICS_PORT: '0', LEDGER_WORKER_METRICS_HOST: '0.0.0.0' })).toEqual(
      { host: '0.0.0.0', port: 0 },
    );
  });

  it('names the variable and the rule of a bad value', () => {
    for (const [env, name] of [
      [{ LEDGER_WORKER_METRICS_PORT: '70000' }, 'LEDGER_WORKER_METRICS_PORT'],
      [{ LEDGER_WORKER_METRICS_PORT: 'x' }, 'LEDGER_WORKER_METRICS_PORT'],
      [{ LEDGER_WORKER_METRICS_PORT: '1', LEDGER_WORKER_METRICS_HOST: 'a b' }, 'LEDGER_WORKER_METRICS_HOST'],
    ] as const) {
      expect(() => loadWorkerMetricsConfig(env)).toThrow(ConfigError);
      expect(() => loadWorkerMetricsConfig(env)).toThrow(name);
    }
  });
});
