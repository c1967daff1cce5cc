import { PG_BACKEND } from '../testing/backends.ts';
import { projectorSuite } from './projector.suite.ts';

projectorSuite(PG_BACKEND);
