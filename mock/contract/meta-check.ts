/**
 * A contract schema checked against JSON Schema draft-07's meta-schema, as ajv checks it before
 * compiling: `false` when ajv would refuse the schema. The bundle (`scripts/bundle.mjs`) replaces this
 * module by ajv's own check compiled ahead of time (`scripts/meta-checks.mjs`), so that a start's
 * first request does not compile the meta-schema (about 30 ms). From sources there is none, and ajv
 * compiles the meta-schema itself on first use.
 */
export const draft07Check: ((schema: unknown) => boolean) | undefined = undefined
