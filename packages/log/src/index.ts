export * from './types.ts';
export { MemoryLog } from './memory-log.ts';
export { FileJournal, type FileJournalOptions } from './file/file-journal.ts';
export { encodeCommandBatch, decodeCommandBatch, type CommandBatch } from './codec/command-batch.ts';
export { encodeEventBatch, decodeEventBatch, type EventBatch } from './codec/event-batch.ts';
