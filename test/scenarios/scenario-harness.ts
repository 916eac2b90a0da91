import type request from 'supertest'
import { expect } from 'vitest'
import type { Harness, TestClient } from '../traffic/harness.js'

/** Arms a scenario for a client through the admin API. */
export async function arm(
  h: Harness,
  c: TestClient,
  scenario: string,
  extra: Record<string, unknown> = {},
): Promise<void> {
  await h
    .admin('post', '/__sandbox/scenarios')
    .send({ client_id: c.id, scenario, ...extra })
    .expect(201)
}

/** The first error of a contract-shaped body. */
export const firstError = (
  res: request.Response,
): { code: string; title: string; meta?: Record<string, unknown> } =>
  (res.body as { errors: Array<{ code: string; title: string; meta?: Record<string, unknown> }> })
    .errors[0]!

/** Every dotted path of a JSON value whose leaf equals `value`. */
export function pathsOf(body: unknown, value: unknown, prefix: string[] = []): string[] {
  if (body === value) return [prefix.join('.')]
  if (body === null || typeof body !== 'object') return []
  return Object.entries(body).flatMap(([k, v]) => pathsOf(v, value, [...prefix, k]))
}

/** Asserts the answer's status, with its body in the failure message. */
export function expectStatus(res: request.Response, status: number): void {
  expect(res.status, JSON.stringify(res.body)).toBe(status)
}
