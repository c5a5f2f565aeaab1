/**
 * The core's answers the app needs before it can show anything (its endpoint and credentials,
 * the saved connections), asked for as the app's script starts: main.ts imports this module
 * first, so the requests go out before the rest of the script is evaluated and the app mounts.
 */
import { api, client } from './api.ts'

export const infoAnswer = api.info()
export const connectionsAnswer = client().connections.list()
// Handled where they are used (App.svelte); a failure before that is not an unhandled rejection.
for (const answer of [infoAnswer, connectionsAnswer]) answer.catch(() => {})
