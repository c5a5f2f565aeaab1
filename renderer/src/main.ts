import { connectionsAnswer, infoAnswer } from './lib/app-start.ts'
import { mount } from 'svelte'
import App from './App.svelte'
import { locale } from './lib/i18n/locale.svelte.ts'
import './lib/theme.svelte.ts'
import './styles.css'

mount(App, { target: document.getElementById('app')!, props: { infoAnswer, connectionsAnswer } })

document.documentElement.lang = locale.current
