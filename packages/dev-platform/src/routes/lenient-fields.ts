import { z } from 'zod'

/*
 * Optional body fields that upstream binds leniently: a value of the wrong type is ignored as if it were absent,
 * never a 400. Each yields the value or `undefined`.
 */

/** A non-empty string. */
export const someText = () => z.string().min(1).optional().catch(undefined)
/** Any string, the empty one included. */
export const someString = () => z.string().optional().catch(undefined)
export const someNumber = () => z.number().optional().catch(undefined)
export const someBoolean = () => z.boolean().optional().catch(undefined)
/** Any JSON value, kept as sent. */
export const anyValue = () => z.unknown().optional()
