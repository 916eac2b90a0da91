import type { Stage } from '../http/exchange.js'

/** Path of API Entreprise's privileges operation, in its contract and in ours. */
export const PRIVILEGES_PATH = '/privileges'

/**
 * `GET /privileges` answers `{"privileges": [...]}` for the presented credential, as API Entreprise
 * does: the token's privileges that its client still holds. Without an identity (plain-mock mode, or
 * a contract where the operation is not secured) the request goes on to the data stages.
 */
export function answerPrivileges(): Stage {
  return (ex) => {
    if (ex.operation?.path !== PRIVILEGES_PATH || ex.operation.method !== 'get' || !ex.identity)
      return
    ex.reply = { status: 200, body: { privileges: [...ex.identity.scopes] } }
  }
}
