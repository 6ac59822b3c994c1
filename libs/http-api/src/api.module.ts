import { DynamicModule, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { ActivitiesController } from './activities/activities.controller';
import { ExpendituresController } from './expenditures/expenditures.controller';
import { PersonsController } from './persons/persons.controller';
import { ProgressController } from './progress/progress.controller';
import { BudgetController } from './budget/budget.controller';
import { VolumesController } from './volumes/volumes.controller';
import { AuditController } from './audit/audit.controller';
import { ExportsController } from './exports/exports.controller';
import { ReportsController } from './reports/reports.controller';
import { AlertsController } from './alerts/alerts.controller';
import { RecordListsController } from './lists/record-lists.controller';
import { ImportsController } from './imports/imports.controller';
import { EvidenceController } from './evidence/evidence.controller';
import { ClaimsController } from './claims/claims.controller';
import { AdvancesController } from './advances/advances.controller';
import { DeliverablesController } from './deliverables/deliverables.controller';
import { InspectionsController } from './inspections/inspections.controller';
import { CertificationsController } from './certifications/certifications.controller';
import { SurveysController } from './surveys/surveys.controller';
import { GoodPracticeController } from './good-practice/good-practice.controller';
import { WorkforceController } from './workforce/workforce.controller';
import { CoordinatorReportsController } from './coordinator/coordinator-reports.controller';
import { WriteContextInterceptor } from './http/write-context.interceptor';
import type { Clock } from '@ihl/application';
import type { CheckpointSettings, EventStore } from '@ihl/event-store';
import { LedgerCoreModule } from '@ihl/runtime';
import { API_CONFIG, type ApiSettings } from './api.settings';
import { AuthGuard } from './auth/auth.guard';
import { tokenVerifierProvider } from './auth/token-verifier.provider';
import { rateLimiterProvider } from './http/rate-limiter.provider';
import { HealthController } from './health/health.controller';
import { ProjectsController } from './projects/projects.controller';
import { JOBS_CONTROLLERS, JOBS_PROVIDERS } from './jobs';
import { AuthSessionController } from './session/auth-session.controller';
import { sessionStoreProvider } from './session/session-auth';
import { LedgerMetrics } from './observability/ledger-metrics';
import { ExportStampSetup } from './exports/export-stamp';
import { CHECKPOINT_KEY, CheckpointsController } from './checkpoints/checkpoints.controller';

export interface ApiModuleOptions {
  readonly config: ApiSettings;
  readonly eventStore?: EventStore;
  readonly clock?: Clock;
  /** Signed checkpoints of the hash chain (LEDGER_CHECKPOINT_KEY_FILE): taken by this process. */
  readonly checkpoints?: CheckpointSettings | null;
}

@Module({})
export class ApiModule {
  static forRoot(options: ApiModuleOptions): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        LedgerCoreModule.forRoot({
          dataDir: options.config.dataDir,
          eventStoreConnectionString: options.config.eventStoreConnectionString,
          readModels: options.config.projectionHost === 'worker' ? 'follow' : 'run',
          privacy: {
            pseudonymKeyring: options.config.pseudonymKeyring,
            profileMasterKey: options.config.profileMasterKey,
            erasureJournal: options.config.erasureJournal,
            sharedPersonKeys: options.config.sharedPersonKeys,
          },
          ...(options.eventStore ? { eventStore: options.eventStore } : {}),
          ...(options.clock ? { clock: options.clock } : {}),
          checkpoints: options.checkpoints,
        }),
      ],
      controllers: [
        HealthController,
        ProjectsController,
        RecordListsController,
        ActivitiesController,
        ExpendituresController,
        PersonsController,
        ProgressController,
        BudgetController,
        VolumesController,
        AuditController,
        ExportsController,
        ...JOBS_CONTROLLERS,
        ReportsController,
        AlertsController,
        AuthSessionController,
        ImportsController,
        EvidenceController,
        ClaimsController,
        AdvancesController,
        DeliverablesController,
        InspectionsController,
        CertificationsController,
        SurveysController,
        GoodPracticeController,
        WorkforceController,
        CoordinatorReportsController,
        CheckpointsController,
      ],
      providers: [
        { provide: API_CONFIG, useValue: options.config },
        tokenVerifierProvider,
        rateLimiterProvider,
        sessionStoreProvider,
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_INTERCEPTOR, useClass: WriteContextInterceptor },
        ...JOBS_PROVIDERS,
        LedgerMetrics,
        ExportStampSetup,
        { provide: CHECKPOINT_KEY, useValue: options.checkpoints?.key ?? null },
      ],
    };
  }
}
