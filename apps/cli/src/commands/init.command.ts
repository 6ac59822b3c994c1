import { readFileSync } from 'node:fs';
import { NestFactory } from '@nestjs/core';
import { CommandBus } from '@nestjs/cqrs';
import { RegisterProjectCommand, type WriteResult } from '@ihl/application';
import { parseProjectDefinition } from '@ihl/domain';
import { LedgerCoreModule } from '@ihl/runtime';

export interface InitOptions {
  readonly dataDir: string;
  readonly eventStoreConnectionString: string | undefined;
  readonly projectFile: string;
}

/** Registers the project definition file through the CommandBus; a second run changes nothing. */
export async function runInit(options: InitOptions): Promise<WriteResult & { code: string }> {
  const definition = parseProjectDefinition(JSON.parse(readFileSync(options.projectFile, 'utf8')));
  const ctx = await NestFactory.createApplicationContext(
    LedgerCoreModule.forRoot({
      dataDir: options.dataDir,
      eventStoreConnectionString: options.eventStoreConnectionString,
    }),
    { logger: false },
  );
  try {
    const result = await ctx.get(CommandBus).execute<RegisterProjectCommand, WriteResult>(
      new RegisterProjectCommand(definition, {
        actor: { subject: 'ledger-cli', role: 'admin' },
        correlationId: `cli-init-${Date.now()}`,
      }),
    );
    return { ...result, code: definition.code };
  } finally {
    await ctx.close();
  }
}
