import { describe, expect, it } from 'vitest'
import { briefTask, TaskActivity, WedgeState } from './task-activity.js'

describe('TaskActivity', () => {
  it('counts overlapping tasks and clears the current task only at zero', () => {
    let changes = 0
    const activity = new TaskActivity(() => changes++)
    activity.start('first job')
    activity.start('second job')
    expect(activity.activeTasks).toBe(2)
    expect(activity.currentTask).toBe('second job')
    activity.end()
    expect(activity.activeTasks).toBe(1)
    expect(activity.currentTask).toBe('second job')
    activity.end()
    expect(activity.currentTask).toBe('')
    activity.end()
    expect(activity.activeTasks).toBe(0)
    expect(activity.currentTask).toBe('')
    // Turned busy once and idle once.
    expect(changes).toBe(2)
  })

  it('signals a change only when the workspace turns busy or idle', () => {
    let changes = 0
    const activity = new TaskActivity(() => changes++)
    activity.start('first job')
    expect(changes).toBe(1)
    for (let i = 0; i < 100; i++) activity.start(`job ${i}`)
    for (let i = 0; i < 100; i++) activity.end()
    expect(changes).toBe(1)
    activity.end()
    expect(changes).toBe(2)
    expect(activity.activeTasks).toBe(0)
    // An end with nothing running changes nothing (the counter stays at zero) and signals nothing.
    activity.end()
    expect(activity.activeTasks).toBe(0)
    expect(changes).toBe(2)
    activity.start('again')
    expect(changes).toBe(3)
  })

  it('works as the adapter heartbeat handle', () => {
    const activity = new TaskActivity()
    activity.setCurrentTask('x')
    expect(activity.activeTasks).toBe(1)
    activity.setCurrentTask('')
    expect(activity.activeTasks).toBe(0)
  })

  it('briefs long text to 60 characters', () => {
    expect(briefTask('a'.repeat(70))).toBe(`${'a'.repeat(60)}...`)
    expect(briefTask('  short\n text ')).toBe('short text')
  })

  it('shows the latest task briefed, and a blank summary keeps the one before', () => {
    const activity = new TaskActivity()
    activity.start('  first\n\tjob ')
    expect(activity.currentTask).toBe('first job')
    activity.start(' \n ')
    expect(activity.currentTask).toBe('first job')
    activity.start('b'.repeat(80))
    expect(activity.currentTask).toBe(`${'b'.repeat(60)}...`)
    activity.end()
    activity.end()
    activity.end()
    expect(activity.currentTask).toBe('')
  })
})

describe('WedgeState', () => {
  it('first mark wins, clear restores, clear when healthy is a no-op, re-mark allowed', () => {
    const wedge = new WedgeState()
    expect(wedge.wedged).toBe(false)
    expect(wedge.clear()).toBe(false)
    expect(wedge.mark('sdk init timeout — restart the workspace')).toBe(true)
    expect(wedge.mark('other')).toBe(false)
    expect(wedge.reason).toBe('sdk init timeout — restart the workspace')
    expect(wedge.clear()).toBe(true)
    expect(wedge.reason).toBe('')
    expect(wedge.mark('again')).toBe(true)
  })
})
