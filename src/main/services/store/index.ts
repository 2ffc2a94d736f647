export { JsonStore, safeJson, STORE_BACKUPS, type JsonStoreOptions, type StoreRecovery } from './json-store.js';
