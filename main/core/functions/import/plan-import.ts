/** Detect the format of a parsed YAML document and plan its import. */
import { importError, isObject, type ImportPlan } from './import-plan.ts'
import { isServerlessYml, planServerlessYml } from './serverless-yml.ts'
import { isTcsamTemplate, planTcsamTemplate } from './tcsam-template.ts'

export function planImport(doc: unknown): ImportPlan {
  if (!isObject(doc)) throw importError('The file is not a YAML mapping')
  if (isTcsamTemplate(doc)) return planTcsamTemplate(doc)
  if (isServerlessYml(doc)) return planServerlessYml(doc)
  throw importError(
    'Unrecognized file: expected a serverless.yml (Framework: functions:, Components: component: + inputs:) or an SCF CLI template.yaml (Resources:)'
  )
}
