/** The REST shim's public surface: its routes, their OpenAPI paths and the operations they run. */
export { REST_ROUTES, type RestRoute } from './routes.js';
export { openApiDocument, openApiPath } from './openapi.js';
export { REST_OPERATIONS_DIR, loadOperations } from './operations.js';
