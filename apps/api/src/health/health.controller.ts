import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@ihl/event-store';
import { Public } from '../auth/auth.guard';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Get()
  @Public()
  async health() {
    try {
      return { status: 'ok', eventStore: { headPosition: await this.store.headPosition() } };
    } catch {
      throw new ServiceUnavailableException('the event store does not answer');
    }
  }
}
