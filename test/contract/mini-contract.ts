/** A small OpenAPI 3.0 contract in API Entreprise's error shape, for unit tests of the contract layer. */
export const MINI_CONTRACT = `
openapi: 3.0.3
info: { title: Mini, version: '1.0' }
components:
  schemas:
    Error:
      type: object
      required: [errors]
      properties:
        errors:
          type: array
          items: { type: object, required: [code, title, detail], properties: { code: { type: string }, title: { type: string }, detail: { type: string } } }
  parameters:
    context: { name: context, in: query, required: true, schema: { type: string } }
    recipient: { name: recipient, in: query, required: true, schema: { type: string, pattern: '^\\d{14}$' } }
    object: { name: object, in: query, required: true, schema: { type: string, maxLength: 50 } }
  responses:
    Unprocessable:
      description: invalid
      content:
        application/json:
          schema: { $ref: '#/components/schemas/Error' }
          examples:
            siren: { value: { errors: [{ code: '00301', title: Entité non traitable, detail: Le numéro de siren n'est pas correctement formatté, source: { parameter: siren }, meta: {} }] } }
            context: { value: { errors: [{ code: '00201', title: Entité non traitable, detail: Le paramètre context est obligatoire, source: { parameter: context }, meta: {} }] } }
            recipient: { value: { errors: [{ code: '00203', title: Entité non traitable, detail: Le paramètre recipient est obligatoire, source: { parameter: recipient }, meta: {} }] } }
paths:
  /v3/unites_legales/{siren}:
    get:
      parameters:
        - { name: siren, in: path, required: true, schema: { type: string } }
        - $ref: '#/components/parameters/context'
        - $ref: '#/components/parameters/recipient'
        - $ref: '#/components/parameters/object'
      responses:
        '200':
          description: ok
          x-operationId: mini_unites_legales
          content: { application/json: { schema: { type: object, properties: { data: { type: object } } } } }
        '422': { $ref: '#/components/responses/Unprocessable' }
    delete:
      operationId: delete_unite
      responses: { '204': { description: gone } }
  /v3/unites_legales/diffusibles/{siren}:
    get:
      parameters: [{ name: siren, in: path, required: true, schema: { type: string } }]
      responses: { '200': { description: ok } }
  /v3/effectifs/{siren}/annees/{year}:
    get:
      parameters:
        - { name: siren, in: path, required: true, schema: { type: string } }
        - { name: year, in: path, required: true, schema: { type: integer, minimum: 2000, maximum: 2100 } }
        - { name: limit, in: query, schema: { type: integer, minimum: 1, exclusiveMaximum: true, maximum: 100 } }
      responses: { '200': { description: ok } }
  /v3/items:
    post:
      requestBody:
        required: true
        content: { application/json: { schema: { type: object, required: [name], properties: { name: { type: string, minLength: 2 } } } } }
      responses: { '201': { description: created } }
`
