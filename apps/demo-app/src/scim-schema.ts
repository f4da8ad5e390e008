/**
 * The attributes the demo app's SCIM service accepts (RFC 7643 §2.2, §4, §8.7). One table serves
 * /Schemas, decides which comparisons ignore case in filters, which attributes a response leaves
 * out (`attributes`, `excludedAttributes`, `returned`), and which attributes a write keeps.
 */

export const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';

export interface AttributeDef {
  name: string;
  type: 'string' | 'boolean' | 'complex' | 'reference' | 'dateTime';
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: 'readOnly' | 'readWrite' | 'immutable' | 'writeOnly';
  returned: 'always' | 'never' | 'default' | 'request';
  uniqueness: 'none' | 'server' | 'global';
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDef[];
}

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
}

const attr = (name: string, description: string, more: Partial<AttributeDef> = {}): AttributeDef => ({
  name,
  type: 'string',
  multiValued: false,
  description,
  required: false,
  caseExact: false,
  mutability: 'readWrite',
  returned: 'default',
  uniqueness: 'none',
  ...more,
});
const complex = (name: string, description: string, subAttributes: AttributeDef[], more: Partial<AttributeDef> = {}) =>
  attr(name, description, { type: 'complex', subAttributes, ...more });
/** A multi-valued attribute of `value`/`type`/`primary`/`display` items (emails, phone numbers, roles). */
const valueList = (name: string, description: string, types: string[], valueMore: Partial<AttributeDef> = {}) =>
  complex(
    name,
    description,
    [
      attr('value', `The ${name} value.`, valueMore),
      attr('display', 'A human-readable name, primarily used for display purposes.'),
      attr('type', 'A label indicating the function of the value.', { canonicalValues: types }),
      attr('primary', 'Whether this is the primary value of the attribute.', { type: 'boolean' }),
    ],
    { multiValued: true },
  );
const externalId = attr('externalId', 'An identifier for the resource as defined by the provisioning client.', { caseExact: true });

export const userSchema: SchemaDef = {
  id: USER_SCHEMA,
  name: 'User',
  description: 'User Account',
  attributes: [
    attr('userName', 'Unique identifier for the User: here, their e-mail address in a verified domain.', { required: true, uniqueness: 'server' }),
    complex('name', "The components of the user's real name.", [
      attr('formatted', 'The full name, formatted for display.'),
      attr('familyName', 'The family name of the User.'),
      attr('givenName', 'The given name of the User.'),
      attr('middleName', 'The middle name(s) of the User.'),
      attr('honorificPrefix', 'The honorific prefix(es) of the User.'),
      attr('honorificSuffix', 'The honorific suffix(es) of the User.'),
    ]),
    attr('displayName', 'The name of the User, suitable for display to end-users.'),
    attr('nickName', 'The casual way to address the user.'),
    attr('title', "The user's title, such as \"Vice President\"."),
    attr('userType', 'The relationship between the organization and the user.'),
    attr('preferredLanguage', "The User's preferred written or spoken language."),
    attr('locale', "The User's default location, for localizing currency, dates and numbers."),
    attr('timezone', "The User's time zone in the IANA Time Zone database format."),
    attr('active', "The User's administrative status: an inactive user cannot sign in.", { type: 'boolean' }),
    valueList('emails', 'E-mail addresses for the user.', ['work', 'home', 'other']),
    valueList('phoneNumbers', 'Phone numbers for the User.', ['work', 'home', 'mobile', 'fax', 'pager', 'other']),
    valueList('roles', 'The product access of the User: the first value is the one in force.', [], { canonicalValues: ['organizer', 'admin'] }),
    externalId,
  ],
};

export const enterpriseUserSchema: SchemaDef = {
  id: ENTERPRISE_USER_SCHEMA,
  name: 'EnterpriseUser',
  description: 'Enterprise User',
  attributes: [
    attr('employeeNumber', 'A string identifier, typically numeric or alphanumeric, assigned to a person.'),
    attr('costCenter', 'Identifies the name of a cost center.'),
    attr('organization', 'Identifies the name of an organization.'),
    attr('division', 'Identifies the name of a division.'),
    attr('department', 'Identifies the name of a department.'),
    complex('manager', "The User's manager.", [
      attr('value', 'The id of the SCIM resource representing the User\'s manager.', { caseExact: true }),
      attr('displayName', 'The displayName of the User\'s manager.', { mutability: 'readOnly' }),
    ]),
  ],
};

export const groupSchema: SchemaDef = {
  id: GROUP_SCHEMA,
  name: 'Group',
  description: 'Group',
  attributes: [
    attr('displayName', 'A human-readable name for the Group.', { required: true }),
    complex('members', 'The Users in the Group, by id.', [attr('value', 'The id of a User in this Group.', { mutability: 'immutable', caseExact: true })], {
      multiValued: true,
    }),
  ],
};

