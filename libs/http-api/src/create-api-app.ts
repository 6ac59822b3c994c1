import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { ApiModule, type ApiModuleOptions } from './api.module';
import { json, type NextFunction, type Request, type Response } from 'express';
import { ProblemFilter, bodyErrorProblem } from './http/problem.filter';
import { RateLimitExceededFilter } from './http/rate-limit.filter';
import { inspectJsonBody, requireJsonContentType, utf8Problem, verifyUtf8 } from './http/body-guard';
import { ledgerValidationPipe } from './http/validation.pipe';
import { defaultWebDir, webApp } from './web/web-app.middleware';
import { oidcNavigation } from './session/oidc-navigation';
import { SESSION_STORE, sessionOf } from './session/session-auth';
import { projectCode } from './session/auth-session.controller';
import { RATE_LIMITER } from './http/rate-limit';
import { createLedgerLog, type LedgerLog } from './observability/ledger-log';
import { NestLogAdapter } from './observability/nest-log.adapter';
import { requestLog } from './observability/request-log.middleware';
import { LedgerMetrics } from './observability/ledger-metrics';
import { httpMetrics, metricsEndpoint } from './observability/metrics.middleware';

export interface CreateApiAppOptions extends ApiModuleOptions {
  /** false: no log at all (most tests), unless `log` is given. */
  readonly logger?: false;
  /** Where the JSON log lines go; default a pino logger on stdout at the configured level. */
  readonly log?: LedgerLog;
}

/** Builds the HTTP app (not listening yet): used by `ledger serve`, the api entry point and e2e tests. */
export async function createApiApp(options: CreateApiAppOptions): Promise<NestExpressApplication> {
  const log =
    options.log ??
    (options.logger === false
      ? undefined
      : createLedgerLog({ service: 'api', ...(options.config.logLevel ? { level: options.config.logLevel } : {}) }));
  const app = await NestFactory.create<NestExpressApplication>(ApiModule.forRoot(options), {
    bodyParser: false,
    logger: log ? new NestLogAdapter(log) : false,
  });
  // First, so every answer (the web app's files and refusals before Nest included) gets an id and a line.
  if (log) app.use(requestLog(log));
  const metrics = app.get(LedgerMetrics);
  app.use(httpMetrics(metrics));
  app.use(metricsEndpoint(metrics, options.config.metricsToken));
  // Strict JSON only, with a size limit; anything else is refused before it reaches a handler.
  const parseJson = json({
    limit: options.config.bodyLimitBytes,
    strict: true,
    type: ['application/json', 'application/*+json'],
    verify: verifyUtf8,
  });
  // The web app's pages and assets; every /api, /auth and /health path goes on to the API.
  const sessions = app.get(SESSION_STORE);
  app.use(
    webApp(options.config.webDir ?? defaultWebDir(), {
      project: projectCode(options.config.projectFile),
      roleOf: (req) => sessionOf(sessions, req)?.actor.role,
    }),
  );
  app.use(oidcNavigation(options.config, sessions, app.get(RATE_LIMITER)));
  app.use(requireJsonContentType);
  app.use((req: Request, res: Response, next: NextFunction) =>
    parseJson(req, res, (err?: unknown) => {
      if (err) {
        const problem = utf8Problem(err) ?? bodyErrorProblem(err);
        return void res.status(problem.statusCode).json(problem);
      }
      const problem = inspectJsonBody(req.body);
      if (problem) return void res.status(problem.statusCode).json(problem);
      next();
    }),
  );
  app.disable('x-powered-by');
  app.useGlobalPipes(ledgerValidationPipe());
  app.useGlobalFilters(new ProblemFilter(), new RateLimitExceededFilter());
  app.enableShutdownHooks();
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Integral Help Ledger')
      .setDescription(
        'Event-sourced ledger of an ESF+ integral-help project. Money is a decimal string with two places.',
      )
      .setVersion('0.1.0')
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup('api/docs', app, doc);
  return app;
}
