import { ccxtSession } from './ccxt-session.ts';
import { startExchange } from './embedded-server.ts';

// Embedded mode: file journal + file snapshots in a fresh temp dir.
ccxtSession('embedded', () => startExchange());
