/**
 * The API of the HTTP write benchmark (bench/http-write.bench.ts), in its own process so that the
 * load generator does not share its event loop. Run with test/support/register-ts.cjs (Nest's
 * injection and the validation pipe need the decorator metadata tsx does not emit):
 *
 *   node --require ./test/support/register-ts.cjs bench/http-write.child.ts <data dir> <clock ISO>
 *
 * Serves the data directory (removed on exit unless a third argument `keep` is given) on 127.0.0.1 through the same app the e2e tests use,
 * plus, in this process only, a no-op write route: authenticated, rate-limited, fingerprinted and
 * validated like the real routes (the app's global guard, interceptor and pipe), then answering
 * without touching the ledger. Talks to its parent over IPC: `{ base, tokens }` once listening,
 * `{ rss }` when asked `'rss'`, `{ cpuMicros }` when asked `'cpu'`, and closes on `'close'`.
 */
import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import type { RequestContext } from '@ihl/application';
import { ApiModule } from '@ihl/http-api';
import { BatchDto, SubmitServiceDeliveredDto } from '../libs/http-api/src/activities/activity.dto';
import { Ctx, Roles } from '../libs/http-api/src/auth/auth.guard';
import { startLedgerTestApp } from '../test/support/ledger-test-app';
import { BENCH_PRIVACY } from './ledger-log.generator';

@Controller('api/v1/bench-noop/:code')
class NoopWriteController {
  @Post('service-deliveries')
  @HttpCode(201)
  @Roles('partner-submitter')
  single(@Param('code') code: string, @Body() dto: SubmitServiceDeliveredDto, @Ctx() ctx: RequestContext) {
    return { code, partnerId: ctx.actor.partnerId ?? null, occurredOn: dto.occurredOn };
  }

  @Post('batch')
  @HttpCode(201)
  @Roles('partner-submitter')
  batch(@Param('code') code: string, @Body() dto: BatchDto, @Ctx() ctx: RequestContext) {
    return { code, partnerId: ctx.actor.partnerId ?? null, records: dto.records.length };
  }
}

// The bench's app instance only: the route joins the API module's own controllers.
const apiModule = ApiModule.forRoot.bind(ApiModule);
ApiModule.forRoot = (options) => {
  const m = apiModule(options);
  return { ...m, controllers: [...(m.controllers ?? []), NoopWriteController] };
};

async function main(): Promise<void> {
  const [dir, clockIso, keep] = process.argv.slice(2);
  if (!dir || !clockIso) throw new Error('usage: http-write.child.ts <data dir> <clock ISO>');
  const t = await startLedgerTestApp(
    new Date(clockIso),
    {
      LEDGER_PSEUDONYM_KEY: BENCH_PRIVACY.pseudonymKeyring,
      LEDGER_PROFILE_MASTER_KEY: BENCH_PRIVACY.profileMasterKey,
      RATE_LIMIT_WRITES_PER_MINUTE: '0',
      RATE_LIMIT_READS_PER_MINUTE: '0',
      BODY_LIMIT_BYTES: String(1024 * 1024),
      // BENCH_HTTP_PROJECTIONS=worker: the bench passes LEDGER_PROJECTIONS=worker and the worker's Redis.
      ...(process.env['LEDGER_PROJECTIONS'] ? { LEDGER_PROJECTIONS: process.env['LEDGER_PROJECTIONS'] } : {}),
      ...(process.env['REDIS_URL'] ? { REDIS_URL: process.env['REDIS_URL'] } : {}),
    },
    { dir },
  );
  process.on('message', (m: unknown) => {
    if (m === 'rss') process.send?.({ rss: process.memoryUsage().rss });
    // CPU time (user + system, µs) of this process so far: per request, the steady figure on a shared host.
    if (m === 'cpu') {
      const u = process.cpuUsage();
      process.send?.({ cpuMicros: u.user + u.system });
    }
    // `keep` (the as-of bench's BENCH_ASOF_KEEP): the data directory outlives the process.
    const close = keep === 'keep' ? () => t.app.close().then(() => t.store.close()) : () => t.close();
    if (m === 'close') void close().then(() => process.exit(0));
  });
  process.send?.({ base: t.base, tokens: t.tokens });
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
