import { PGLITE_WORKER_BACKEND } from '../testing/backends.ts';
import { projectorSuite } from './projector.suite.ts';

projectorSuite(PGLITE_WORKER_BACKEND);
