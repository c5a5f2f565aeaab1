import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { serverlessDocument } from '../../../../../main/core/functions/import/export-serverless.ts'
import { planImport } from '../../../../../main/core/functions/import/plan-import.ts'
import { validateFunctionConfig } from '../../../../../main/core/functions/function-config.ts'

describe('serverless.yml (Framework)', () => {
  const doc = parse(`
service: my-service
provider:
  name: tencent
  runtime: Nodejs8.9
  memorySize: 256
  environment:
    variables:
      STAGE: dev
functions:
  hello_world:
    handler: index.main_handler
    timeout: 10
    environment:
      variables:
        GREETING: hi
    events:
      - cos:
          name: cli-appid.cos.ap-beijing.myqcloud.com
          parameters:
            bucket: cli-appid.cos.ap-beijing.myqcloud.com
            filter:
              prefix: filterdir/
              suffix: .jpg
            events: cos:ObjectCreated:*
            enable: true
      - timer:
          name: every-minute
          parameters:
            cronExpression: '*/1 * * * *'
`)

  it('maps functions, COS events and warnings', () => {
    const plan = planImport(doc)
    expect(plan.format).toBe('serverless-framework')
    expect(plan.functions).toEqual([
      {
        config: {
          name: 'hello_world',
          handler: 'index.main_handler',
          runtime: 'Nodejs8.9',
          memory: 256,
          timeout: 10,
          env: { STAGE: 'dev', GREETING: 'hi' },
          description: undefined
        },
        codePath: '.'
      }
    ])
    expect(plan.triggers).toEqual([
      {
        functionName: 'hello_world',
        bucket: 'cli-appid.cos.ap-beijing.myqcloud.com',
        event: 'cos:ObjectCreated:*',
        prefix: 'filterdir/',
        suffix: '.jpg',
        enabled: true,
        qualifier: undefined
      }
    ])
    expect(plan.warnings).toEqual([
      'functions.hello_world.events[1]: timer events are not supported by COS Local; skipped'
    ])
  })

  it('rejects another provider', () => {
    expect(() => planImport(parse('provider: { name: aws }\nfunctions: { f: { handler: a.b } }'))).toThrow(
      /only Tencent Cloud/
    )
  })

  it('needs parameters on a cos event', () => {
    expect(() => planImport(parse('functions: { f: { handler: a.b, events: [ { cos: { name: x } } ] } }'))).toThrow(
      /needs parameters/
    )
  })
})

describe('serverless.yml (Components)', () => {
  it('maps an scf component, importing a trigger without enable as disabled', () => {
    const plan = planImport(
      parse(`
component: scf
name: scfdemo
inputs:
  name: scfdemo
  src: ./src
  handler: index.main_handler
  runtime: Python3.9
  events:
    - cos:
        parameters:
          qualifier: $DEFAULT
          bucket: cli-appid.cos.ap-beijing.myqcloud.com
          filter: { prefix: filterdir/, suffix: .jpg }
          events: 'cos:ObjectCreated:*'
    - apigw:
        parameters: {}
`)
    )
    expect(plan.format).toBe('serverless-components')
    expect(plan.functions[0]).toMatchObject({ config: { name: 'scfdemo', runtime: 'Python3.9' }, codePath: './src' })
    expect(plan.triggers[0]).toMatchObject({ enabled: false, qualifier: '$DEFAULT', prefix: 'filterdir/' })
    expect(plan.warnings).toHaveLength(2)
    expect(plan.warnings[0]).toMatch(/imported disabled/)
  })

  it('maps multi-scf functions and triggers', () => {
    const plan = planImport(
      parse(`
component: multi-scf
inputs:
  src: { src: ./ }
  functions:
    index: { handler: index.main_handler, runtime: Nodejs12.16, name: resize }
  triggers:
    - type: cos
      function: index
      parameters: { name: cos1, bucket: bucket-name, filter: { prefix: in/ }, events: 'cos:ObjectRemove:*', enable: true }
    - type: timer
      function: index
      parameters: {}
`)
    )
    expect(plan.functions.map((f) => f.config.name)).toEqual(['resize'])
    expect(plan.triggers).toEqual([
      {
        functionName: 'resize',
        bucket: 'bucket-name',
        event: 'cos:ObjectRemove:*',
        prefix: 'in/',
        suffix: '',
        enabled: true,
        qualifier: undefined
      }
    ])
    expect(plan.warnings[0]).toMatch(/timer triggers are not supported/)
  })

  it('rejects an unknown component and COS-hosted code', () => {
    expect(() => planImport(parse('component: express\ninputs: {}'))).toThrow(/not supported/)
    expect(() => planImport(parse('component: scf\ninputs: { name: f1, src: { bucket: b, object: o.zip } }'))).toThrow(
      /COS bucket is not supported/
    )
  })
})

