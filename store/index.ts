/**
 * The store's public face: open it, make ids, and the types and errors callers handle.
 * Everything else in this folder is internal to the store.
 */
export { openStore, SQLITE_FILE } from './open.js';
export { newMessageId, isUlid } from './ids.js';
export { StoreError, type StoreErrorCode } from './errors.js';
export { STORE_KEY_ENV, STORE_KEY_FILE } from './store-key.js';
export { DEFAULT_LIST_LIMIT, MAX_LIST_LIMIT, SYSTEM_ACTOR } from './messages.js';
export { checkRawCopySize, MAX_RAW_COPY_BYTES } from './raw-copy.js';
export { MAX_STORED_INTEGER, isMessageState } from './rows.js';
export {
  MESSAGE_ACTIONS,
  MESSAGE_STATES,
  type ListFilter,
  type MessageAction,
  type MessageEvent,
  type MessageRecord,
  type MessageState,
  type NewMessageRecord,
  type Store,
  type StoreOptions,
  type StoredFinding,
  type StoredProblem,
  type TransitionNote,
} from './types.js';
