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
        details: {
          type: 'object',
          additionalProperties: { type: 'string' },
          description: 'non-personal facts for the caller, e.g. {state, allowedActions} of an illegal transition',
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
      ...workflowPaths(),
      ...assistancePaths(),
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
    components: {
      schemas: {
        HouseholdInput: household,
        Error: errorBody,
        Warning: warningSchema,
        ...workflowSchemas,
        ...assistanceSchemas,
      },
    },
  };
}

const json = (schema: Record<string, unknown>) => ({ 'application/json': { schema } });
const householdBody = { type: 'object', properties: { household: { type: 'object' } } };

/** The registry (一户一表): households, their history and bulk import. */
function registryPaths(): Record<string, unknown> {
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
          q('areaCode', { type: 'string', pattern: '^(\\d{4}|\\d{6}|\\d{9}|\\d{12})$' }, 'default: your own area'),
          q(
            'q',
            { type: 'string', maxLength: 50 },
            "a member's name or the address (substring), or an exact ID number",
          ),
          q('povertyStatus', { enum: ['none', 'registered_poor', 'exited_poor'] }),
          ...pageParams,
        ],
        responses: {
          '200': pageOf('households', { type: 'object' }),
          ...errors(400, 503),
        },
      },
      post: {
        summary: 'Register a household (一户一表登记)',
        description:
          'An ID number another household holds answers 409 duplicate_id_number (field, and details.householdId ' +
          'when that household is in your area); one another household is being registered with at this moment ' +
          'answers 409 id_number_busy: retry shortly.',
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
        parameters: [q('format', { enum: ['xlsx', 'csv'], default: 'xlsx' })],
        responses: { '200': { description: 'the file' }, ...errors(400, 403) },
      },
    },
    '/api/v1/households/imports': {
      post: {
        summary: 'Bulk import (streamed; dry run writes nothing): answers at once, progress in the job',
        parameters: [
          q('dryRun', { type: 'boolean', default: false }),
          q('format', { enum: ['csv', 'xlsx', 'jsonl'] }, 'default: from Content-Type'),
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
        parameters: [
          ...['areaCode', 'cause', 'source', 'status', 'householdId'].map((name) => q(name, str)),
          ...pageParams,
        ],
        responses: {
          '200': pageOf('warnings', warningRef),
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

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const str = { type: 'string' };
const int = { type: 'integer' };
const bool = { type: 'boolean' };
const date = { type: 'string', format: 'date' };
const strings = { type: 'array', items: str };

/** An optional query parameter. */
const q = (name: string, schema: Record<string, unknown>, description?: string) => ({
  name,
  in: 'query',
  required: false,
  schema,
  ...(description ? { description } : {}),
});
const path = (name: string, schema: Record<string, unknown> = str) => ({ name, in: 'path', required: true, schema });

/** The keyset paging parameters every list takes (libs/kit/src/paging.ts). */
const pageParams = [
  q('pageSize', { type: 'integer', minimum: 1, maximum: 200, default: 20 }),
  q('pageToken', str, 'nextPageToken of the previous page'),
];

/** A list's 200: one page of `items` under `field`, the next page's token and the filter's total. */
const pageOf = (field: string, items: Record<string, unknown>) => ({
  description: 'a page',
  content: json({
    type: 'object',
    properties: {
      [field]: { type: 'array', items },
      nextPageToken: { type: ['string', 'null'] },
      total: int,
    },
  }),
});

/** The workflow messages (proto/shouwang/identification/v1/workflow.proto) in camelCase, every field present. */
const workflowSchemas: Record<string, unknown> = {
  Case: {
    type: 'object',
    description: 'One case of the identification or exit procedure; ETag = version.',
    properties: {
      id: str,
      kind: { enum: ['identification', 'exit'] },
      householdId: str,
      areaCode: { type: 'string', description: '12-digit village code' },
      countyCode: str,
      headName: str,
      address: str,
      persons: { type: 'integer', description: 'members, counted against the county quota on approval' },
      state: {
        enum: [
          'returned',
          'village_verification',
          'in_notice',
          'township_review',
          'county_review',
          'approved',
          'rejected',
          'vote',
          'inform',
          'exited',
          'retained',
        ],
      },
      origin: { enum: ['household_request', 'warning', 'national_system', 'quarterly_review'] },
      warningId: str,
      commitmentSigned: bool,
      assetCheckAuthorised: bool,
      submittedAt: str,
      dueOn: { type: 'string', description: 'last day for the county decision ("" for exits)' },
      late: bool,
      decidedAt: str,
      notice: { oneOf: [ref('Notice'), { type: 'null' }] },
      objections: { type: 'array', items: ref('Objection') },
      steps: { type: 'array', items: ref('CaseStep'), description: 'the timeline, oldest first' },
      allowedActions: { ...strings, description: 'what the procedure allows in this state (whoever takes it)' },
      category: { type: 'string', description: 'on approval: edge | unstable_exited | sudden_hardship' },
      causes: { ...strings, description: 'features F1..F10 at approval' },
      policyStartDate: { type: 'string', description: 'first day of the month after approval' },
      overrideReason: str,
      reason: str,
      vote: { oneOf: [ref('Vote'), { type: 'null' }] },
      quarter: str,
      informedOn: str,
      documents: {
        type: 'array',
        items: {
          type: 'object',
          properties: { kind: str, reference: str, recordedBy: str, recordedAt: str },
        },
      },
      version: int,
    },
  },
  Notice: {
    type: 'object',
    properties: { startDate: date, endDate: date, days: int, closedAt: str },
  },
  Objection: {
    type: 'object',
    properties: {
      id: str,
      lodgedOn: date,
      summary: str,
      recordedBy: str,
      resolution: { enum: ['', 'upheld', 'dismissed'] },
      resolutionNote: str,
      resolvedBy: str,
      resolvedAt: str,
    },
  },
  CaseStep: {
    type: 'object',
    properties: { action: str, fromState: str, toState: str, actorUsername: str, actorRole: str, at: str, note: str },
  },
  Vote: {
    type: 'object',
    properties: {
      members: int,
      present: int,
      votesFor: int,
      votesAgainst: int,
      abstentions: int,
      heldOn: date,
      quorum: { type: 'boolean', description: '3 × present ≥ 2 × members' },
      passed: { type: 'boolean', description: 'quorum and 2 × votesFor > present' },
    },
  },
  QuotaStatus: {
    type: 'object',
    properties: {
      countyCode: str,
      registeredPoorPopulation: int,
      quota: { type: 'integer', description: 'Q = round-half-up(ratio × registered poor population)' },
      hardLimit: { type: 'integer', description: '⌊Q × (1 + override ratio)⌋' },
      used: { type: 'integer', description: 'persons of identified, not exited households' },
      remaining: { type: 'integer', description: 'quota − used (negative when overridden)' },
      pendingPersons: int,
      pendingCases: int,
      configured: bool,
    },
  },
  WorkflowPolicy: {
    type: 'object',
    properties: {
      countyCode: str,
      registeredPoorPopulation: int,
      quotaRatio: { type: 'number' },
      overrideRatio: { type: 'number' },
      noticeDays: int,
      decisionDays: int,
      version: int,
      updatedAt: str,
      updatedBy: str,
    },
  },
  Identification: {
    type: 'object',
    properties: {
      householdId: str,
      status: { enum: ['none', 'identified', 'exited'] },
      caseId: str,
      category: str,
      causes: strings,
      persons: int,
      policyStartDate: str,
      identifiedAt: str,
      exitedAt: str,
      exitKind: { enum: ['', 'vote', 'violation'] },
      exitReason: str,
      areaCode: str,
    },
  },
  ExitCandidate: {
    type: 'object',
    properties: {
      householdId: str,
      headName: str,
      address: str,
      persons: int,
      causes: strings,
      currentFeatures: strings,
      incomeBelowLine: bool,
      perCapitaIncome: { type: 'number' },
      monitoringLine: { type: 'number' },
      exitCaseId: str,
      exitCaseState: str,
    },
  },
  ViolationCase: {
    type: 'object',
    properties: {
      id: str,
      householdId: str,
      areaCode: str,
      headName: str,
      department: { enum: ['public_security', 'natural_resources'] },
      recordId: str,
      asset: { enum: ['car', 'commercial_housing'] },
      observedOn: str,
      state: { enum: ['open', 'warned', 'assistance_ended'] },
      decisionReason: str,
      decidedBy: str,
      decidedAt: str,
      openedAt: str,
      version: int,
    },
  },
};

/** The identification and exit workflows (DOMAIN.md §6, §7), served by the identification service. */
function workflowPaths(): Record<string, unknown> {
  const ifMatch = {
    name: 'If-Match',
    in: 'header',
    required: false,
    schema: str,
    description: 'the ETag read ("3"); or send version in the body; neither → 428',
  };
  const caseBody = json({ type: 'object', properties: { case: ref('Case') } });
  const caseAnswer = (description: string) => ({
    '200': { description, content: caseBody },
    ...errors(400, 403, 404, 409, 412, 428, 503),
  });
  const text = (description?: string) => ({ type: 'string', maxLength: 500, ...(description ? { description } : {}) });
  const version = { type: 'integer', minimum: 1, description: 'the version read, when no If-Match is sent' };
  const village = path('villageCode', { type: 'string', pattern: '^\\d{12}$' });
  const county = path('countyCode', { type: 'string', pattern: '^\\d{6}$' });
  const conflicts =
    'An action the state does not allow answers 409 illegal_transition with details {state, allowedActions}; ' +
    'the wrong level 403 wrong_role; outside your area 403; a stale version 412 version_conflict.';
  return {
    '/api/v1/applications': {
      post: {
        summary: 'Submit an application (农户申请, village cadre): the case starts at village verification',
        description:
          'Needs the signed commitment (承诺书) and the asset-check authorisation. With origin warning the warning ' +
          '(of this household, open or acknowledged) is converted to the case afterwards; `warning` is null when ' +
          'monitoring could not convert it then (the case stands; POST /warnings/{id}/convert).',
        parameters: [
          { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } },
        ],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['householdId', 'origin', 'commitmentSigned', 'assetCheckAuthorised'],
            additionalProperties: false,
            properties: {
              householdId: str,
              origin: { enum: ['household_request', 'warning'] },
              warningId: { type: 'string', description: 'required for origin warning' },
              commitmentSigned: { const: true },
              assetCheckAuthorised: { const: true },
              documents: {
                type: 'array',
                maxItems: 20,
                items: {
                  type: 'object',
                  required: ['kind', 'reference'],
                  properties: {
                    kind: { enum: ['commitment', 'asset_check_authorisation', 'vote_minutes', 'other'] },
                    reference: { type: 'string', maxLength: 200, description: 'e.g. the village archive number' },
                  },
                },
              },
            },
          }),
        },
        responses: {
          '201': {
            description: 'created (Location, ETag)',
            content: json({
              type: 'object',
              properties: { case: ref('Case'), warning: { oneOf: [warningRef, { type: 'null' }] } },
            }),
          },
          ...errors(400, 403, 404, 409, 503),
        },
      },
    },
    '/api/v1/direct-inclusions': {
      post: {
        summary:
          'Include a household already in the national system directly (county officer; counts against the quota)',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['householdId'],
            properties: {
              householdId: str,
              note: text(),
              overrideReason: text('required beyond the quota (up to the hard limit)'),
            },
          }),
        },
        responses: {
          '201': { description: 'the approved case', content: caseBody },
          ...errors(400, 403, 404, 409, 503),
        },
      },
    },
    '/api/v1/cases': {
      get: {
        summary: 'Cases of your area (or a part of it), newest first',
        parameters: [
          q('areaCode', { type: 'string', pattern: '^(\\d{4}|\\d{6}|\\d{9}|\\d{12})$' }, 'default: your own area'),
          q('kind', { enum: ['identification', 'exit'] }),
          q('state', str),
          q('late', { type: 'boolean' }, 'only cases late against the decision limit'),
          q('householdId', str),
          ...pageParams,
        ],
        responses: {
          '200': pageOf('cases', ref('Case')),
          ...errors(400, 403, 503),
        },
      },
    },
    '/api/v1/cases/{id}': {
      get: {
        summary: 'A case: steps, notice, objections, documents (ETag: its version)',
        parameters: [idParam],
        responses: { '200': { description: 'the case', content: caseBody }, ...errors(403, 404, 503) },
      },
    },
    '/api/v1/cases/{id}/actions': {
      post: {
        summary: 'Take one step: verify, close_notice, review, approve, reject, return, resubmit, inform',
        description:
          'reject and return need a reason; approve beyond the quota needs overrideReason (409 ' +
          'quota_override_required; beyond the hard limit 409 quota_exceeded); close_notice before the end date ' +
          '409 notice_not_ended, with an unresolved objection 409 objections_unresolved; the same person may not ' +
          'verify and approve (403 same_person). ' +
          conflicts,
        parameters: [idParam, ifMatch],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['action'],
            properties: {
              action: {
                enum: ['verify', 'close_notice', 'review', 'approve', 'reject', 'return', 'resubmit', 'inform'],
              },
              reason: text('required for reject and return'),
              overrideReason: text(),
              note: text('for inform: how the household was told'),
              version,
            },
          }),
        },
        responses: caseAnswer('the case after the step'),
      },
    },
    '/api/v1/cases/{id}/objections': {
      post: {
        summary: 'Record an objection lodged during the public notice',
        description: 'Only while in notice and within its dates (400 outside_notice). ' + conflicts,
        parameters: [idParam, ifMatch],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['summary'],
            properties: {
              summary: text('no ID numbers or phones'),
              lodgedOn: { ...date, description: 'default today' },
              version,
            },
          }),
        },
        responses: {
          '201': { description: 'the case with the objection', content: caseBody },
          ...errors(400, 403, 404, 409, 412, 428, 503),
        },
      },
    },
    '/api/v1/cases/{id}/objections/{objectionId}/resolution': {
      post: {
        summary: 'Resolve an objection: upheld ends the case (rejected / retained), dismissed lets it go on',
        parameters: [idParam, path('objectionId'), ifMatch],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['resolution', 'note'],
            properties: { resolution: { enum: ['upheld', 'dismissed'] }, note: text(), version },
          }),
        },
        responses: caseAnswer('the case after the resolution'),
      },
    },
    '/api/v1/cases/{id}/vote': {
      post: {
        summary: "Record the village representative assembly's vote on an exit (村民代表大会)",
        description:
          'Valid only if present ≥ 2/3 of members (3 × present ≥ 2 × members); passes only if votesFor > half of ' +
          'those present. Passed → exit notice; failed → retained (the household stays identified).',
        parameters: [idParam, ifMatch],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['members', 'present', 'votesFor', 'votesAgainst', 'heldOn', 'minutesReference'],
            properties: {
              members: { type: 'integer', minimum: 1 },
              present: { type: 'integer', minimum: 0 },
              votesFor: { type: 'integer', minimum: 0 },
              votesAgainst: { type: 'integer', minimum: 0 },
              abstentions: { type: 'integer', minimum: 0, default: 0 },
              heldOn: date,
              minutesReference: { type: 'string', maxLength: 200, description: 'the minutes in the village archive' },
              version,
            },
          }),
        },
        responses: caseAnswer('the case after the vote'),
      },
    },
    '/api/v1/households/{id}/identification': {
      get: {
        summary: 'Whether a household is identified (相对贫困户): category, causes, policy start, exit',
        parameters: [idParam],
        responses: {
          '200': {
            description: 'the status',
            content: json({ type: 'object', properties: { identification: ref('Identification') } }),
          },
          ...errors(403, 404, 503),
        },
      },
    },
    '/api/v1/notices/{villageCode}.pdf': {
      get: {
        summary: 'The printable public notice (公示) of a village: its cases in notice, as a PDF',
        description:
          'Head of household, address and persons only — never ID numbers, phones, bank or health details. One ' +
          'notice period per PDF: the latest opened, or the one starting on startDate. 404 no_cases_in_notice ' +
          'when none is open (details.openPeriods lists the start dates).',
        parameters: [
          village,
          q('kind', { enum: ['identification', 'exit'], default: 'identification' }),
          q('startDate', date),
        ],
        responses: {
          '200': {
            description: 'the notice',
            content: { 'application/pdf': { schema: { type: 'string', format: 'binary' } } },
          },
          ...errors(400, 403, 404, 503),
        },
      },
    },
    '/api/v1/quotas/{countyCode}': {
      get: {
        summary: 'County quota status (总量控制): quota, hard limit, used, remaining, pending',
        parameters: [county],
        responses: {
          '200': {
            description: 'status',
            content: json({ type: 'object', properties: { status: ref('QuotaStatus') } }),
          },
          ...errors(400, 403, 404, 503),
        },
      },
    },
    '/api/v1/workflow-policy/{countyCode}': {
      get: {
        summary: "A county's workflow parameters (ETag: version)",
        parameters: [county],
        responses: {
          '200': {
            description: 'policy',
            content: json({ type: 'object', properties: { policy: ref('WorkflowPolicy') } }),
          },
          ...errors(400, 403, 503),
        },
      },
      put: {
        summary: "Set a county's workflow parameters (city administrator), over the version read (0: none stored yet)",
        parameters: [county, ifMatch],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['policy'],
            properties: {
              policy: {
                type: 'object',
                required: ['registeredPoorPopulation', 'quotaRatio', 'overrideRatio', 'noticeDays', 'decisionDays'],
                properties: {
                  registeredPoorPopulation: { type: 'integer', minimum: 0 },
                  quotaRatio: { type: 'number', minimum: 0, maximum: 1, default: 0.05 },
                  overrideRatio: { type: 'number', minimum: 0, maximum: 1, default: 0.1 },
                  noticeDays: { type: 'integer', minimum: 1, maximum: 60, default: 5 },
                  decisionDays: { type: 'integer', minimum: 1, maximum: 365, default: 15 },
                },
              },
              version: { type: 'integer', minimum: 0 },
            },
          }),
        },
        responses: {
          '200': {
            description: 'the new version',
            content: json({ type: 'object', properties: { policy: ref('WorkflowPolicy') } }),
          },
          ...errors(400, 403, 412, 428, 503),
        },
      },
    },
    '/api/v1/exit-reviews/{villageCode}': {
      get: {
        summary: 'Quarterly review list of a village (集中研判): identified households whose causes no longer trigger',
        parameters: [
          village,
          q('quarter', { type: 'string', pattern: '^\\d{4}Q[1-4]$' }, 'default: the current quarter'),
        ],
        responses: {
          '200': {
            description: 'the list',
            content: json({
              type: 'object',
              properties: {
                quarter: str,
                candidates: { type: 'array', items: ref('ExitCandidate') },
                retained: { type: 'integer', description: 'identified households that stay' },
              },
            }),
          },
          ...errors(400, 403, 404, 503),
        },
      },
    },
    '/api/v1/exits': {
      post: {
        summary: "Start a household's exit (village cadre): the case waits for the assembly's vote",
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['householdId'],
            properties: { householdId: str, quarter: { type: 'string', pattern: '^\\d{4}Q[1-4]$' } },
          }),
        },
        responses: { '201': { description: 'the exit case', content: caseBody }, ...errors(400, 403, 404, 409, 503) },
      },
    },
    '/api/v1/violations': {
      get: {
        summary: 'Commitment violation cases (反向约束) of your area, newest first',
        parameters: [q('areaCode', str), q('state', { enum: ['open', 'warned', 'assistance_ended'] }), ...pageParams],
        responses: {
          '200': pageOf('violations', ref('ViolationCase')),
          ...errors(400, 403, 503),
        },
      },
    },
    '/api/v1/violations/{id}/decision': {
      post: {
        summary: 'Decide a violation (county officer): warn, or end_assistance with a reason (the household exits)',
        parameters: [idParam, ifMatch],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['decision'],
            properties: {
              decision: { enum: ['warn', 'end_assistance'] },
              reason: text('required for end_assistance'),
              version,
            },
          }),
        },
        responses: {
          '200': {
            description: 'the decided case',
            content: json({ type: 'object', properties: { violation: ref('ViolationCase') } }),
          },
          ...errors(400, 403, 404, 409, 412, 428, 503),
        },
      },
    },
  };
}

