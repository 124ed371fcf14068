export {
  DEFAULT_RELOAD_DEBOUNCE_MS,
  type SkillsChange,
  SkillsWatcher,
  type SkillsWatcherOptions,
} from './skills-watcher.js'
