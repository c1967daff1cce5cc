import { PGLITE_WORKER_BACKEND } from './testing/backends.ts';
import { rebuildSuite } from './rebuild.suite.ts';

rebuildSuite(PGLITE_WORKER_BACKEND);
