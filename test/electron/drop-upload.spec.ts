import { expect, test } from '@playwright/test'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Invocation, InvocationDetail } from '../../preload/contract/invocations.ts'
import { appApi, bridgeOf, electronMissing, launch, newProfile } from './electron-app.ts'

// A file dropped from the OS reaches the core through the preload path (webUtils.getPathForFile →
// POST /api/disk/upload, streamed from disk) and fires the bucket's trigger, whose logs appear.
test.skip(Boolean(electronMissing), electronMissing)

test('a dropped file uploads through its path and fires a trigger whose logs appear', async () => {
  const profile = newProfile()
  const { app, window } = await launch(profile)
  try {
    const bridge = await bridgeOf(window)
    const info = await appApi<{ cosEndpoint: string }>(bridge, 'GET', '/api/info')
    expect((await fetch(`${info.cosEndpoint}/drops-1250000000`, { method: 'PUT' })).status).toBe(200)
    await appApi(bridge, 'POST', '/api/functions', {
      name: 'printer',
      code: { type: 'template', template: 'nodejs-print-event' }
    })
    await appApi(bridge, 'POST', '/api/triggers', {
      functionName: 'printer',
      bucket: 'drops-1250000000',
      event: 'cos:ObjectCreated:*'
    })
    await window.reload()
    await window
      .getByRole('navigation', { name: 'Buckets' })
      .getByRole('button', { name: /drops-1250000000/ })
      .click()

    const file = join(profile.dir, 'photo.jpg')
    writeFileSync(file, 'not really a jpeg')
    // A File backed by a file on disk (as the OS gives a drop), then dropped on the object browser.
    // String scripts: the test code is compiled without DOM types.
    await window.evaluate(`{
      const input = document.createElement('input')
      input.type = 'file'
      input.id = 'os-file'
      input.hidden = true
      document.body.append(input)
    }`)
    await window.setInputFiles('#os-file', file)
    expect(await window.evaluate(`window.cosLocal.pathForFile(document.getElementById('os-file').files[0])`)).toBe(file)
    const since = Date.now()
    await window.evaluate(`{
      const transfer = new DataTransfer()
      transfer.items.add(document.getElementById('os-file').files[0])
      const zone = document.querySelector('[data-testid="drop-zone"]')
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }))
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }))
    }`)

    await expect(
      window.getByRole('table', { name: 'Objects' }).getByRole('button', { name: 'photo.jpg', exact: true })
    ).toBeVisible()
    const stored = await fetch(`${info.cosEndpoint}/drops-1250000000/photo.jpg`)
    expect(await stored.text()).toBe('not really a jpeg')

    const invocation = await appApi<Invocation>(
      bridge,
      'GET',
      `/api/wait?function=printer&key=photo.jpg&since=${since}&timeout=30000`
    )
    const detail = await appApi<InvocationDetail>(bridge, 'GET', `/api/invocations/${invocation.requestId}`)
    expect(detail.logs.map((line) => line.text).join('\n')).toContain('photo.jpg')
    // The live events pane of the window shows the delivery too.
    await expect(window.getByText('cos:ObjectCreated:Put').first()).toBeVisible()
  } finally {
    await app.close()
    profile.remove()
  }
})
