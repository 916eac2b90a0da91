#!/usr/bin/env node
import { buildProgram, reportFailure } from './program.js'

try {
  await buildProgram().parseAsync(process.argv)
} catch (err) {
  process.exitCode = reportFailure(err)
}
