#!/usr/bin/env node
// The bench's reference: bare `node:http` answering, to every request, the bytes and headers the
// sandbox answered to the bench's request (captured once, passed as a JSON file). Nothing else runs
// per request, so its throughput is what this machine's Node and loopback can do with that answer.
// Usage: node bench/bare-http.mjs <port> <answer.json>
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'

const [port, file] = process.argv.slice(2)
const answer = JSON.parse(readFileSync(file, 'utf8'))
const body = Buffer.from(answer.body, 'base64')
const headers = { ...answer.headers, 'content-length': String(body.length) }
createServer((req, res) => {
  // The request is read to its end, as any server must before answering on a kept-alive connection.
  req.resume()
  res.writeHead(answer.status, headers)
  res.end(body)
}).listen(Number(port), '127.0.0.1')
process.on('SIGTERM', () => process.exit(0))
