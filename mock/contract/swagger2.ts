import { SANDBOX_ERRORS, SandboxConfigError } from '../errors.js'

type Obj = Record<string, unknown>
interface ConvertResult {
  openapi: Obj
}
type ConvertObj = (swagger: Obj, options: Obj) => Promise<ConvertResult>

/**
 * Converts a Swagger 2.0 document to OpenAPI 3.0 with swagger2openapi (the converter most tools
 * use), fixing the small faults it knows how to fix. Loaded only when a 2.0 document is met, so that
 * 3.x contracts do not pay for it at start-up. External `$ref`s are left for the sandbox's resolver.
 */
export async function convertSwagger2(file: string, swagger: Obj, text = ''): Promise<Obj> {
  const mod = (await import('swagger2openapi')) as unknown as {
    convertObj?: ConvertObj
    default?: { convertObj: ConvertObj }
  }
  const convertObj = mod.convertObj ?? mod.default!.convertObj
  try {
    const result = await convertObj(swagger, {
      patch: true,
      warnOnly: true,
      resolve: false,
      direct: false,
      source: file,
      // The converter serialises the whole document to YAML when it is not given the text (only to
      // count its lines): a third of the conversion's time on a large contract.
      text: text || ' ',
    })
    return result.openapi
  } catch (cause) {
    throw new SandboxConfigError(
      SANDBOX_ERRORS.BAD_CONTRACT,
      `contract ${file}: a Swagger 2.0 document that cannot be converted to OpenAPI 3.0 (${(cause as Error).message}). Fix it, or convert it yourself and pass the result with --contract.`,
      { file, cause },
    )
  }
}
