import { DynamicModule, Global, Module } from '@nestjs/common';

import type { AppConfig } from './app-config';

export const APP_CONFIG = Symbol('APP_CONFIG');

/** The configuration after boot: the JWT secret and the audit key are always known by then. */
export type ResolvedConfig = AppConfig & { jwtSecret: string; auditKey: string };

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: ResolvedConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
