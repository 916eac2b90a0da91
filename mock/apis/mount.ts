import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'
import type { RouteMatch } from '../contract/router.js'
import type { Contract, Operation } from '../contract/types.js'

/** A mount prefix: empty, or `/` then path segments without a trailing slash (`/douane/edi`). */
const PREFIX = /^(\/[A-Za-z0-9._~-]+)*$/

/** Checks a mount prefix and returns it without a trailing slash (`'/'` and `''` are none). */
export function checkPrefix(prefix: string, where: string): string {
  const p = prefix.replace(/\/+$/, '')
  if (!PREFIX.test(p))
    throw new SandboxConfigError(
      SANDBOX_ERRORS.BAD_OPTION,
      `${where}: prefix "${prefix}" is not a path prefix; give "/" then segments of letters, digits, . _ ~ - (e.g. "/douane"), or "" for none.`,
    )
  return p
}

/**
 * The contract as served beside others: every operation names its API and sits under the prefix.
 * New objects: a contract parsed once may be served by several sandboxes of one process.
 */
export function mountContract(contract: Contract, api: string, prefix: string): Contract {
  return {
    ...contract,
    operations: contract.operations.map((op) => ({
      ...op,
      api,
      path: `${prefix}${op.path}`,
      ...(prefix ? { mount: prefix } : {}),
    })),
  }
}

/** An operation's key among every API's: its id, prefixed by its API's name beside others. */
export const operationKey = (op: Operation): string =>
  op.api === undefined ? op.id : `${op.api}/${op.id}`

/** The path template as the contract writes it (its key under `paths`), without the mount prefix. */
export const contractPath = (op: Operation): string =>
  op.mount ? op.path.slice(op.mount.length) : op.path

/** A path that the template matches: every parameter replaced by one sample segment. */
const samplePath = (template: string): string => template.replace(/\{[^}]+\}/g, 'sample')

type Route = (method: string, path: string) => RouteMatch

/**
 * One router over several APIs' routers, tried in the order the APIs were given. Two APIs that
 * would answer the same method and path are refused at start-up, naming both operations and the
 * remedy: a prefix for one of them.
 */
export function combineRouters(
  apis: ReadonlyArray<{ name: string; contract: Contract; route: Route }>,
): Route {
  for (const [i, api] of apis.entries()) {
    for (const op of api.contract.operations) {
      for (const other of apis.slice(0, i)) {
        const m = other.route(op.method, samplePath(op.path))
        if (m.kind !== 'operation') continue
        throw new SandboxConfigError(
          SANDBOX_ERRORS.BAD_OPTION,
          `APIs "${other.name}" and "${api.name}" both answer ${op.method.toUpperCase()} ${op.path} (operations ${m.operation.id} and ${op.id}); mount one of them under a prefix (option apis[].prefix, or "prefix" in the --apis file).`,
        )
      }
    }
  }
  if (apis.length === 1) return apis[0]!.route
  return (method, path) => {
    let notAllowed: RouteMatch | undefined
    for (const { name, route } of apis) {
      const m = route(method, path)
      if (m.kind === 'operation') return m
      if (m.kind === 'method-not-allowed' && !notAllowed) notAllowed = { ...m, api: name }
    }
    return notAllowed ?? { kind: 'not-found' }
  }
}
