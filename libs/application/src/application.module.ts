import { Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GetProjectHandler } from './project/get-project.query';
import { RegisterProjectHandler } from './project/register-project.command';

/** Command and query handlers. The app provides EVENT_STORE, CLOCK and ID_GENERATOR. */
@Module({
  imports: [CqrsModule],
  providers: [RegisterProjectHandler, GetProjectHandler],
})
export class ApplicationModule {}
