import { PG_BACKEND } from '../testing/backends.ts';
import { historyReaderSuite } from './history-reader.suite.ts';

historyReaderSuite(PG_BACKEND);
