import { z } from 'zod';
import { createHouseholdSchema, FEED_DEPARTMENTS } from '@shouwang/domain';

const errorBody = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'kind', 'message'],
      properties: {
        code: {
          type: 'string',
          description: 'stable machine-readable code, e.g. validation_failed, malformed_json, unknown_area',
        },
        kind: { type: 'string' },
        message: { type: 'string' },
        messageZh: { type: 'string' },
        field: { type: 'string', description: 'the first offending field, e.g. members[0].idNumber' },
        issues: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              field: { type: 'string' },
              code: { type: 'string' },
              message: { type: 'string' },
              messageZh: { type: 'string' },
            },
          },
        },
        requestId: { type: 'string' },
      },
    },
  },
};

const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      { description: 'error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
    ]),
  );

/** The OpenAPI 3.1 document of /api/v1; the household schema comes from the domain's zod schema. */
export function openApiDocument(): Record<string, unknown> {
  const household = z.toJSONSchema(createHouseholdSchema('2100-01-01'), {
    io: 'input',
    unrepresentable: 'any',
    target: 'draft-2020-12',
  });
  delete (household as { $schema?: string }).$schema;
  return {
    openapi: '3.1.0',
    info: {
      title: 'Shouwang (守望) API',
      version: '1.0.0',
      description: '相对贫困监测帮扶平台 — relative-poverty monitoring and assistance',
    },
    servers: [{ url: '/' }],
    paths: {
      ...registryPaths(),
      ...monitoringPaths(),
      '/api/v1/reports/villages/{areaCode}': {
        get: {
          summary: 'Village register summary (一村一册)',
          parameters: [
            { name: 'areaCode', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{12}$' } },
          ],
          responses: {
            '200': {
              description: 'summary',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      areaCode: { type: 'string' },
                      householdCount: { type: 'integer' },
                      memberCount: { type: 'integer' },
                      updatedAt: { type: ['string', 'null'] },
                    },
                  },
                },
              },
            },
            ...errors(400, 503),
          },
        },
      },
    },
    components: { schemas: { HouseholdInput: household, Error: errorBody, Warning: warningSchema } },
  };
}

const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });
const householdBody = { type: 'object', properties: { household: { type: 'object' } } };

