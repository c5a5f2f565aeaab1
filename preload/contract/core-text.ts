/**
 * Text the core writes for people, as a message and its values (main/core/text.ts): `text` is
 * the English template with `{name}` placeholders, the key of the renderer's translations; a
 * value may itself be a message (a status or outcome name). Beside the English string fields
 * the API keeps for the CLI and scripts.
 */
import { z } from 'zod'

export interface CoreText {
  text: string
  params?: Record<string, string | number | CoreText>
}

export const CoreTextSchema: z.ZodType<CoreText> = z.lazy(() =>
  z.object({
    text: z.string(),
    params: z.record(z.string(), z.union([z.string(), z.number(), CoreTextSchema])).optional()
  })
)
