// A JS tool module: the @molecule/tools shape, with a JSON schema input (a zod schema works too).
import { SMALL_WORDS } from './_small-words.mjs'

export default {
  name: 'title_case',
  description: 'Puts a text in title case, keeping short words lower case unless they come first.',
  input: {
    type: 'object',
    properties: { text: { type: 'string', description: 'The text to reshape.' } },
    required: ['text'],
  },
  run(_ctx, { text }) {
    return text
      .split(/(\s+)/)
      .map((word, i) =>
        i > 0 && SMALL_WORDS.has(word.toLowerCase())
          ? word.toLowerCase()
          : word.charAt(0).toUpperCase() + word.slice(1),
      )
      .join('')
  },
}