/** The registry (一户一表): households, their history and bulk import. */
function registryPaths(): Record<string, unknown> {
  const query = (name: string, schema: Record<string, unknown>, description?: string) => ({
    name,
    in: 'query',
    required: false,
    schema,
    ...(description ? { description } : {}),
  });
  const job = {
    type: 'object',
    properties: {
      job: {
        type: 'object',
        properties: {
          id: { type: 'string' },
          status: { enum: ['running', 'succeeded', 'failed'] },
          dryRun: { type: 'boolean' },
          format: { enum: ['csv', 'xlsx', 'jsonl'] },
          processed: { type: 'integer', description: 'households read so far' },
          created: { type: 'integer', description: 'created (dry run: would be created)' },
          updated: { type: 'integer', description: 'updated (dry run: would be updated)' },
          unchanged: { type: 'integer' },
          invalid: { type: 'integer' },
          errorCount: { type: 'integer' },
          percent: { type: 'integer', description: 'share of the file read' },
          ratePerSecond: { type: 'integer' },
          errors: { type: 'array', description: 'the first 1000 row errors; errors.csv has all' },
          failure: { type: 'object' },
        },
      },
    },
  };
  return {
    '/api/v1/households': {
      get: {
        summary: 'List and search households of an area (keyset pages)',
        parameters: [
          query('areaCode', { type: 'string', pattern: '^(\\d{4}|\\d{6}|\\d{9}|\\d{12})$' }, 'default: your own area'),
          query(
            'q',
            { type: 'string', maxLength: 50 },
            "a member's name or the address (substring), or an exact ID number",
          ),
          query('povertyStatus', { enum: ['none', 'registered_poor', 'exited_poor'] }),
          query('pageSize', { type: 'integer', minimum: 1, maximum: 200, default: 20 }),
          query('pageToken', { type: 'string' }, 'nextPageToken of the previous page'),
        ],
        responses: {
          '200': {
            description: 'a page',
            content: json({
              type: 'object',
              properties: {
                households: { type: 'array', items: { type: 'object' } },
                nextPageToken: { type: ['string', 'null'] },
                total: { type: 'integer' },
              },
            }),
          },
          ...errors(400, 503),
        },
      },
      post: {
        summary: 'Register a household (一户一表登记)',
        parameters: [
          { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } },
        ],
        requestBody: { required: true, content: json({ $ref: '#/components/schemas/HouseholdInput' }) },
        responses: {
          '201': { description: 'registered', content: json(householdBody) },
          ...errors(400, 403, 409, 413, 422, 503, 504),
        },
      },
    },
    '/api/v1/households/{id}': {
      get: {
        summary: 'Read a household (ETag: its version)',
        parameters: [idParam],
        responses: { '200': { description: 'the household, ID numbers masked by role' }, ...errors(404, 503) },
      },
      put: {
        summary: 'Edit a household: the whole household, over the version read',
        parameters: [
          idParam,
          {
            name: 'If-Match',
            in: 'header',
            required: false,
            schema: { type: 'string' },
            description: 'the ETag read ("3"); or send version in the body',
          },
        ],
        requestBody: { required: true, content: json({ $ref: '#/components/schemas/HouseholdInput' }) },
        responses: {
          '200': {
            description: 'saved (changed false when nothing differed)',
            content: json({
              type: 'object',
              properties: { household: { type: 'object' }, changed: { type: 'boolean' } },
            }),
          },
          ...errors(400, 403, 404, 409, 412, 422, 428, 503),
        },
      },
    },
    '/api/v1/households/{id}/history': {
      get: {
        summary: 'Every change of a household: who, when, which fields, before and after (ID numbers masked)',
        parameters: [idParam],
        responses: { '200': { description: 'changes, oldest first' }, ...errors(404, 503) },
      },
    },
    '/api/v1/households/import-template': {
      get: {
        summary: 'The bulk-import template (one row per member, rows of a household share 户号)',
        parameters: [query('format', { enum: ['xlsx', 'csv'], default: 'xlsx' })],
        responses: { '200': { description: 'the file' }, ...errors(400, 403) },
      },
    },
    '/api/v1/households/imports': {
      post: {
        summary: 'Bulk import (streamed; dry run writes nothing): answers at once, progress in the job',
        parameters: [
          query('dryRun', { type: 'boolean', default: false }),
          query('format', { enum: ['csv', 'xlsx', 'jsonl'] }, 'default: from Content-Type'),
        ],
        requestBody: {
          required: true,
          content: {
            'text/csv': { schema: { type: 'string' } },
            'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': {
              schema: { type: 'string', format: 'binary' },
            },
            'application/x-ndjson': { schema: { type: 'string' } },
          },
        },
        responses: { '202': { description: 'started', content: json(job) }, ...errors(400, 403, 413, 415) },
      },
    },
    '/api/v1/households/imports/{id}': {
      get: {
        summary: 'An import: progress, counts, the first 1000 row errors',
        parameters: [idParam],
        responses: { '200': { description: 'the job', content: json(job) }, ...errors(404) },
      },
    },
    '/api/v1/households/imports/{id}/errors.csv': {
      get: {
        summary: 'Every row error of an import, as CSV',
        parameters: [idParam],
        responses: { '200': { description: 'CSV' }, ...errors(404) },
      },
    },
  };
}
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const warningRef = { $ref: '#/components/schemas/Warning' };