const yuan = (description: string) => ({ type: ['number', 'null'], description });

/** The assistance messages (proto/shouwang/assistance/v1/assistance.proto) in camelCase, every field present. */
const assistanceSchemas: Record<string, unknown> = {
  Measure: {
    type: 'object',
    description: 'One measure of the catalogue (M1–M10); ETag = version.',
    properties: {
      code: { type: 'string', pattern: '^M([1-9]|10)$' },
      nameZh: str,
      nameEn: str,
      departments: { ...strings, description: 'responsible departments; each gets a task' },
      causes: { ...strings, description: 'features F1..F10 it answers; empty when answersAll' },
      answersAll: bool,
      conditions: { type: 'array', items: { enum: ['has_labourer', 'single_person_inclusion_member'] } },
      kind: { enum: ['policy', 'insurance'], description: 'policy first, the insurance backstop last' },
      amountLimitYuan: yuan('upper limit of one delivery; null: no amount'),
      dueDays: { type: ['integer', 'null'], description: 'days to deliver before overdue; null: the default' },
      active: bool,
      version: int,
      updatedAt: str,
      updatedBy: str,
    },
  },
  PlanMeasure: {
    type: 'object',
    properties: {
      code: str,
      answers: { ...strings, description: "the household's causes it answers" },
      startsOn: { ...date, description: 'never before the policy start date' },
      kind: { enum: ['policy', 'insurance'] },
      status: { enum: ['active', 'dropped', 'closed'] },
      addedBy: { type: 'string', description: 'system (generated) or the username who added it' },
      dropReason: str,
      note: str,
      plannedAmountYuan: yuan('planned amount, within the measure’s limit'),
    },
  },
  PlanProposal: {
    type: 'object',
    description: 'A change the new causes call for: proposed, applied only when accepted.',
    properties: {
      id: str,
      add: strings,
      drop: strings,
      features: { ...strings, description: 'the features of the re-assessment' },
      raisedAt: str,
      status: { enum: ['open', 'accepted', 'rejected', 'superseded'] },
      decidedBy: str,
      decidedAt: str,
      note: str,
    },
  },
  Plan: {
    type: 'object',
    description: "A household's assistance plan (缺什么补什么); ETag = version.",
    properties: {
      householdId: str,
      areaCode: str,
      headName: str,
      caseId: { type: 'string', description: 'the identification case it came from' },
      category: str,
      causes: strings,
      policyStartDate: date,
      measures: { type: 'array', items: ref('PlanMeasure'), description: 'policy measures first, insurance last' },
      notPlanned: {
        type: 'array',
        description: "measures the causes call for but the household's conditions rule out",
        items: { type: 'object', properties: { code: str, unmet: strings } },
      },
      proposals: { type: 'array', items: ref('PlanProposal') },
      status: { enum: ['active', 'closed'] },
      closedReason: str,
      createdAt: str,
      version: int,
    },
  },
  Task: {
    type: 'object',
    description: 'One measure of one plan for one department; ETag = version.',
    properties: {
      id: str,
      householdId: str,
      areaCode: str,
      headName: str,
      measureCode: str,
      department: str,
      state: { enum: ['open', 'accepted', 'delivered', 'declined', 'closed'] },
      startsOn: date,
      dueOn: date,
      overdue: { type: 'boolean', description: 'still to be worked after its due day' },
      deliveries: {
        type: 'array',
        items: {
          type: 'object',
          properties: {
            deliveredOn: date,
            amountYuan: yuan('amount delivered, when the measure has one'),
            note: str,
            recordedBy: str,
            recordedAt: str,
          },
        },
      },
      declineReason: str,
      closedReason: { type: 'string', description: "the household's exit reason, when closed" },
      createdAt: str,
      version: int,
      allowedActions: { type: 'array', items: { enum: ['accept', 'deliver', 'decline'] } },
    },
  },
  PointsEntry: {
    type: 'object',
    properties: {
      id: str,
      householdId: str,
      points: { type: 'integer', description: 'positive: earned; negative: spent at the love supermarket' },
      reason: str,
      recordedBy: str,
      at: str,
    },
  },
  ListEntry: {
    type: 'object',
    properties: { id: str, householdId: str, list: { enum: ['red', 'black'] }, reason: str, recordedBy: str, at: str },
  },
};

