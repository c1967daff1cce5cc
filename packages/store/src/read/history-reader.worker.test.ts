import { PGLITE_WORKER_BACKEND } from '../testing/backends.ts';
import { historyReaderSuite } from './history-reader.suite.ts';

historyReaderSuite(PGLITE_WORKER_BACKEND);
