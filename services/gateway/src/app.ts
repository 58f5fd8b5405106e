import express from 'express';
import swaggerUi from 'swagger-ui-express';
import type { identificationV1, reportingV1 } from '@shouwang/contracts';
import type { Logger, PromiseClient } from '@shouwang/kit';
import { accessLog, errorHandler, notFound, requestId, requireJson } from './http/errors';
import { householdsRouter } from './routes/households';
import { reportsRouter } from './routes/reports';
import { openApiDocument } from './openapi';

export interface GatewayDeps {
  identification: PromiseClient<identificationV1.IdentificationServiceClient>;
  reporting: PromiseClient<reportingV1.ReportingServiceClient>;
  logger: Logger;
  bodyLimitBytes: number;
}

/** The public REST API, /api/v1. Built from its dependencies so tests can give it fakes or real clients. */
export function createApp(deps: GatewayDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  const doc = openApiDocument();
  const api = express.Router();
  api.use(requestId, accessLog(deps.logger));
  api.get('/openapi.json', (_req, res) => {
    res.json(doc);
  });
  api.use('/docs', swaggerUi.serve, swaggerUi.setup(doc));
  api.use(requireJson, express.json({ limit: deps.bodyLimitBytes, strict: true }));
  api.use('/households', householdsRouter(deps.identification));
  api.use('/reports', reportsRouter(deps.reporting));
  api.use(notFound);
  api.use(errorHandler(deps.logger));
  app.use('/api/v1', api);
  return app;
}
