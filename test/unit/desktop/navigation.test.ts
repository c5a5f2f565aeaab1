import { describe, expect, it } from 'vitest'
import {
  decideNavigation,
  decideWindowOpen,
  isAllowedExternal,
  isAppUrl,
  permissionAllowed
} from '../../../main/desktop/navigation.ts'

const APP = 'http://127.0.0.1:9501'

describe('navigation and window.open rules', () => {
  it('allows only the app origin inside the window', () => {
    expect(decideNavigation('http://127.0.0.1:9501/?token=abc', APP)).toBe('allow')
    expect(decideNavigation('http://127.0.0.1:9501/assets/x.js', APP)).toBe('allow')
    expect(decideNavigation('http://127.0.0.1:9500/bucket-1250000000/a.txt', APP)).toBe('deny')
    expect(decideNavigation('http://localhost:9501/', APP)).toBe('deny')
    expect(decideNavigation('file:///etc/passwd', APP)).toBe('deny')
    expect(decideNavigation('javascript:alert(1)', APP)).toBe('deny')
    expect(decideNavigation('not a url', APP)).toBe('deny')
  })

  it('sends allow-listed https links to the browser, everything else is denied', () => {
    expect(decideNavigation('https://cloud.tencent.com/document/product/436', APP)).toBe('open-external')
    expect(decideWindowOpen('https://github.com/tencentyun/cos-js-sdk-v5')).toBe('open-external')
    expect(decideWindowOpen('https://intl.cloud.tencent.com/')).toBe('open-external')
    expect(decideWindowOpen('http://github.com/')).toBe('deny')
    expect(decideWindowOpen('https://github.com.evil.example/')).toBe('deny')
    expect(decideWindowOpen('https://user:pw@github.com/')).toBe('deny')
    expect(decideWindowOpen('https://evil.example/')).toBe('deny')
    expect(decideWindowOpen(APP + '/')).toBe('deny')
    expect(isAllowedExternal('https://nottencent.com/')).toBe(false)
  })

  it('compares whole origins', () => {
    expect(isAppUrl('http://127.0.0.1:95010/', APP)).toBe(false)
    expect(isAppUrl('https://127.0.0.1:9501/', APP)).toBe(false)
  })

  it('denies every permission except clipboard writes from the app page', () => {
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'fullscreen', 'midi']) {
      expect(permissionAllowed(permission, APP + '/', APP)).toBe(false)
    }
    expect(permissionAllowed('clipboard-sanitized-write', APP + '/', APP)).toBe(true)
    expect(permissionAllowed('clipboard-sanitized-write', 'https://evil.example/', APP)).toBe(false)
    expect(permissionAllowed('clipboard-read', APP + '/', APP)).toBe(false)
  })
})