/** The monitoring service's routes (feeds, warnings, assessments, policy, re-screening). */
function monitoringPaths(): Record<string, unknown> {
  const warningResponse = {
    '200': {
      description: 'the warning after the change',
      content: json({ type: 'object', properties: { warning: warningRef } }),
    },
    ...errors(400, 403, 404, 409, 503),
  };
  const job = {
    type: 'object',
    properties: {
      id: { type: 'string' },
      areaCode: { type: 'string' },
      year: { type: ['integer', 'null'] },
      status: { type: 'string', enum: ['running', 'succeeded', 'failed'] },
      processed: { type: 'integer' },
      total: { type: 'integer' },
      skipped: { type: 'integer' },
      ratePerSecond: { type: 'number' },
      startedAt: { type: 'string' },
      finishedAt: { type: ['string', 'null'] },
      trigger: { type: 'string', enum: ['manual', 'policy'] },
      runs: { type: 'integer' },
    },
  };
  return {
    '/api/v1/feeds/{department}': {
      post: {
        summary: 'Post department feed records (部门数据报送); published unchanged to shouwang.feed.<department>.v1',
        description:
          'Department officers only, their own department (health officers: medical_insurance). 1–1000 records, ' +
          'each { recordId, idNumber, …department fields } as in proto/shouwang/feed/v1/feed_records.proto (JSON ' +
          'names). All or nothing: any invalid record answers 400 naming records[i].<field>, and nothing is published.',
        parameters: [
          {
            name: 'department',
            in: 'path',
            required: true,
            schema: {
              type: 'string',
              enum: [...FEED_DEPARTMENTS],
            },
          },
        ],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['records'],
            properties: { records: { type: 'array', minItems: 1, maxItems: 1000, items: { type: 'object' } } },
          }),
        },
        responses: {
          '202': {
            description: 'published',
            content: json({ type: 'object', properties: { accepted: { type: 'integer' } } }),
          },
          ...errors(400, 403, 404, 413, 503),
        },
      },
    },
    '/api/v1/warnings': {
      get: {
        summary: 'Warnings in your area (预警), newest first',
        parameters: ['areaCode', 'cause', 'source', 'status', 'householdId', 'pageSize', 'pageToken'].map((name) => ({
          name,
          in: 'query',
          required: false,
          schema: name === 'pageSize' ? { type: 'integer', minimum: 1, maximum: 200 } : { type: 'string' },
        })),
        responses: {
          '200': {
            description: 'a page of warnings',
            content: json({
              type: 'object',
              properties: {
                warnings: { type: 'array', items: warningRef },
                nextPageToken: { type: ['string', 'null'] },
                total: { type: 'integer' },
              },
            }),
          },
          ...errors(400, 503),
        },
      },
    },
    '/api/v1/warnings/{id}/acknowledge': {
      post: {
        summary: 'Acknowledge a warning (open → acknowledged)',
        parameters: [idParam],
        responses: warningResponse,
      },
    },
    '/api/v1/warnings/{id}/dismiss': {
      post: {
        summary: 'Dismiss a warning with a reason',
        parameters: [idParam],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['reason'],
            properties: { reason: { type: 'string', maxLength: 500 } },
          }),
        },
        responses: warningResponse,
      },
    },
    '/api/v1/warnings/{id}/convert': {
      post: {
        summary: 'Convert a warning to an application',
        parameters: [idParam],
        requestBody: {
          required: false,
          content: json({ type: 'object', properties: { applicationId: { type: 'string' } } }),
        },
        responses: warningResponse,
      },
    },
    '/api/v1/households/{id}/assessment': {
      get: {
        summary: 'The latest assessment of a household (预警监测, DOMAIN.md §4), department facts applied',
        parameters: [idParam],
        responses: {
          '200': {
            description: 'the assessment',
            content: json({ type: 'object', properties: { assessment: { type: 'object' } } }),
          },
          ...errors(404, 422, 503),
        },
      },
    },
    '/api/v1/policy': {
      get: {
        summary: 'The current assessment policy (monitoring lines, tolerance, ratios) and its version',
        responses: { '200': { description: 'policy' }, ...errors(503) },
      },
      put: {
        summary: 'Store a new policy version (city administrator); starts re-screening the city',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['policy'],
            properties: { policy: { type: 'object' }, version: { type: 'integer', description: 'the version read' } },
          }),
        },
        responses: {
          '200': { description: 'the new version and the re-screening job' },
          ...errors(400, 403, 409, 503),
        },
      },
    },
    '/api/v1/rescreening-jobs': {
      post: {
        summary: 'Re-screen every household of the city or a county (one running job per area)',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['areaCode'],
            properties: { areaCode: { type: 'string', pattern: '^(\\d{4}|\\d{6})$' }, year: { type: 'integer' } },
          }),
        },
        responses: {
          '202': {
            description: 'the job (created false: the job already running for the area)',
            content: json({ type: 'object', properties: { job, created: { type: 'boolean' } } }),
          },
          ...errors(400, 403, 404, 503),
        },
      },
    },
    '/api/v1/rescreening-jobs/{id}': {
      get: {
        summary: 'Progress of a re-screening job',
        parameters: [idParam],
        responses: {
          '200': { description: 'the job', content: json({ type: 'object', properties: { job } }) },
          ...errors(404, 503),
        },
      },
    },
  };
}

const warningSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    householdId: { type: 'string' },
    areaCode: { type: 'string' },
    cause: {
      type: 'string',
      enum: [
        'F1',
        'F2',
        'F3',
        'F4',
        'F5',
        'F6',
        'F7',
        'F8',
        'F9',
        'F10',
        'school_dropout',
        'unsafe_housing',
        'unsafe_water',
        'no_medical_insurance',
        'income_drop',
      ],
    },
    causeText: { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } } },
    status: { type: 'string', enum: ['open', 'acknowledged', 'converted', 'dismissed', 'resolved'] },
    source: { type: 'string', description: 'registry | feed:<department> | rescreening | policy' },
    firstSeenAt: { type: 'string' },
    lastSeenAt: { type: 'string' },
    explanation: { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } } },
    dismissReason: { type: 'string' },
    applicationId: { type: 'string' },
    version: { type: 'integer' },
  },
};
