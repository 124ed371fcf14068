// Read from package.json when the package is built (the bundler inlines the file), so `changeset version` bumping
// package.json is all a release needs.
import manifest from '../package.json' with { type: 'json' }

export const BRIDGE_VERSION: string = manifest.version
