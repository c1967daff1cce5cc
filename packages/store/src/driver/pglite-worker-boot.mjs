// Worker threads do not inherit the tsx loader that runs the parent, so this plain-JS entry
// registers it before loading the TypeScript worker (as packages/log's replica-boot.mjs does).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
