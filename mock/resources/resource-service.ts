import type { Contract } from '../contract/types.js'
import type { Exchange } from '../http/exchange.js'
import { loadProcessing, walkInOrder, type ProcessingSpec } from './processing.js'
import { findResourceOperations, type ResourceOperation } from './resource-model.js'
import type { StoredResource } from './resource-store.js'

/** Told of every resource created or moved to another status by a client (call-backs listen). */
export type ResourceListener = (change: {
  clientId: string
  resource: StoredResource
  model: ResourceOperation
  /** The operation that made the change. */
  operationId: string
  /** Operation id of the collection's create operation (where its `callbacks` are declared). */
  createOperationId: string
}) => void | Promise<void>

export interface ResourceService {
  /** Stateful operations, by operation id. */
  readonly operations: ReadonlyMap<string, ResourceOperation>
  /** The processing of a create operation's resources: its file, else its status enum in order, else none. */
  processingFor(createOperationId: string, model: ResourceOperation): ProcessingSpec | undefined
  /** Create operation id of a collection path template. */
  createOperationOf(collection: string): string | undefined
  /** Adds a listener; returns the function that removes it. */
  listen(listener: ResourceListener): () => void
  /** Called by the resource stage after a change is stored. */
  changed(
    clientId: string,
    resource: StoredResource,
    model: ResourceOperation,
    ex: Exchange,
  ): Promise<void>
}

/**
 * Finds the contract's collections and reads the processing files (`processing` folder option).
 * `bundled`: the folder is the one shipped for the bundled contracts, so a file for an operation this
 * contract lacks is expected and not reported; a file that names a non-create operation always is.
 */
export async function createResourceService(
  contract: Contract,
  processingFolder: string,
  log: (line: string) => void,
  bundled = false,
): Promise<ResourceService> {
  const operations = findResourceOperations(contract)
  const files = await loadProcessing(processingFolder)
  const creates = new Map<string, string>()
  const targets = new Map<string, Set<string>>()
  for (const [id, m] of operations) {
    if (m.action === 'create') creates.set(m.collection, id)
    if (m.transition) {
      const set = targets.get(m.collection) ?? new Set()
      set.add(m.transition.to)
      targets.set(m.collection, set)
    }
  }
  for (const id of files.keys()) {
    if (operations.get(id)?.action === 'create') continue
    if (bundled && !contract.operations.some((op) => op.id === id)) continue
    log(`processing: ${id}.yaml names no create operation of ${contract.title}; it is ignored`)
  }
  const listeners = new Set<ResourceListener>()
  const defaults = new Map<string, ProcessingSpec | undefined>()
  return {
    operations,
    processingFor(createOperationId, model) {
      const file = files.get(createOperationId)
      if (file) return file
      if (!model.statuses || !model.statusField) return undefined
      if (!defaults.has(model.collection))
        defaults.set(
          model.collection,
          walkInOrder(model.statuses, targets.get(model.collection) ?? new Set()),
        )
      return defaults.get(model.collection)
    },
    createOperationOf: (collection) => creates.get(collection),
    listen(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async changed(clientId, resource, model, ex) {
      const createOperationId = creates.get(model.collection) ?? ex.operation!.id
      for (const l of listeners)
        await l({ clientId, resource, model, operationId: ex.operation!.id, createOperationId })
    },
  }
}
