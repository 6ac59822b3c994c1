import { readFileSync } from 'node:fs';
import { ConsoleLogger, Logger, type LoggerService } from '@nestjs/common';
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

/**
 * Nest's logger is one per process: a context's `logger` option replaces it for every app created
 * afterwards (`logger: false` here once silenced all of `ledger serve`). This reads the logger in
 * place, so init can put it back.
 */
abstract class ProcessLogger extends Logger {
  static current(): LoggerService | undefined {
    return Logger.staticInstanceRef;
  }
}

/** Registers the project definition file through the CommandBus; a second run changes nothing. */
export async function runInit(options: InitOptions): Promise<WriteResult & { code: string }> {
  const definition = parseProjectDefinition(JSON.parse(readFileSync(options.projectFile, 'utf8')));
  const previous = ProcessLogger.current();
  try {
    // Quiet (no module-loading lines), but an error on the way still prints.
    const ctx = await NestFactory.createApplicationContext(
      LedgerCoreModule.forRoot({
        dataDir: options.dataDir,
        eventStoreConnectionString: options.eventStoreConnectionString,
      }),
      { logger: new ConsoleLogger('ledger init', { logLevels: ['error', 'fatal'] }) },
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
  } finally {
    // `false` if nothing was there: what Nest itself stores for "no logger".
    Logger.overrideLogger(previous ?? false);
  }
}
