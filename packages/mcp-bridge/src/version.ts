/** Kept equal to package.json "version" (checked by a test). */
export const BRIDGE_VERSION = '0.1.0'
