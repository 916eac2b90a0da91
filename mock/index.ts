/** sandbox-twin: a contract-driven sandbox twin of a production REST/JSON API. */
export { createSandbox, type Sandbox } from './create-sandbox.js'
export { DEFAULTS, type SandboxOptions } from './options.js'
export { SandboxConfigError, SANDBOX_ERRORS } from './errors.js'
export { loadContract } from './contract/load-contract.js'
export type { Contract, Operation } from './contract/types.js'
export type { Store, StoreScope } from './store/store.js'
export type { SandboxListener } from './http/dispatch.js'
