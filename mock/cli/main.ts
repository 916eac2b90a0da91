#!/usr/bin/env node
import { buildProgram, reportFailure } from './program.js'
import { tuneHeap } from './tune-heap.js'

tuneHeap()
try {
  await buildProgram().parseAsync(process.argv)
} catch (err) {
  // Exit now: a sandbox that failed half-built may hold a Redis connection that would keep it alive.
  process.exit(reportFailure(err))
}
