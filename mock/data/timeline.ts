/**
 * The dates of one object told as one story, so that they keep production's order: a period closes
 * (end of the fiscal year asked, of the month analysed), then the document about it is declared or
 * delivered, at the latest today; its validity starts on delivery and ends months later; things
 * start before they end. Every date of an object is placed from one anchor drawn once per object.
 */
import type { Faker } from '@faker-js/faker'
import type { GenerationContext } from './generation-types.js'
import { referenceDate } from './seeded.js'

const DAY = 24 * 3600 * 1000

/** What a date field marks in its object's story. */
export type DateRole = 'origin' | 'periodStart' | 'periodEnd' | 'event' | 'validFrom' | 'validUntil'

/** The role of a date field from its name (lower case, `_`-separated). */
export function dateRole(key: string): DateRole {
  const validity = /valid|expir|echeance|peremption|until|expires/.test(key)
  if (/expir|echeance|peremption|until|expires/.test(key)) return 'validUntil'
  if (validity && /fin|end|to$|au$/.test(key)) return 'validUntil'
  if (validity) return 'validFrom'
  if (/naissance|birth|creat|immatricul|constitution|fondation|inscription|origin/.test(key))
    return 'origin'
  if (/debut|start|ouverture|from$|since/.test(key)) return 'periodStart'
  if (/fin|end|cloture|clos|arrete|periode|analys|exercice|reference|situation/.test(key))
    return 'periodEnd'
  return 'event'
}

/** The dates of one object: the period it is about and the day it was issued. */
export interface Timeline {
  /** Last day of the period the object is about (fiscal year, month analysed...). */
  periodEnd: Date
  /** First day of that period. */
  periodStart: Date
  /** The day the document or fact was issued (declared, delivered, updated): ≤ today. */
  event: Date
}

/** Today for generated data: the reference day every draw is computed from. */
export const today = (): Date => referenceDate()

/** The timeline of the object being built (drawn the first time one of its dates is asked). */
export function timelineOf(ctx: GenerationContext): Timeline {
  const holder = ctx.objects[ctx.objects.length - 1] ?? ctx
  const key = `timeline`
  let byHolder = ctx.locals.get(key) as WeakMap<object, Timeline> | undefined
  if (!byHolder) ctx.locals.set(key, (byHolder = new WeakMap()))
  let line = byHolder.get(holder)
  if (!line) {
    line = drawTimeline(ctx.faker, ctx.period)
    byHolder.set(holder, line)
  }
  return line
}

function drawTimeline(faker: Faker, period: GenerationContext['period']): Timeline {
  const now = today().getTime()
  let periodEnd: Date
  let periodStart: Date
  if (period?.year !== undefined && period.month !== undefined) {
    periodEnd = new Date(Date.UTC(period.year, period.month, 0))
    periodStart = new Date(Date.UTC(period.year, period.month - 1, 1))
  } else if (period?.year !== undefined) {
    periodEnd = new Date(Date.UTC(period.year, 11, 31))
    periodStart = new Date(Date.UTC(period.year, 0, 1))
  } else {
    // The end of a recent month, a few weeks to two years back.
    const back = new Date(now - faker.number.int({ min: 30, max: 730 }) * DAY)
    periodEnd = new Date(Date.UTC(back.getUTCFullYear(), back.getUTCMonth() + 1, 0))
    periodStart = new Date(Date.UTC(periodEnd.getUTCFullYear() - 1, periodEnd.getUTCMonth() + 1, 1))
  }
  // Nothing already happened after today: a period asked in the future closes today at the latest.
  if (periodEnd.getTime() >= now) periodEnd = new Date(now - DAY)
  if (periodStart.getTime() > periodEnd.getTime()) periodStart = new Date(periodEnd.getTime() - DAY)
  const lag = faker.number.int({ min: 15, max: 140 }) * DAY
  const event = new Date(Math.min(periodEnd.getTime() + lag, now - DAY))
  return { periodEnd, periodStart, event }
}

/** A date for a field of the object being built, by the field's role in the object's story. */
export function dateFor(ctx: GenerationContext, key: string): Date {
  const line = timelineOf(ctx)
  const { faker } = ctx
  switch (dateRole(key)) {
    case 'origin':
      return new Date(
        line.periodStart.getTime() - faker.number.int({ min: 365, max: 20 * 365 }) * DAY,
      )
    case 'periodStart':
      return line.periodStart
    case 'periodEnd':
      return line.periodEnd
    case 'validFrom':
      return line.event
    case 'validUntil':
      return new Date(line.event.getTime() + faker.number.int({ min: 90, max: 365 }) * DAY)
    case 'event':
      return line.event
  }
}

/** The year an object is about: the year asked, else the year its period closes. */
export function yearOf(ctx: GenerationContext): number {
  return ctx.period?.year ?? timelineOf(ctx).periodEnd.getUTCFullYear()
}
