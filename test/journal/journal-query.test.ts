import { describe, expect, it } from 'vitest'
import { parseJournalQuery } from '../../mock/journal/journal-query.js'

describe('journal query string', () => {
  it('refuses an unknown filter, listing the ones it takes', () => {
    const parsed = parseJournalQuery({ statut: '429' })
    expect(parsed).toEqual({
      error:
        'unknown parameter statut; the journal takes client, client_id, operation, api, status, kind, from, to, limit, cursor, format',
    })
  })

  it('reads filters, page size, cursor and format', () => {
    expect(
      parseJournalQuery({
        client: 'acme',
        operation: 'op',
        status: '429,5xx,none',
        kind: 'api',
        from: '2025-01-06T09:00:00Z',
        to: '1736157600000',
        limit: '20',
        cursor: '3:1024',
        format: 'csv',
      }),
    ).toEqual({
      filter: {
        clientId: 'acme',
        operation: 'op',
        kind: 'api',
        status: [{ code: 429 }, { class: 5 }, 'none'],
        from: Date.UTC(2025, 0, 6, 9),
        to: 1736157600000,
      },
      limit: 20,
      cursor: '3:1024',
      format: 'csv',
    })
  })

  it('defaults to a JSON page of 100 entries', () => {
    expect(parseJournalQuery({})).toEqual({ filter: {}, limit: 100, format: 'json' })
  })

  it.each([
    [{ status: '42' }, /status must be/],
    [{ status: '4xx,teapot' }, /status must be/],
    [{ from: 'yesterday' }, /from must be an ISO 8601/],
    [{ limit: '0' }, /limit must be a whole number from 1 to 1000/],
    [{ limit: '1001' }, /limit must be/],
    [{ format: 'xml' }, /format must be json, jsonl or csv/],
    [{ kind: 'admin' }, /kind must be one of/],
    [{ cursor: '../../etc' }, /cursor is not one this journal gave/],
    [{ client: ['a', 'b'] }, /given more than once/],
  ])('refuses %o with a message naming the parameter', (query, message) => {
    const parsed = parseJournalQuery(query)
    expect(parsed).toHaveProperty('error')
    expect((parsed as { error: string }).error).toMatch(message)
  })
})
