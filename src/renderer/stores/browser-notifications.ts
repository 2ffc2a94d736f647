import { mode } from '../api/index.js';

// Read from globalThis: the store tests also compile these modules for Node, where neither exists.
interface NotificationApi {
  readonly permission: string;
  requestPermission(): Promise<string>;
  new (title: string, options: { body: string }): unknown;
}
const browser = globalThis as { Notification?: NotificationApi; document?: { visibilityState: string } };

/**
 * Desktop notifications for web mode, where no Electron main process shows them: the browser's own,
 * only while the page is out of sight (in view, the toast says it already) and only once allowed.
 */
export function askToNotify(): void {
  if (mode !== 'web' || browser.Notification?.permission !== 'default') return;
  // Asked from the Render click, the only moment browsers accept the question.
  void browser.Notification.requestPermission().catch(() => undefined);
}

export function notifyIfHidden(title: string, body: string): void {
  if (mode !== 'web' || browser.Notification?.permission !== 'granted' || browser.document?.visibilityState === 'visible') return;
  new browser.Notification(title, { body });
}
