import { ConfigError, loadApiConfig, loadStoreConfig, loadWorkerConfig } from './ledger-config';

const api = {
  LEDGER_JWT_SECRET: 'x'.repeat(32),
  LEDGER_PSEUDONYM_KEY: `1:${'a'.repeat(64)}`,
  LEDGER_PROFILE_MASTER_KEY: 'b'.repeat(64),
};
const worker = { REDIS_URL: 'redis://127.0.0.1:6379' };

/** The ConfigError `load` throws: its variable and message. */
function refusal(load: () => unknown): { variable: string; message: string } {
  try {
    load();
  } catch (e) {
    if (e instanceof ConfigError) return { variable: e.variable, message: e.message };
    throw e;
  }
  throw new Error('no ConfigError');
}

describe('operations settings checked at start, named in the error', () => {
  it('LEDGER_LOG_LEVEL: one of the levels, for the api and the worker', () => {
    expect(loadApiConfig(api).logLevel).toBeUndefined();
    expect(loadApiConfig({ ...api, LEDGER_LOG_LEVEL: 'warn' }).logLevel).toBe('warn');
    expect(loadWorkerConfig({ ...worker, LEDGER_LOG_LEVEL: 'debug' }).logLevel).toBe('debug');
    for (const load of [
      () => loadApiConfig({ ...api, LEDGER_LOG_LEVEL: 'verbose' }),
      () => loadWorkerConfig({ ...worker, LEDGER_LOG_LEVEL: 'INFO' }),
    ])
      expect(refusal(load)).toEqual({
        variable: 'LEDGER_LOG_LEVEL',
        message: expect.stringMatching(/^configuration: LEDGER_LOG_LEVEL must be one of fatal, error, warn, info/),
      });
  });

  it('LEDGER_METRICS_TOKEN: 32 to 256 printable characters, no spaces', () => {
    expect(loadApiConfig({ ...api, LEDGER_METRICS_TOKEN: 'm'.repeat(32) }).metricsToken).toBe('m'.repeat(32));
    for (const bad of ['m'.repeat(31), `${'m'.repeat(20)} ${'m'.repeat(20)}`, 'm'.repeat(257)])
      expect(refusal(() => loadApiConfig({ ...api, LEDGER_METRICS_TOKEN: bad }))).toEqual({
        variable: 'LEDGER_METRICS_TOKEN',
        message: 'configuration: LEDGER_METRICS_TOKEN must be 32 to 256 printable characters without spaces',
      });
  });

  it('LEDGER_JWT_PREVIOUS_SECRETS needs the current secret to sign with', () => {
    const jwks = {
      ...api,
      LEDGER_JWT_SECRET: '',
      LEDGER_JWKS_URL: 'https://idp.example.lt/jwks',
      LEDGER_JWT_ISSUER: 'i',
    };
    expect(refusal(() => loadApiConfig({ ...jwks, LEDGER_JWT_PREVIOUS_SECRETS: 'p'.repeat(32) })).variable).toBe(
      'LEDGER_JWT_PREVIOUS_SECRETS',
    );
  });

  it('ledger init and demo: DATA_DIR and EVENTSTORE_CONNECTION_STRING as the api reads them', () => {
    expect(loadStoreConfig({})).toEqual({ dataDir: './data', eventStoreConnectionString: undefined });
    expect(refusal(() => loadStoreConfig({ EVENTSTORE_CONNECTION_STRING: 'http://esdb:2113' }))).toEqual({
      variable: 'EVENTSTORE_CONNECTION_STRING',
      message: expect.stringMatching(/^configuration: EVENTSTORE_CONNECTION_STRING must start with esdb:\/\//),
    });
  });
});