describe('TCSAM template.yaml', () => {
  const doc = parse(`
Resources:
  default:
    Type: 'TencentCloud::Serverless::Namespace'
    hello:
      Type: 'TencentCloud::Serverless::Function'
      Properties:
        CodeUri: ./hello
        Type: Event
        Handler: index.main_handler
        Runtime: Nodejs8.9
        Timeout: 5
        Environment:
          Variables:
            A: 1
        Events:
          mycos:
            Type: COS
            Properties:
              Bucket: mycosbucket
              Events: cos:ObjectCreated:*
              Filter:
                Prefix: 'filterdir/'
                Suffix: '.jpg'
              Enable: CLOSE
          mytimer:
            Type: Timer
            Properties: {}
Globals:
  Function:
    MemorySize: 256
`)

  it('maps namespace, function, globals and COS events', () => {
    const plan = planImport(doc)
    expect(plan.format).toBe('tcsam')
    expect(plan.functions[0]).toEqual({
      config: {
        name: 'hello',
        namespace: 'default',
        handler: 'index.main_handler',
        runtime: 'Nodejs8.9',
        memory: 256,
        timeout: 5,
        env: { A: '1' },
        description: undefined
      },
      codePath: './hello'
    })
    expect(validateFunctionConfig(plan.functions[0]!.config).runtime).toBe('nodejs')
    expect(plan.triggers).toEqual([
      {
        functionName: 'hello',
        bucket: 'mycosbucket',
        event: 'cos:ObjectCreated:*',
        prefix: 'filterdir/',
        suffix: '.jpg',
        enabled: false
      }
    ])
    expect(plan.warnings).toEqual([
      'Resources.default.hello.Properties.Events.mytimer: Timer events are not supported by COS Local; skipped'
    ])
  })

  it('rejects an HTTP function and a bad Enable', () => {
    expect(() =>
      planImport(
        parse(
          "Resources: { default: { Type: 'TencentCloud::Serverless::Namespace', f: { Type: 'TencentCloud::Serverless::Function', Properties: { Type: HTTP } } } }"
        )
      )
    ).toThrow(/event functions only/)
    expect(() =>
      planImport(
        parse(
          "Resources: { default: { Type: 'TencentCloud::Serverless::Namespace', f: { Type: 'TencentCloud::Serverless::Function', Properties: { Events: { c: { Type: COS, Properties: { Bucket: b, Events: 'cos:ObjectCreated:*', Enable: maybe } } } } } } }"
        )
      )
    ).toThrow(/OPEN or CLOSE/)
  })
})

it('rejects an unrecognized document', () => {
  expect(() => planImport(parse('foo: bar'))).toThrow(/Unrecognized file/)
  expect(() => planImport(parse('- a'))).toThrow(/not a YAML mapping/)
})

it('exports triggers as a Framework serverless.yml that imports back to the same triggers', () => {
  const fn = validateFunctionConfig({ name: 'resize', runtime: 'python3', env: { A: 'b' } })
  const trigger = {
    id: 't1',
    functionName: 'resize',
    qualifier: '$DEFAULT',
    bucket: 'photos-1250000000',
    region: 'ap-guangzhou',
    event: 'cos:ObjectCreated:Put' as const,
    prefix: 'in/',
    suffix: '.jpg',
    enabled: false,
    createdAt: 0
  }
  const doc = serverlessDocument([fn], [trigger], 'ap-guangzhou')
  const plan = planImport(doc)
  expect(plan.functions[0]!.config).toMatchObject({
    name: 'resize',
    runtime: 'Python3.9',
    handler: 'index.main_handler',
    env: { A: 'b' }
  })
  expect(plan.triggers).toEqual([
    {
      functionName: 'resize',
      bucket: 'photos-1250000000.cos.ap-guangzhou.myqcloud.com',
      event: 'cos:ObjectCreated:Put',
      prefix: 'in/',
      suffix: '.jpg',
      enabled: false,
      qualifier: undefined
    }
  ])
})
