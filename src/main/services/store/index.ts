export { JsonStore, STORE_BACKUPS, type JsonStoreOptions, type StoreRecovery } from './json-store.js';
