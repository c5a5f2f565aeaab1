import { describe, expect, it } from 'vitest'
import {
  normalizeRuntime,
  parseHandler,
  validateFunctionConfig
} from '../../../../main/core/functions/function-config.ts'

describe('function config validation', () => {
  it('fills SCF defaults', () => {
    expect(validateFunctionConfig({ name: 'printevent' })).toEqual({
      name: 'printevent',
      namespace: 'default',
      runtime: 'nodejs',
      handler: 'index.main_handler',
      memory: 128,
      timeout: 3,
      env: {},
      retryNum: 2,
      description: ''
    })
  })

  it.each(['ab', 'a1', 'my-func_2', 'A' + 'b'.repeat(59)])('accepts name %s', (name) => {
    expect(validateFunctionConfig({ name }).name).toBe(name)
  })

  it.each(['a', '1abc', 'abc-', 'abc_', 'a.b', 'a b', 'A' + 'b'.repeat(60), ''])('rejects name %j', (name) => {
    expect(() => validateFunctionConfig({ name })).toThrow(/Invalid function name/)
  })

  it.each([64, 128, 256, 1024, 3072])('accepts memory %d', (memory) => {
    expect(validateFunctionConfig({ name: 'fn', memory }).memory).toBe(memory)
  })

  it.each([0, 63, 100, 129, 192, 3200, 4096, 128.5])('rejects memory %d', (memory) => {
    expect(() => validateFunctionConfig({ name: 'fn', memory })).toThrow(/use 64, or 128 to 3072 in steps of 128/)
  })

  it.each([1, 3, 900])('accepts timeout %d', (timeout) => {
    expect(validateFunctionConfig({ name: 'fn', timeout }).timeout).toBe(timeout)
  })

  it.each([0, 901, 1.5, -1])('rejects timeout %d', (timeout) => {
    expect(() => validateFunctionConfig({ name: 'fn', timeout })).toThrow(/from 1 to 900/)
  })

  it.each([
    ['index.main_handler', { file: 'index', method: 'main_handler' }],
    ['src/app.handler', { file: 'src/app', method: 'handler' }]
  ])('parses handler %s', (handler, expected) => {
    expect(parseHandler(handler)).toEqual(expected)
  })

  it.each(['index', 'index.', '.main', '../x.main', 'a/../b.main', '/abs.main', 'index.main-handler'])(
    'rejects handler %j',
    (handler) => {
      expect(() => validateFunctionConfig({ name: 'fn', handler })).toThrow(/Invalid handler/)
    }
  )

  it('limits environment variables to 4 KB', () => {
    expect(validateFunctionConfig({ name: 'fn', env: { A: 'x'.repeat(4094) } }).env.A).toHaveLength(4094)
    expect(() => validateFunctionConfig({ name: 'fn', env: { A: 'x'.repeat(4095) } })).toThrow(
      /at most 4096 are allowed/
    )
    expect(() => validateFunctionConfig({ name: 'fn', env: { '1A': 'x' } })).toThrow(
      /Invalid environment variable name/
    )
  })

  it.each([0, 1, 2])('accepts retryNum %d', (retryNum) => {
    expect(validateFunctionConfig({ name: 'fn', retryNum }).retryNum).toBe(retryNum)
  })

  it('rejects retryNum 3', () => {
    expect(() => validateFunctionConfig({ name: 'fn', retryNum: 3 })).toThrow(/use 0, 1 or 2/)
  })

  it.each([
    ['nodejs', 'nodejs'],
    ['Nodejs18.15', 'nodejs'],
    ['Nodejs8.9', 'nodejs'],
    ['python3', 'python3'],
    ['Python3.9', 'python3'],
    ['python', 'python3']
  ])('runtime %s → %s', (input, expected) => {
    expect(normalizeRuntime(input)).toBe(expected)
  })

  it.each(['Python2.7', 'Go1', 'Java8', 'php'])('rejects runtime %s', (input) => {
    expect(() => normalizeRuntime(input)).toThrow(/Unsupported runtime/)
  })
})
