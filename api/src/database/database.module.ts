import { DynamicModule, Global, Inject, Injectable, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { OpenDatabase } from './data-source';
import { DatabaseHealth } from './database-health';
import { TransactionRunner } from './transactions';

const OPEN_DATABASE = Symbol('OPEN_DATABASE');

@Injectable()
class DatabaseCloser implements OnApplicationShutdown {
  constructor(@Inject(OPEN_DATABASE) private readonly database: OpenDatabase) {}

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}

/** Provides the already opened and migrated database to every repository. */
@Global()
@Module({})
export class DatabaseModule {
  static forRoot(database: OpenDatabase): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: OPEN_DATABASE, useValue: database },
        { provide: DataSource, useValue: database.dataSource },
        TransactionRunner,
        DatabaseHealth,
        DatabaseCloser,
      ],
      exports: [DataSource, TransactionRunner, DatabaseHealth],
    };
  }
}
