import type { SandboxContext } from '../context.js'
import type { Stage } from '../http/exchange.js'
import { API_ERRORS } from '../api-errors.js'
import { ownerOf, territoryOf, unroutedReply, type ApiTerritory } from '../apis/unrouted.js'

/**
 * Route (contract): finds the operation; an unknown path gets 404, a known path with another method
 * 405 with `Allow`, both in the contract's error shape. `OPTIONS` (a CORS preflight) gets the `Allow`
 * list and no CORS grant: tokens must never be used from a browser. Beside other APIs, the 405 and a
 * 404 under one API's prefix (or first path segment) are in that API's shape; a path under none gets
 * the sandbox's own 404 listing where each API is mounted.
 */
export function routeRequest(ctx: SandboxContext): Stage {
  let territories: ApiTerritory[] | undefined
  const apiNamed = (name: string | undefined): SandboxContext =>
    ctx.apis.find((a) => a.api.name === name) ?? ctx
  return (ex) => {
    const match = ctx.route(ex.method, ex.path)
    if (match.kind === 'operation') {
      ex.operation = match.operation
      ex.pathParams = match.params
      return
    }
    if (match.kind === 'method-not-allowed') {
      ex.headers.allow = match.allow.join(', ')
      if (ex.method === 'OPTIONS') {
        ex.reply = { status: 204 }
        return
      }
      ex.reply = apiNamed(match.api).errors(undefined, 405, {
        detail: `Méthode ${ex.method} non autorisée sur ${ex.path} ; méthodes acceptées : ${match.allow.join(', ')}`,
        english: `Method ${ex.method} is not allowed on ${ex.path}; allowed: ${match.allow.join(', ')}`,
      })
      return
    }
    let errors = ctx.errors
    if (ctx.apis.length > 1) {
      territories ??= ctx.apis.map((a) =>
        territoryOf(a.api.name, a.api.prefix, a.contract.operations),
      )
      const owner = ownerOf(territories, ex.path)
      if (!owner) {
        ex.reply = unroutedReply(territories, ex.method, ex.path)
        return
      }
      errors = apiNamed(owner.name).errors
    }
    ex.reply = errors(undefined, 404, {
      code: API_ERRORS.NOT_FOUND,
      title: 'Route inconnue',
      detail: `Aucune opération du contrat ne correspond à ${ex.method} ${ex.path}`,
      english: `No operation of the contract matches ${ex.method} ${ex.path}`,
    })
  }
}
