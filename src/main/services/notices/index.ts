export { createNotices, type NoticesService } from './notices.js';
export { storeRecoveryNotice } from './store-recovery.js';
