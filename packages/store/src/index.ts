export type { SqlDriver, SqlExecutor, SqlParam } from './driver/sql-driver.ts';
export { PgDriver, type PgDriverOptions } from './driver/pg-driver.ts';
export { PgliteDriver, type PgliteDriverOptions } from './driver/pglite-driver.ts';
export { migrate } from './schema/migrate.ts';
export { MIGRATIONS, PROJECTION_TABLES, type Migration } from './schema/migrations.ts';
export { Projector, ProjectorGapError, type ProjectorOptions, type ProjectorStats, type StepResult } from './projector/projector.ts';
export { INTERVALS, isInterval, openTimeOf, closeTimeOf, type Interval } from './projector/intervals.ts';
