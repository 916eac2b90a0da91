import { html, type Html } from './html.js'

/**
 * A cell's content: text (escaped), markup from `html`, or a number. `false` leaves the cell out (a
 * column shown to some readers only); `null`, `undefined` and `''` give an empty cell.
 */
export type Cell = Html | string | number | null | undefined | false

/** A heading of a column; `false` or `undefined` leaves the column out. */
export type Column = Html | string | false | undefined

export interface TableSpec {
  /** The table's id (tests and scripts find it by it). */
  id?: string
  /** Its caption: what the table holds, read first by screen readers. */
  caption: Html | string
  columns: readonly Column[]
  /** Rows made with {@link row}. */
  rows: readonly Html[]
  /** Text of the single row shown when there is none. */
  empty?: string
  /** Further attributes of the `<table>`, already safe (made with `html`). */
  attrs?: Html
}

const shownColumn = (c: Column): c is Html | string => c !== false && c !== undefined
const shownCell = (c: Cell): boolean => c !== false

/** One row of a {@link table}; `attrs` are further attributes of the `<tr>`, made with `html`. */
export function row(cells: readonly Cell[], attrs?: Html): Html {
  return html`<tr${attrs ?? ''}>${cells.filter(shownCell).map((c) => html`<td>${c}</td>`)}</tr>`
}

/**
 * A DSFR table in its scrolling wrapper, with its caption and column headings (`scope="col"`); when
 * there are no rows and `empty` is given, one row spanning every column says so (`data-empty`).
 * Every text is escaped: only markup made with `html` goes in as it is.
 */
export function table(spec: TableSpec): Html {
  const columns = spec.columns.filter(shownColumn)
  const body =
    spec.rows.length || spec.empty === undefined
      ? spec.rows
      : html`<tr data-empty>
          <td colspan="${columns.length}">${spec.empty}</td>
        </tr>`
  return html`<div class="fr-table console-table-wrap">
    <table${spec.id ? html` id="${spec.id}"` : ''}${spec.attrs ?? ''}>
      <caption>${spec.caption}</caption>
      <thead>
        <tr>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr>
      </thead>
      <tbody>${body}</tbody>
    </table>
  </div>`
}

/** The DSFR's badge kinds the console uses. */
export type BadgeKind = 'success' | 'error' | 'warning' | 'info'

export interface BadgeOptions {
  /** The small badge (in tables). */
  small?: boolean
  id?: string
  /** Further attributes, already safe (made with `html`). */
  attrs?: Html
}

/** A DSFR badge: a short status in colour, its text escaped. */
export function badge(kind: BadgeKind, text: string, options: BadgeOptions = {}): Html {
  return html`<span
    class="fr-badge${options.small ? ' fr-badge--sm' : ''} fr-badge--${kind}"
    ${options.id ? html` id="${options.id}"` : ''}${options.attrs ?? ''}
    >${text}</span
  >`
}

/** The badge kind of an account's (or a call-back account's) colour. */
export const colourKind = (colour: 'red' | 'yellow' | 'green'): BadgeKind =>
  colour === 'red' ? 'error' : colour === 'yellow' ? 'warning' : 'success'

/** The badge kind of a verdict or a check: pass, fail, anything else (not exercised, incomplete). */
export const outcomeKind = (outcome: string): BadgeKind =>
  outcome === 'pass' ? 'success' : outcome === 'fail' ? 'error' : 'info'
