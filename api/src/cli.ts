import 'reflect-metadata';

import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { AuditModule } from './audit/audit.module';
import { AuditService } from './audit/audit.service';
import { ConfigError, loadConfig } from './config/app-config';
import { ConfigModule, type ResolvedConfig } from './config/config.module';
import { loadOrCreateJwtSecret } from './config/jwt-secret';
import { type OpenDatabase, openDatabase } from './database/data-source';
import { DatabaseModule } from './database/database.module';
import { DataDirBusyError } from './database/embedded-lock';
import { exportOpenApiDocument } from './openapi/generate';
import { EventBusModule } from './realtime/event-bus.module';
import { RetentionModule } from './retention/retention.module';
import { RetentionService } from './retention/retention.service';

const USAGE = `Usage: cloop <command>

Commands:
  retention      delete conversations older than each site's retention period, now
  audit:verify   re-compute every organization's audit chain; exit code 1 if a row was altered
  openapi [--out FILE]
                 print the OpenAPI document (or write it to FILE); needs no database
`;

/** The services the commands need, without the HTTP server. */
@Module({})
class CliModule {
  static forRoot(config: ResolvedConfig, database: OpenDatabase): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(database),
        EventBusModule,
        AuditModule,
        RetentionModule.forRoot(null),
      ],
    };
  }
}

type Command = (app: { get<T>(type: new (...args: never[]) => T): T }) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  retention: async (app) => {
    const results = await app.get(RetentionService).run();
    process.stdout.write(`${JSON.stringify({ sites: results }, null, 2)}\n`);
    return 0;
  },
  'audit:verify': async (app) => {
    const verification = await app.get(AuditService).verify();
    process.stdout.write(`${JSON.stringify(verification, null, 2)}\n`);
    for (const broken of verification.breaks) {
      process.stderr.write(
        `organization ${broken.organizationId}: first bad row seq ${broken.seq} (id ${broken.id}): ${broken.reason}\n`,
      );
    }
    return verification.breaks.length === 0 ? 0 : 1;
  },
};

/** Commands that need no database: they run without opening (or locking) the data directory. */
const OFFLINE_COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  openapi: async (args) => {
    const out = args[0] === '--out' ? args[1] : undefined;
    if (args.length > 0 && (out === undefined || args.length > 2)) {
      process.stderr.write(USAGE);
      return 2;
    }
    await exportOpenApiDocument(out ?? null);
    return 0;
  },
};

async function main(argv: string[]): Promise<number> {
  const offline = OFFLINE_COMMANDS[argv[0] ?? ''];
  if (offline) return offline(argv.slice(1));
  const command = COMMANDS[argv[0] ?? ''];
  if (!command) {
    process.stderr.write(USAGE);
    return 2;
  }
  const config = loadConfig(process.env);
  const jwtSecret = config.jwtSecret ?? (await loadOrCreateJwtSecret(config.dataDir));
  const database = await openDatabase(config.database);
  const app = await NestFactory.createApplicationContext(
    CliModule.forRoot({ ...config, jwtSecret }, database),
    { logger: ['error', 'warn'] },
  );
  try {
    return await command(app);
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof ConfigError || error instanceof DataDirBusyError;
    process.stderr.write(`${known ? (error as Error).message : String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  },
);
