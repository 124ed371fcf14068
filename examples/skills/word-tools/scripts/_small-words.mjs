// A helper module: the leading _ keeps it from being loaded as a tool.
export const SMALL_WORDS = new Set(['a', 'an', 'the', 'of', 'in', 'on', 'and', 'or', 'to', 'for'])
