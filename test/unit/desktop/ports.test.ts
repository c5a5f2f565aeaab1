import { createServer, type Server } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { planPorts, portIsFree, startOnPorts } from '../../../main/desktop/ports.ts'

const servers: Server[] = []

function occupy(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer()
    servers.push(server)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port))
  })
}

function listen(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      servers.push(server)
      resolve((server.address() as { port: number }).port)
    })
  })
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

describe('planPorts', () => {
  it('keeps free preferred ports and asks for any port (0) where one is taken, saying which', () => {
    expect(planPorts({ cos: 9500, ui: 9501 }, { cos: true, ui: true })).toEqual({ cos: 9500, ui: 9501, notes: [] })
    const plan = planPorts({ cos: 9500, ui: 9501 }, { cos: false, ui: true })
    expect(plan).toMatchObject({ cos: 0, ui: 9501 })
    expect(plan.notes).toEqual(['COS port 9500 is in use; using a free port instead'])
    expect(planPorts({ cos: 9500, ui: 9501 }, { cos: false, ui: false })).toMatchObject({ cos: 0, ui: 0 })
  })

  it('treats port 0 as always available', () => {
    expect(planPorts({ cos: 0, ui: 0 }, { cos: false, ui: false })).toEqual({ cos: 0, ui: 0, notes: [] })
  })
})

describe('portIsFree and startOnPorts (real sockets)', () => {
  it('sees a port held by another listener as taken, and a released one as free', async () => {
    const busy = await occupy()
    expect(await portIsFree(busy)).toBe(false)
    await new Promise((resolve) => servers.pop()!.close(resolve))
    expect(await portIsFree(busy)).toBe(true)
  })

  it('starts on a free port when the preferred one is taken (a second instance, or cos-local serve)', async () => {
    const busyCos = await occupy()
    const { value, plan } = await startOnPorts({ cos: busyCos, ui: 0 }, async (ports) => ({
      cos: await listen(ports.cos),
      ui: await listen(ports.ui)
    }))
    expect(plan.cos).toBe(0)
    expect(value.cos).not.toBe(busyCos)
    expect(value.cos).toBeGreaterThan(0)
    expect(plan.notes[0]).toContain(`port ${busyCos} is in use`)
  })

  it('retries on free ports when a port is taken between the probe and the listen', async () => {
    const busy = await occupy()
    let calls = 0
    const { value, plan } = await startOnPorts(
      { cos: busy, ui: 0 },
      async (ports) => {
        calls++
        return listen(ports.cos)
      },
      '127.0.0.1',
      async () => true // the probe says free: the race
    )
    expect(calls).toBe(2)
    expect(value).not.toBe(busy)
    expect(plan).toMatchObject({ cos: 0, ui: 0 })
  })

  it('does not hide other start errors', async () => {
    await expect(
      startOnPorts({ cos: 0, ui: 0 }, () => Promise.reject(new Error('database is damaged')))
    ).rejects.toThrow('database is damaged')
  })
})
