import 'reflect-metadata';

import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { auditPublicKeyCommand, checkpointAuditCommand, verifyAuditCommand } from './cli/audit-commands';
import { type CliIo, CliUsageError } from './cli/password-input';
import { createUserCommand, resetPasswordCommand } from './cli/user-commands';
import { DomainError } from './common/domain-error';
import { ConfigError, loadConfig } from './config/app-config';
import { ConfigModule, type ResolvedConfig } from './config/config.module';
import { loadOrCreateAuditKey, loadOrCreateJwtSecret } from './config/jwt-secret';
import { type OpenDatabase, openDatabase } from './database/data-source';
import { ENTITIES } from './entities';
import { DatabaseModule } from './database/database.module';
import { DataDirBusyError } from './database/embedded-lock';
import { RateLimitModule } from './rate-limit/rate-limit.module';
import { exportOpenApiDocument } from './openapi-document';
import { EventBusModule } from './events/event-bus.module';
import { RetentionModule } from './retention/retention.module';
import { RetentionService } from './retention/retention.service';
import { runtimeSettings } from './runtime-settings';

const USAGE = `Usage: cloop <command>

Commands:
  retention      delete conversations older than each site's retention period, now
  audit:verify [--checkpoint FILE]
                 re-compute every organization's audit chain and, with a checkpoint (- for standard
                 input), check that no chain lost or changed its newest rows since; exit code 1 if
                 anything was found
  audit:checkpoint [--out FILE]
                 print (or write to FILE) the signed head of every audit chain, to keep elsewhere
  audit:public-key
                 print the public key that checks checkpoint signatures
  user:create --email <email> --name <name> [--password <password>]
                 create an account and its organization (even when ALLOW_SIGNUP=false)
  user:password --email <email> [--password <password>]
                 set a new password and sign the user out everywhere
                 (passwords: typed at a terminal, or the first line of standard input)
  openapi [--out FILE]
                 print the OpenAPI document (or write it to FILE); needs no database
`;

/** The services the commands need, without the HTTP server. */
@Module({})
class CliModule {
  static forRoot(config: Omit<ResolvedConfig, 'runtime'>, database: OpenDatabase): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot({ ...config, runtime: runtimeSettings() }),
        DatabaseModule.forRoot(database),
        EventBusModule,
        AuditModule,
        RetentionModule,
        // The user commands go through the same service as sign-up, which needs the login limits.
        RateLimitModule,
        AuthModule,
      ],
    };
  }
}

type Command = (
  app: { get<T>(type: new (...args: never[]) => T): T },
  args: string[],
  io: CliIo,
) => Promise<number>;

const STANDARD_IO: CliIo = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr };

const COMMANDS: Record<string, Command> = {
  retention: async (app) => {
    const results = await app.get(RetentionService).run();
    process.stdout.write(`${JSON.stringify({ sites: results }, null, 2)}\n`);
    return 0;
  },
  'audit:verify': verifyAuditCommand,
  'audit:checkpoint': checkpointAuditCommand,
  'audit:public-key': auditPublicKeyCommand,
  'user:create': createUserCommand,
  'user:password': resetPasswordCommand,
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
  const auditKey = config.auditKey ?? (await loadOrCreateAuditKey(config.dataDir));
  const database = await openDatabase(config.database, { entities: ENTITIES });
  const app = await NestFactory.createApplicationContext(
    CliModule.forRoot({ ...config, jwtSecret, auditKey }, database),
    { logger: ['error', 'warn'] },
  );
  try {
    return await command(app, argv.slice(1), STANDARD_IO);
  } finally {
    await app.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known =
      error instanceof ConfigError ||
      error instanceof DataDirBusyError ||
      error instanceof CliUsageError ||
      error instanceof DomainError;
    process.stderr.write(`${known ? (error as Error).message : String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  },
);
