import { z } from 'zod';
import { createHouseholdSchema } from '@shouwang/domain';

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
      '/api/v1/households': {
        post: {
          summary: 'Register a household (一户一表登记)',
          parameters: [
            { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', maxLength: 200 } },
          ],
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/HouseholdInput' } } },
          },
          responses: {
            '201': {
              description: 'registered',
              content: {
                'application/json': { schema: { type: 'object', properties: { household: { type: 'object' } } } },
              },
            },
            ...errors(400, 413, 422, 503, 504),
          },
        },
      },
      '/api/v1/households/{id}': {
        get: {
          summary: 'Read a household',
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'the household, ID numbers masked' }, ...errors(404, 503) },
        },
      },
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
    components: { schemas: { HouseholdInput: household, Error: errorBody } },
  };
}
