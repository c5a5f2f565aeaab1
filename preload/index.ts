/**
 * The desktop shell's bridge: one small frozen object with the app-API URL and token.
 * The renderer talks to the core over that HTTP API, exactly as in a browser.
 */
import { contextBridge } from 'electron'

const args = new URLSearchParams(process.argv.find((arg) => arg.startsWith('--cos-local='))?.slice(12) ?? '')

contextBridge.exposeInMainWorld(
  'cosLocal',
  Object.freeze({ apiUrl: args.get('apiUrl') ?? '', token: args.get('token') ?? '' })
)
