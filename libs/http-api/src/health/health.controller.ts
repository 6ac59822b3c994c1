import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { PERSON_REGISTRY, READ_MODELS, type PersonRegistry } from '@ihl/application';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { PrivacyPersonRegistry, type ReadModels } from '@ihl/runtime';
import { API_CONFIG, type ApiSettings } from '../api.settings';
import { Public } from '../auth/auth.guard';
import { SharedStoreHolder } from '../jobs/shared-store.provider';
import { ReadinessProbe, type Readiness } from './readiness.probe';

@ApiTags('health')
@Controller('health')
export class HealthController {
  private readonly probe: ReadinessProbe;

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_MODELS) private readonly readModels: ReadModels,
    @Inject(API_CONFIG) config: ApiSettings,
    shared: SharedStoreHolder,
    @Inject(PERSON_REGISTRY) persons: PersonRegistry,
  ) {
    const erasures = () => (persons instanceof PrivacyPersonRegistry ? persons.erasureFollower() : null);
    this.probe = new ReadinessProbe(store, readModels, config.readiness, Date.now, shared.store, erasures);
  }

  /**
   * Public: positions and counts only (the shape earlier versions answered). "degraded" when some
   * profiles could not be opened; "not-ready" when /health/ready would answer 503 (it says why).
   */
  @Get()
  @Public()
  async health() {
    let headPosition: number;
    try {
      headPosition = await this.store.headPosition();
    } catch {
      throw new ServiceUnavailableException('the event store does not answer');
    }
    const { mode, reached, unreadableProfiles } = this.readModels.status;
    const readiness = await this.readiness();
    return {
      status:
        readiness.status === 'not-ready'
          ? 'not-ready'
          : unreadableProfiles > 0 || readiness.status === 'degraded'
            ? 'degraded'
            : 'ok',
      eventStore: { headPosition },
      readModels: { mode, reached, behind: Math.max(headPosition - reached, 0), unreadableProfiles },
      ...(readiness.checks.erasureFollower ? { erasureFollower: readiness.checks.erasureFollower } : {}),
    };
  }

  /** Liveness: the process serves HTTP. Nothing else is asked, so a stuck store never gets it restarted. */
  @Get('live')
  @Public()
  live() {
    return { status: 'alive' };
  }

  /**
   * Readiness: 200 when the event store answers and the read models follow it within the
   * thresholds; else 503 with the same body, `failing` naming each part that fails and its reason.
   * Redis down is 200 `degraded` (`degraded: ['redis']`): the replica still serves what matters.
   */
  @Get('ready')
  @Public()
  async ready(@Res({ passthrough: true }) res: Response): Promise<Readiness> {
    const readiness = await this.readiness();
    // Degraded (Redis down) stays in rotation: writes and figures do not need it.
    if (readiness.status === 'not-ready') {
      res.status(503);
      res.setHeader('Retry-After', '5');
    }
    return readiness;
  }

  private readiness(): Promise<Readiness> {
    return this.probe.probe();
  }
}
