export * from './api-paths';
export * from './auth';
export * from './errors';
export * from './health';
export * from './organizations';
export * from './pagination';
export * from './sites';
export * from './storage-keys';
