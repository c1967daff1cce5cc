export { buildApp, type AppDeps } from './http/app.ts';
export { Exchange, type EventListener, type ExchangeOptions, type Storage } from './core/exchange.ts';
export { MemoryHistory } from './history/memory-history.ts';
export type { History, HistoryReader } from './history/history.ts';
export { SecretBox } from './security/secret-box.ts';
export { loadConfig, type Config } from './config.ts';
export { startServer } from './server.ts';
