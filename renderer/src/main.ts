import { mount } from 'svelte'
import App from './App.svelte'
import { prepareListingWorker } from './lib/cos/list-xml.ts'
import { locale } from './lib/i18n/locale.svelte.ts'
import './lib/theme.svelte.ts'
import './styles.css'

// The listing worker loads, compiles and warms up while the app asks the core for its endpoint.
prepareListingWorker()

mount(App, { target: document.getElementById('app')! })

document.documentElement.lang = locale.current