/** RFC 7643 §3.1 common attributes: on every resource, set by the service. */
const commonAttributes: AttributeDef[] = [
  attr('id', 'A unique identifier for the resource, issued by the service.', { caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' }),
  complex(
    'meta',
    'Resource metadata.',
    [
      attr('resourceType', 'The name of the resource type.', { caseExact: true, mutability: 'readOnly' }),
      attr('created', 'When the resource was added.', { type: 'dateTime', mutability: 'readOnly' }),
      attr('lastModified', 'When the resource was last changed.', { type: 'dateTime', mutability: 'readOnly' }),
      attr('location', 'The URI of the resource.', { type: 'reference', caseExact: true, mutability: 'readOnly' }),
      attr('version', 'The version (ETag) of the resource.', { caseExact: true, mutability: 'readOnly' }),
    ],
    { mutability: 'readOnly' },
  ),
];

/** A resource type's schemas: the core one first, then its extensions. */
export interface ResourceSchemas {
  core: SchemaDef;
  extensions: SchemaDef[];
}
export const userSchemas: ResourceSchemas = { core: userSchema, extensions: [enterpriseUserSchema] };
export const groupSchemas: ResourceSchemas = { core: groupSchema, extensions: [] };
export const allSchemas = [userSchema, enterpriseUserSchema, groupSchema];

const named = (list: AttributeDef[] | undefined, name: string) => list?.find((a) => a.name.toLowerCase() === name.toLowerCase());

/** An attribute path as a schema and names: `urn:…:User:name.givenName`, `emails.value`, `meta.created`. */
export function resolvePath(schemas: ResourceSchemas, path: string): { schema: SchemaDef; names: string[] } | null {
  const lower = path.toLowerCase();
  for (const schema of [...schemas.extensions, schemas.core]) {
    const prefix = `${schema.id.toLowerCase()}:`;
    if (lower.startsWith(prefix)) return { schema, names: path.slice(prefix.length).split('.') };
  }
  if (lower.startsWith('urn:')) return null;
  return { schema: schemas.core, names: path.split('.') };
}

/** The definition of an attribute path, or undefined for one the service does not know. */
export function attributeAt(schemas: ResourceSchemas, path: string): AttributeDef | undefined {
  const resolved = resolvePath(schemas, path);
  if (!resolved) return undefined;
  const [head, ...rest] = resolved.names;
  let def = named(resolved.schema.attributes, head!) ?? (resolved.schema === schemas.core ? named(commonAttributes, head!) : undefined);
  for (const name of rest) def = named(def?.subAttributes, name);
  return def;
}

/** /Schemas: each schema as RFC 7643 §7 represents it. */
export function schemaResource(schema: SchemaDef, location: string) {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Schema'],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes,
    meta: { resourceType: 'Schema', location },
  };
}

/** Why a write was refused; the service turns it into a 400 invalidValue. */
export class InvalidAttribute extends Error {}

const typeOk = (def: AttributeDef, value: unknown) =>
  def.type === 'boolean' ? typeof value === 'boolean' : def.type === 'complex' ? typeof value === 'object' && !Array.isArray(value) : typeof value === 'string';

function keepOne(def: AttributeDef, value: unknown, path: string): unknown {
  if (value === null) return undefined;
  if (def.multiValued) {
    if (!Array.isArray(value)) throw new InvalidAttribute(`${path} must be a list.`);
    return value.map((item) => keepValue({ ...def, multiValued: false }, item, path));
  }
  return keepValue(def, value, path);
}

function keepValue(def: AttributeDef, value: unknown, path: string): unknown {
  if (!typeOk(def, value)) throw new InvalidAttribute(`${path} must be ${def.type === 'complex' ? 'an object' : `a ${def.type}`}.`);
  if (def.type !== 'complex') return value;
  return keepKnown(def.subAttributes ?? [], value as Record<string, unknown>, path);
}

function keepKnown(defs: AttributeDef[], resource: Record<string, unknown>, parent = ''): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(resource)) {
    const def = named(defs, key);
    if (!def || def.mutability === 'readOnly') continue;
    const path = parent ? `${parent}.${def.name}` : def.name;
    const v = keepOne(def, value, path);
    if (v !== undefined) kept[def.name] = v;
  }
  return kept;
}

/**
 * What a write stores: the attributes the schemas describe, under their own names (attribute
 * names are case-insensitive, RFC 7643 §2.1); unknown and read-only ones are ignored (RFC 7644
 * §3.3 lets a service ignore them), a value of the wrong type is refused.
 */
export function writableAttributes(schemas: ResourceSchemas, resource: Record<string, unknown>): Record<string, unknown> {
  const kept = keepKnown(schemas.core.attributes, resource);
  for (const extension of schemas.extensions) {
    const key = Object.keys(resource).find((k) => k.toLowerCase() === extension.id.toLowerCase());
    const value = key ? resource[key] : undefined;
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const ext = keepKnown(extension.attributes, value as Record<string, unknown>, extension.id);
      if (Object.keys(ext).length > 0) kept[extension.id] = ext;
    }
  }
  return kept;
}
