import { app, session, type WebContents } from 'electron';

// The renderer is a local single-page app: it never needs to leave its page or open another one, so
// any attempt (a stray link, injected content) is refused rather than filtered.
function lockNavigation(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** Call once the app is ready; covers every web contents created from then on. */
export function applySecurityPolicy(): void {
  app.on('web-contents-created', (_event, contents) => lockNavigation(contents));
  // The studio uses no camera, microphone, notifications or similar; grant nothing until a feature asks.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
}
