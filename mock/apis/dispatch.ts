import type { SandboxContext } from '../context.js'
import type { Operation } from '../contract/types.js'
import type { Exchange, Stage } from '../http/exchange.js'
import { SHARED_STAGES, type Pipeline } from '../pipeline.js'

/** The context of an operation's API (the main one for an operation of a single contract). */
export function apiOf(ctx: SandboxContext, op: Operation | undefined): SandboxContext {
  if (op?.api === undefined) return ctx.apis[0] ?? ctx
  return ctx.apis.find((a) => a.api.name === op.api) ?? ctx.apis[0] ?? ctx
}

/**
 * One pipeline over several APIs' pipelines (the main API's first): the connection and route stages
 * run once, then the request and response stages of the API the operation belongs to, each built on
 * that API's context (its errors, data, rate table, resources). A request no API routes stays with
 * the main API's stages, which answer its 404 or 405.
 */
export function dispatchByApi(
  pipelines: ReadonlyArray<{ name: string; pipeline: Pipeline }>,
): Pipeline {
  const main = pipelines[0]!.pipeline
  const byName = new Map(pipelines.map((p) => [p.name, p.pipeline]))
  const of = (ex: Exchange): Pipeline =>
    (ex.operation?.api !== undefined ? byName.get(ex.operation.api) : undefined) ?? main
  const rest = new Map(pipelines.map((p) => [p.pipeline, p.pipeline.request.slice(SHARED_STAGES)]))
  const request: Stage = async (ex) => {
    for (const stage of rest.get(of(ex))!) {
      await stage(ex)
      if (ex.reply || ex.detached) return
    }
  }
  const response: Stage = async (ex) => {
    for (const stage of of(ex).response) await stage(ex)
  }
  return { request: [...main.request.slice(0, SHARED_STAGES), request], response: [response] }
}
