import 'reflect-metadata';
import { loadApiConfig } from '@ihl/config';
import { createApiApp } from '@ihl/http-api';

async function main(): Promise<void> {
  const config = loadApiConfig(process.env);
  const app = await createApiApp({ config });
  await app.listen(config.port, config.host);
  console.log(`Integral Help Ledger API on http://${config.host}:${config.port} (docs at /api/docs)`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
