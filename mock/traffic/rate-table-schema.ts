/**
 * JSON Schema of a rate-limit table: the bundled `fixtures/rate-limits.yaml`, a `--rate-limits` file,
 * or a client's own `rate_limits` (where every field is optional and merges over the sandbox's table).
 */
export const RATE_TABLE_SCHEMA = {
  $id: 'urn:sandbox-twin:rate-limits',
  type: 'object',
  additionalProperties: false,
  properties: {
    window: {
      $ref: '#/$defs/duration',
      description: 'Length of a period, anchored on its first call.',
    },
    per_ip: {
      type: 'integer',
      minimum: 1,
      description:
        'Calls per IP and period, all operations together; over it, the caller is banned.',
    },
    ban: { $ref: '#/$defs/duration', description: 'How long a ban lasts.' },
    default_group: { type: 'string', minLength: 1 },
    groups: {
      type: 'object',
      propertyNames: { pattern: '^[A-Za-z0-9_.-]+$' },
      additionalProperties: {
        oneOf: [
          { type: 'integer', minimum: 0 },
          {
            type: 'object',
            required: ['limit'],
            additionalProperties: false,
            properties: {
              limit: { type: 'integer', minimum: 0 },
              description: { type: 'string' },
            },
          },
        ],
      },
    },
    operations: { type: 'object', additionalProperties: { type: 'string', minLength: 1 } },
  },
  $defs: {
    duration: {
      oneOf: [
        { type: 'integer', minimum: 1, description: 'seconds' },
        { type: 'string', pattern: '^(\\d+(ms|s|m|h|d))+$' },
      ],
    },
  },
} as const
