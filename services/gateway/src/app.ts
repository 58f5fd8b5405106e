import path from 'node:path';
import fs from 'node:fs';
import express from 'express';
import type { Redis } from 'ioredis';
import swaggerUi from 'swagger-ui-express';
import type { assistanceV1, auditV1, identificationV1, monitoringV1, reportingV1 } from '@shouwang/contracts';
import { identityMetadata, type AuditTrail, type Identity, type Logger, type PromiseClient } from '@shouwang/kit';
import { accessLog, errorHandler, notFound, requestId, requireJson } from './http/errors';
import { corsFor, rateLimit, securityHeaders } from './http/hardening';
import { authenticate } from './auth/middleware';
import { authRouter } from './auth/routes';
import type { TokenService } from './auth/tokens';
import type { UserStore } from './auth/user-store';
import type { Lockout } from './auth/lockout';
import { householdsRouter } from './routes/households';
import { reportsRouter } from './routes/reports';
import { feedsRouter } from './routes/feeds';
import { warningsRouter } from './routes/warnings';
import { monitoringRouter } from './routes/monitoring';
import { casesRouter } from './routes/cases';
import { exitsRouter } from './routes/exits';
import { violationsRouter } from './routes/violations';
import { quotasRouter } from './routes/quotas';
import { noticesRouter } from './routes/notices';
import { measuresRouter } from './routes/measures';
import { plansRouter } from './routes/plans';
import { tasksRouter } from './routes/tasks';
import { pointsRouter } from './routes/points';
import { usersRouter } from './users/routes';
import { auditRouter } from './audit/routes';
import { openApiDocument } from './openapi';
import { importsRouter } from './imports/routes';
import type { ImportJobStore } from './imports/import-jobs';

export interface GatewayDeps {
  identification: PromiseClient<identificationV1.IdentificationServiceClient>;
  /** The identification service's workflows: applications, exits, quota, violations. */
  workflow: PromiseClient<identificationV1.WorkflowServiceClient>;
  reporting: PromiseClient<reportingV1.ReportingServiceClient>;
  monitoring: PromiseClient<monitoringV1.MonitoringServiceClient>;
  /** The assistance service: measure catalogue, plans, department tasks, motivation points. */
  assistance: PromiseClient<assistanceV1.AssistanceServiceClient>;
  identificationAudit: PromiseClient<auditV1.AuditServiceClient>;
  monitoringAudit: PromiseClient<auditV1.AuditServiceClient>;
  assistanceAudit: PromiseClient<auditV1.AuditServiceClient>;
  /** The gateway's own audit trail: user management and reads of ID numbers. */
  audit: AuditTrail;
  logger: Logger;
  bodyLimitBytes: number;
  tokens: TokenService;
  users: UserStore;
  lockout: Lockout;
  redis: Redis;
  /** Secret shared with the services, to sign the caller's identity on every gRPC call. */
  identitySecret: string;
  corsOrigins: string[];
  rateLimitPerMinute: number;
  loginRateLimitPerMinute: number;
  importJobs: ImportJobStore;
  /** Largest bulk-import upload accepted (bytes). */
  importMaxBytes: number;
  /** Where to object to a public notice, printed on it ({village}, {township} filled in). */
  noticeObjectionContact: string;
  /** Built web console (services/gateway/console/dist), served at /console/ when present. */
  consoleDir?: string;
}

/** The public HTTP surface: /api/v1 and the web console. Built from its dependencies so tests can give it fakes. */
export function createApp(deps: GatewayDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.set('trust proxy', 'loopback, linklocal, uniquelocal');
  app.use(securityHeaders());

  const doc = openApiDocument();
  const callAs = (who: Identity) => identityMetadata(deps.identitySecret, who);
  const perIp = (name: string, points: number) =>
    rateLimit(deps.redis, { name, points, durationSeconds: 60, key: (req) => req.ip ?? 'unknown' });

  const api = express.Router();
  api.use(requestId, accessLog(deps.logger), corsFor(deps.corsOrigins), perIp('ip', deps.rateLimitPerMinute * 2));
  api.get('/openapi.json', (_req, res) => {
    res.json(doc);
  });
  api.use('/docs', swaggerUi.serve, swaggerUi.setup(doc));
  const authenticated = [
    authenticate(deps.tokens),
    rateLimit(deps.redis, {
      name: 'user',
      points: deps.rateLimitPerMinute,
      durationSeconds: 60,
      key: (_req, res) => res.locals.user?.userId ?? 'anonymous',
    }),
  ];
  // Uploads are files, streamed: mounted before the JSON body parser.
  api.use(
    '/households',
    importsRouter({
      identification: deps.identification,
      jobs: deps.importJobs,
      logger: deps.logger,
      callAs,
      maxBytes: deps.importMaxBytes,
      authenticated,
    }),
  );
  api.use(requireJson, express.json({ limit: deps.bodyLimitBytes, strict: true }));
  api.use('/auth/login', perIp('login', deps.loginRateLimitPerMinute));
  api.use('/auth', authRouter(deps));
  api.use(...authenticated);
  // Before the households router: GET /households/:id/assessment belongs to monitoring.
  api.use(monitoringRouter(deps.monitoring, callAs));
  api.use('/feeds', feedsRouter(deps.monitoring, callAs));
  api.use('/warnings', warningsRouter(deps.monitoring, callAs));
  // Workflows (DOMAIN.md §6, §7); before the households router, which owns the rest of /households/:id.
  api.use(casesRouter({ workflow: deps.workflow, monitoring: deps.monitoring, callAs, logger: deps.logger }));
  api.use(exitsRouter(deps.workflow, callAs));
  api.use(quotasRouter(deps.workflow, callAs));
  api.use('/violations', violationsRouter(deps.workflow, callAs));
  api.use(
    '/notices',
    noticesRouter({ workflow: deps.workflow, callAs, objectionContact: deps.noticeObjectionContact }),
  );
  // Assistance (DOMAIN.md §8); before the households router too (plans and points of a household).
  api.use(measuresRouter(deps.assistance, callAs));
  api.use(plansRouter(deps.assistance, callAs));
  api.use(tasksRouter(deps.assistance, callAs));
  api.use(pointsRouter(deps.assistance, callAs));
  api.use('/households', householdsRouter(deps.identification, callAs, deps.audit));
  api.use('/reports', reportsRouter(deps.reporting, callAs));
  api.use('/users', usersRouter(deps));
  api.use(
    '/audit',
    auditRouter({
      local: deps.audit,
      identification: deps.identificationAudit,
      monitoring: deps.monitoringAudit,
      assistance: deps.assistanceAudit,
      callAs,
    }),
  );
  api.use(notFound);
  api.use(errorHandler(deps.logger));
  app.use('/api/v1', api);

  if (deps.consoleDir && fs.existsSync(path.join(deps.consoleDir, 'index.html'))) {
    const dir = deps.consoleDir;
    app.use('/console', express.static(dir, { index: false, maxAge: '1h' }));
    // Client-side routes of the single-page app all load its index.html.
    app.get(/^\/console(\/.*)?$/, (_req, res) => {
      res.set('Cache-Control', 'no-cache').sendFile(path.join(dir, 'index.html'));
    });
    app.get('/', (_req, res) => res.redirect('/console/'));
  }
  return app;
}
