import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { PROGRESS_READ_MODEL } from '@ihl/application';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import type { ReadModels } from '@ihl/runtime';
import { Public } from '../auth/auth.guard';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PROGRESS_READ_MODEL) private readonly readModels: ReadModels,
  ) {}

  /** Public: positions and counts only. "degraded" when some profiles could not be opened. */
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
    return {
      status: unreadableProfiles > 0 ? 'degraded' : 'ok',
      eventStore: { headPosition },
      readModels: { mode, reached, behind: Math.max(headPosition - reached, 0), unreadableProfiles },
    };
  }
}