/** Assistance (DOMAIN.md §8): the measure catalogue, plans, department tasks, motivation points. */
function assistancePaths(): Record<string, unknown> {
  const ifMatch = {
    name: 'If-Match',
    in: 'header',
    required: false,
    schema: str,
    description: 'the ETag read ("3"); or send version in the body; neither → 428',
  };
  const text = (description?: string) => ({ type: 'string', maxLength: 500, ...(description ? { description } : {}) });
  const version = { type: 'integer', minimum: 1, description: 'the version read, when no If-Match is sent' };
  const planBody = json({ type: 'object', properties: { plan: ref('Plan') } });
  const taskBody = json({ type: 'object', properties: { task: ref('Task') } });
  const stale = 'A stale version answers 412 version_conflict; none 428.';
  return {
    '/api/v1/measures': {
      get: {
        summary: 'The measure catalogue (帮扶措施 M1–M10)',
        responses: {
          '200': {
            description: 'every measure',
            content: json({ type: 'object', properties: { measures: { type: 'array', items: ref('Measure') } } }),
          },
          ...errors(403, 503),
        },
      },
    },
    '/api/v1/measures/{code}': {
      put: {
        summary: 'Change one measure (city administrator): the whole measure, over the version read',
        description: 'Plans made from now on use it; existing plans keep what they took. ' + stale,
        parameters: [path('code', { type: 'string', pattern: '^M([1-9]|10)$' }), ifMatch],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['measure'],
            properties: {
              measure: {
                type: 'object',
                required: ['nameZh', 'nameEn', 'departments', 'kind', 'active'],
                properties: {
                  nameZh: { type: 'string', maxLength: 100 },
                  nameEn: { type: 'string', maxLength: 200 },
                  departments: { type: 'array', items: str, minItems: 1, maxItems: 6 },
                  causes: { type: 'array', items: { type: 'string', pattern: '^F([1-9]|10)$' } },
                  answersAll: bool,
                  conditions: { type: 'array', items: { enum: ['has_labourer', 'single_person_inclusion_member'] } },
                  kind: { enum: ['policy', 'insurance'] },
                  amountLimitYuan: { type: ['number', 'null'], exclusiveMinimum: 0 },
                  dueDays: { type: ['integer', 'null'], minimum: 1, maximum: 365 },
                  active: bool,
                },
              },
              version,
            },
          }),
        },
        responses: {
          '200': {
            description: 'the new version',
            content: json({ type: 'object', properties: { measure: ref('Measure') } }),
          },
          ...errors(400, 403, 404, 412, 428, 503),
        },
      },
    },
    '/api/v1/households/{id}/plan': {
      get: {
        summary: "A household's assistance plan: measures, proposals, what the conditions ruled out (ETag)",
        parameters: [idParam],
        responses: { '200': { description: 'the plan', content: planBody }, ...errors(403, 404, 503) },
      },
    },
    '/api/v1/households/{id}/plan/changes': {
      post: {
        summary: 'Add, drop (with reason) or adjust a measure (county officer or the village cadre)',
        description:
          'add: from the active catalogue, starting no earlier than the policy start (409 measure_in_plan); drop: ' +
          'its open tasks close (409 measure_not_in_plan); adjust: a note, a planned amount within the limit or a ' +
          'later start. A closed plan answers 409 plan_closed. ' +
          stale,
        parameters: [idParam, ifMatch],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['operation', 'measureCode'],
            properties: {
              operation: { enum: ['add', 'drop', 'adjust'] },
              measureCode: { type: 'string', pattern: '^M([1-9]|10)$' },
              reason: text('required for drop; only for drop'),
              note: text(),
              plannedAmountYuan: { type: 'number', exclusiveMinimum: 0 },
              startsOn: date,
              version,
            },
          }),
        },
        responses: {
          '200': { description: 'the plan after it', content: planBody },
          ...errors(400, 403, 404, 409, 412, 428, 503),
        },
      },
    },
    '/api/v1/households/{id}/plan/proposals/{proposalId}/decision': {
      post: {
        summary: 'Accept (apply: tasks open and close) or reject the change new causes propose',
        description: 'A proposal decided already answers 409 proposal_decided. ' + stale,
        parameters: [idParam, path('proposalId'), ifMatch],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['accept'],
            properties: { accept: bool, note: text(), version },
          }),
        },
        responses: {
          '200': { description: 'the plan after it', content: planBody },
          ...errors(400, 403, 404, 409, 412, 428, 503),
        },
      },
    },
    '/api/v1/tasks': {
      get: {
        summary: "A department's task queue inside your area, in due order",
        description:
          "A department officer sees their own department's tasks (asking for another: 403 wrong_department); " +
          'other roles every department, or the one asked for.',
        parameters: [
          q('department', str, 'default: your own (department officers) or all'),
          q('areaCode', { type: 'string', pattern: '^(\\d{4}|\\d{6}|\\d{9}|\\d{12})$' }, 'default: your own area'),
          q('state', { enum: ['open', 'accepted', 'delivered', 'declined', 'closed'] }),
          q('overdue', { type: 'boolean' }, 'only tasks still to be worked after their due day'),
          q('householdId', str),
          ...pageParams,
        ],
        responses: {
          '200': pageOf('tasks', ref('Task')),
          ...errors(400, 403, 503),
        },
      },
    },
    '/api/v1/tasks/{id}': {
      get: {
        summary: 'A task with its deliveries (ETag: its version)',
        parameters: [idParam],
        responses: { '200': { description: 'the task', content: taskBody }, ...errors(403, 404, 503) },
      },
    },
    '/api/v1/tasks/{id}/actions': {
      post: {
        summary: 'Work a task of your department: accept, deliver (date, amount, note) or decline (reason)',
        description:
          'deliver needs deliveredOn (not in the future, not before the task starts) and an amount within the ' +
          "measure's limit (400 amountYuan over_limit); decline needs a reason. Another department's task 403 " +
          'wrong_department; an action the state does not allow 409 illegal_transition with details {state, ' +
          'allowedActions}. ' +
          stale,
        parameters: [idParam, ifMatch],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['action'],
            properties: {
              action: { enum: ['accept', 'deliver', 'decline'] },
              deliveredOn: { ...date, description: 'required for deliver; only for deliver' },
              amountYuan: { type: 'number', exclusiveMinimum: 0, description: 'only for deliver' },
              note: text(),
              reason: text('required for decline; only for decline'),
              version,
            },
          }),
        },
        responses: {
          '200': { description: 'the task after it', content: taskBody },
          ...errors(400, 403, 404, 409, 412, 428, 503),
        },
      },
    },
    '/api/v1/households/{id}/points': {
      get: {
        summary: "A household's love-supermarket points (爱心超市): ledger newest first, balance, red/black list",
        parameters: [idParam],
        responses: {
          '200': {
            description: 'the account',
            content: json({
              type: 'object',
              properties: {
                entries: { type: 'array', items: ref('PointsEntry') },
                balance: int,
                listEntries: { type: 'array', items: ref('ListEntry') },
              },
            }),
          },
          ...errors(403, 404, 503),
        },
      },
      post: {
        summary: 'Record points earned or spent (village cadre); the balance never goes below zero',
        description: 'Spending more than the balance answers 409 insufficient_points with details {balance}.',
        parameters: [
          idParam,
          {
            name: 'Idempotency-Key',
            in: 'header',
            required: false,
            schema: { type: 'string', pattern: '^[\\w.:-]{1,128}$' },
            description: 'a retry with the same key records once and answers the same entry',
          },
        ],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['kind', 'points', 'reason'],
            properties: {
              kind: { enum: ['earn', 'spend'] },
              points: { type: 'integer', minimum: 1, maximum: 10000 },
              reason: text(),
            },
          }),
        },
        responses: {
          '201': {
            description: 'recorded',
            content: json({ type: 'object', properties: { entry: ref('PointsEntry'), balance: int } }),
          },
          ...errors(400, 403, 404, 409, 503),
        },
      },
    },
    '/api/v1/households/{id}/list-entries': {
      post: {
        summary: 'Put the household on the red (commended) or black (criticised) list, with why (village cadre)',
        parameters: [idParam],
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['list', 'reason'],
            properties: { list: { enum: ['red', 'black'] }, reason: text() },
          }),
        },
        responses: {
          '201': {
            description: 'recorded',
            content: json({ type: 'object', properties: { entry: ref('ListEntry') } }),
          },
          ...errors(400, 403, 404, 503),
        },
      },
    },
  };
}
