export { startWebServer, DEFAULT_MAX_BODY_BYTES, type WebServer, type WebServerOptions, type WebStudio } from './server.js';
export { CONTENT_SECURITY_POLICY } from './responses.js';
