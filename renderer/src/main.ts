import { connectionsAnswer, infoAnswer } from './lib/app-start.ts'
import { mount } from 'svelte'
import App from './App.svelte'
import { prepareListingWorker } from './lib/cos/list-xml.ts'
import { locale } from './lib/i18n/locale.svelte.ts'
import './lib/theme.svelte.ts'
import { currentLocation } from './lib/location.ts'
import './styles.css'

// A page that opens on the bucket list starts the listing worker now: it has warmed up by the
// first folder the user opens. A page loaded at a folder parses that folder's first page itself
// and starts the worker once idle after its rows (list-xml.ts), not alongside its own start.
if (!currentLocation().bucket) prepareListingWorker()

mount(App, { target: document.getElementById('app')!, props: { infoAnswer, connectionsAnswer } })

document.documentElement.lang = locale.current
