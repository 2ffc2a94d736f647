export { startWebServer, type WebServer, type WebServerOptions, type WebStudio } from './server.js';
export { CONTENT_SECURITY_POLICY } from './responses.js';
