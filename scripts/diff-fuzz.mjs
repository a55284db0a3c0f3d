#!/usr/bin/env node
// Copyright 2026 The arbiter Authors. SPDX-License-Identifier: Apache-2.0
//
// Differential testing against the reference Cedar: writes random policy
// sets, entities and requests, asks cedar-wasm (the peer, ../shared/peer) for
// each request's decision, reasons and errors, and saves every case in the
// Cedar integration-test format, so that `arbiter conformance --no-schema`
// can check arbiter gives the same answers. Policy texts cedar-wasm refuses
// to parse are listed in rejected.txt, for `arbiter check-parse` to refuse
// too. Driven by scripts/diff-fuzz, which says how to run it.
//
// usage: node diff-fuzz.mjs <peer-dir> <out-dir> <cases> <seed>
//
// The expressions are built by type (bool, long, string, set, record,
// entity and the four extension types), with a tenth of the operands of a
// random other type, so that both the successful paths and the type, overflow,
// missing-attribute and extension-parse errors are exercised. Everything is
// a function of the seed: a failing case can be regenerated exactly.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const [peerDir, outDir, casesArg, seedArg] = process.argv.slice(2);
if (!peerDir || !outDir) {
  console.error('usage: node diff-fuzz.mjs <peer-dir> <out-dir> [cases] [seed]');
  process.exit(2);
}
const cases = Number(casesArg ?? 200);
let seed = Number(seedArg ?? 1) >>> 0;

const require = createRequire(path.join(path.resolve(peerDir), 'package.json'));
const cedar = require('@cedar-policy/cedar-wasm/nodejs');

// mulberry32: small, fast and reproducible across Node versions.
function rand() {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (n) => Math.floor(rand() * n);
const pick = (xs) => xs[int(xs.length)];
const chance = (p) => rand() < p;

// ---- Data --------------------------------------------------------------

const E = (type, id) => ({ __entity: { type, id } });
const X = (fn, arg) => ({ __extn: { fn, arg } });
const ENTITIES = [
  {
    uid: { type: 'User', id: 'alice' },
    attrs: {
      age: 30, name: 'alice', nick: '', tags: ['a', 'b', 'admin'],
      manager: E('User', 'bob'), ip: X('ip', '10.0.0.1'),
      score: X('decimal', '1.2345'), born: X('datetime', '1990-05-01'),
      wait: X('duration', '1h30m'), rec: { a: 1, b: { c: 'x' }, 'd e': true },
      level: 9007199254740991,
    },
    parents: [{ type: 'Group', id: 'g1' }],
    tags: { role: 'admin', n: 3 },
  },
  {
    uid: { type: 'User', id: 'bob' },
    attrs: {
      age: -5, name: 'b*b', nick: 'bobby', tags: [], manager: E('User', 'ghost'),
      ip: X('ip', '::1'), score: X('decimal', '-0.5'),
      born: X('datetime', '2024-02-29T23:59:59.999Z'), wait: X('duration', '-2d'),
      rec: { a: -1 }, level: -9007199254740991,
    },
    parents: [{ type: 'Group', id: 'g2' }],
  },
  { uid: { type: 'Group', id: 'g1' }, attrs: { name: 'one' }, parents: [{ type: 'Group', id: 'g2' }] },
  { uid: { type: 'Group', id: 'g2' }, attrs: {}, parents: [] },
  {
    uid: { type: 'Photo', id: 'p1' },
    attrs: { owner: E('User', 'alice'), size: 1048576, label: 'vacation*', viewers: [E('User', 'bob'), E('Group', 'g1')] },
    parents: [{ type: 'Album', id: 'a1' }],
    tags: { private: true },
  },
  { uid: { type: 'Album', id: 'a1' }, attrs: { owner: E('User', 'bob') }, parents: [] },
  { uid: { type: 'Action', id: 'view' }, attrs: {}, parents: [{ type: 'Action', id: 'read' }] },
  { uid: { type: 'Action', id: 'read' }, attrs: {}, parents: [] },
];
const UIDS = [
  'User::"alice"', 'User::"bob"', 'User::"ghost"', 'Group::"g1"', 'Group::"g2"',
  'Photo::"p1"', 'Album::"a1"', 'Action::"view"', 'Action::"read"', 'Action::"edit"',
];
const uidJson = (text) => {
  const m = /^(\w+)::"(.*)"$/.exec(text);
  return { type: m[1], id: m[2] };
};

// Asks cedar-wasm to decide `req` (its principal, action, resource and
// context) over `entities` with a preparsed policy set and, when given, a
// preparsed schema (then the request is validated too). On success stores
// the answer in `req` as the integration-test format has it and returns
// null; otherwise returns cedar-wasm's first error message.
function decide(req, entities, policySetId, schemaName) {
  const ans = cedar.statefulIsAuthorized({
    principal: req.principal, action: req.action, resource: req.resource, context: req.context,
    entities, preparsedPolicySetId: policySetId,
    ...(schemaName ? { preparsedSchemaName: schemaName, validateRequest: true } : {}),
  });
  if (ans.type !== 'success') return ans.errors?.[0]?.message ?? 'refused';
  req.decision = ans.response.decision;
  req.reason = ans.response.diagnostics.reason;
  req.errors = ans.response.diagnostics.errors.map((e) => e.policyId);
  return null;
}

// Writes tests/<file> in the integration-test format; paths are relative to
// the output folder, as `arbiter conformance --root` resolves them.
function writeTest(file, { policies, entities, schema }, requests, extra = {}) {
  fs.writeFileSync(path.join(outDir, 'tests', file), JSON.stringify({
    policies, entities, schema, shouldValidate: false, ...extra, requests,
  }, null, 1));
}

// ---- Expressions ----------------------------------------------------------

const LONGS = ['0', '1', '-1', '7', '255', '9223372036854775807', '-9223372036854775808',
  '4611686018427387904', '3037000500', '-3037000500'];
const STRINGS = ['""', '"a"', '"alice"', '"b*b"', '"\\n"', '"\\u{e9}t\\u{e9}"', '"\\\\"', '"\\"q\\""',
  '"vacation*"', '"ünï"', '"one"', '"admin"'];
const PATTERNS = ['"*"', '"a*"', '"*e"', '"*li*"', '"b\\*b"', '"\\**"', '""', '"a**e"', '"?"', '"vacation\\*"', '"*\\n*"'];
const IPS = ['"10.0.0.1"', '"10.0.0.0/8"', '"127.0.0.1"', '"::1"', '"192.168.1.300"', '"224.0.0.1"',
  '"ff02::1"', '"10.0.0.1/33"', '"::ffff:10.0.0.1"', '"1.2.3"', '"0.0.0.0/0"', '"fe80::/10"', '"01.2.3.4"'];
const DECIMALS = ['"1.2345"', '"0.0"', '"-0.5"', '"1.23456"', '"922337203685477.5807"', '"-922337203685477.5808"',
  '"922337203685477.5808"', '"1."', '".5"', '"1.0"', '"abc"', '"-0.0001"'];
const DATETIMES = ['"1990-05-01"', '"2024-02-29T23:59:59.999Z"', '"2024-01-01T12:00:00Z"', '"2024-01-01T12:00:00+0130"',
  '"2024-01-01T12:00:00.123-0800"', '"2023-02-29"', '"2024-13-01"', '"1970-01-01"', '"2024-01-01T24:00:00Z"',
  '"0001-01-01"', '"9999-12-31T23:59:59.999Z"', '"2024-01-01T12:00Z"'];
const DURATIONS = ['"1h30m"', '"-2d"', '"1ms"', '"0ms"', '"1d2h3m4s5ms"', '"1x"', '"2h1d"', '"-1h-30m"',
  '"9223372036854775807ms"', '"106751991167d"', '""', '"1h"'];
const ATTRS = ['age', 'name', 'nick', 'tags', 'manager', 'ip', 'score', 'born', 'wait', 'rec', 'level',
  'owner', 'size', 'label', 'viewers', 'missing'];
const CONTEXT_FIELDS = ['n', 's', 'flag', 'set', 'who', 'addr', 'd', 'when', 'gap', 'r'];
const TYPES = ['bool', 'long', 'string', 'set', 'record', 'entity', 'ip', 'decimal', 'datetime', 'duration'];

const VARS = ['principal', 'resource', 'action', 'context'];

function gen(type, depth) {
  if (depth > 0 && chance(0.1)) type = pick(TYPES);  // a wrong-typed operand now and then
  const leaf = depth <= 0 || chance(0.25);
  const d = depth - 1;
  switch (type) {
    case 'bool': {
      if (leaf) return pick(['true', 'false', `${entityExpr(0)} has ${pick(ATTRS)}`, `context has ${pick(CONTEXT_FIELDS)}`]);
      return pick([
        () => `${gen('long', d)} ${pick(['<', '<=', '>', '>='])} ${gen('long', d)}`,
        () => { const t = pick(TYPES); return `${gen(t, d)} ${pick(['==', '!='])} ${gen(t, d)}`; },
        () => `(${gen('bool', d)} ${pick(['&&', '||'])} ${gen('bool', d)})`,
        () => `!${gen('bool', d)}`,
        () => `(if ${gen('bool', d)} then ${gen('bool', d)} else ${gen('bool', d)})`,
        () => `${gen('entity', d)} has ${pick(ATTRS)}`,
        () => `${gen('record', d)} has ${pick(['a', 'b', '"d e"', 'c'])}`,
        () => `${gen('entity', d)} in ${chance(0.3) ? gen('set', d) : gen('entity', d)}`,
        () => `${gen('entity', d)} is ${pick(['User', 'Group', 'Photo', 'Action', 'Album'])}`,
        () => `${gen('entity', d)} is ${pick(['User', 'Group'])} in ${gen('entity', d)}`,
        () => `${gen('string', d)} like ${pick(PATTERNS)}`,
        () => `${gen('set', d)}.contains(${gen(pick(TYPES), d)})`,
        () => `${gen('set', d)}.${pick(['containsAll', 'containsAny'])}(${gen('set', d)})`,
        () => `${gen('set', d)}.isEmpty()`,
        () => `${gen('ip', d)}.${pick(['isIpv4', 'isIpv6', 'isLoopback', 'isMulticast'])}()`,
        () => `${gen('ip', d)}.isInRange(${gen('ip', d)})`,
        () => `${gen('decimal', d)}.${pick(['lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual'])}(${gen('decimal', d)})`,
        () => `${gen('datetime', d)} ${pick(['<', '<=', '>', '>=', '==', '!='])} ${gen('datetime', d)}`,
        () => `${gen('duration', d)} ${pick(['<', '<=', '>', '>='])} ${gen('duration', d)}`,
        () => `${gen('entity', d)}.hasTag(${gen('string', d)})`,
      ])();
    }
    case 'long': {
      if (leaf) return pick([...LONGS, `${entityExpr(0)}.${pick(['age', 'size', 'level'])}`, 'context.n']);
      return pick([
        () => `(${gen('long', d)} ${pick(['+', '-', '*'])} ${gen('long', d)})`,
        () => `(-${gen('long', d)})`,
        () => `(if ${gen('bool', d)} then ${gen('long', d)} else ${gen('long', d)})`,
        () => `${gen('duration', d)}.${pick(['toMilliseconds', 'toSeconds', 'toMinutes', 'toHours', 'toDays'])}()`,
        () => `${gen('record', d)}.a`,
        () => `${gen('entity', d)}.getTag("n")`,
      ])();
    }
    case 'string': {
      if (leaf) return pick([...STRINGS, `${entityExpr(0)}.${pick(['name', 'nick', 'label'])}`, 'context.s']);
      return pick([
        () => `(if ${gen('bool', d)} then ${gen('string', d)} else ${gen('string', d)})`,
        () => `${gen('entity', d)}.getTag(${pick(['"role"', '"missing"'])})`,
        () => `${gen('record', d)}.b.c`,
      ])();
    }
    case 'set': {
      if (leaf) return pick(['[]', '[1, 2]', '["a", "b"]', `${entityExpr(0)}.tags`, 'resource.viewers', 'context.set',
        '[User::"alice", Group::"g2"]']);
      const n = int(4);
      const t = pick(TYPES);
      return `[${Array.from({ length: n }, () => gen(chance(0.8) ? t : pick(TYPES), d)).join(', ')}]`;
    }
    case 'record': {
      if (leaf) return pick(['{}', '{a: 1}', `${entityExpr(0)}.rec`, 'context.r', '{"d e": true, a: 2}']);
      const keys = ['a', 'b', '"d e"', 'c'].filter(() => chance(0.5));
      return `{${keys.map((k) => `${k}: ${k === 'b' ? gen('record', d) : gen(pick(TYPES), d)}`).join(', ')}}`;
    }
    case 'entity':
      if (leaf) return entityExpr(0);
      return pick([
        () => `${gen('entity', d)}.${pick(['manager', 'owner'])}`,
        () => `(if ${gen('bool', d)} then ${gen('entity', d)} else ${gen('entity', d)})`,
        () => entityExpr(0),
      ])();
    case 'ip':
      return leaf || chance(0.5) ? pick([`ip(${pick(IPS)})`, `${entityExpr(0)}.ip`, 'context.addr'])
        : `(if ${gen('bool', d)} then ${gen('ip', d)} else ${gen('ip', d)})`;
    case 'decimal':
      return leaf || chance(0.5) ? pick([`decimal(${pick(DECIMALS)})`, `${entityExpr(0)}.score`, 'context.d'])
        : `(if ${gen('bool', d)} then ${gen('decimal', d)} else ${gen('decimal', d)})`;
    case 'datetime':
      if (leaf) return pick([`datetime(${pick(DATETIMES)})`, `${entityExpr(0)}.born`, 'context.when']);
      return pick([
        () => `${gen('datetime', d)}.offset(${gen('duration', d)})`,
        () => `${gen('datetime', d)}.toDate()`,
        () => `(if ${gen('bool', d)} then ${gen('datetime', d)} else ${gen('datetime', d)})`,
      ])();
    case 'duration':
      if (leaf) return pick([`duration(${pick(DURATIONS)})`, `${entityExpr(0)}.wait`, 'context.gap']);
      return pick([
        () => `${gen('datetime', d)}.durationSince(${gen('datetime', d)})`,
        () => `${gen('datetime', d)}.toTime()`,
        () => `(if ${gen('bool', d)} then ${gen('duration', d)} else ${gen('duration', d)})`,
      ])();
  }
  throw new Error(`type ${type}`);
}

function entityExpr() {
  return pick(['principal', 'resource', 'action', 'principal', 'resource', ...UIDS, 'context.who']);
}

function scope() {
  const p = pick(['principal', 'principal', `principal == ${pick(UIDS)}`, `principal in ${pick(UIDS)}`,
    `principal is User`, `principal is User in Group::"g2"`]);
  const a = pick(['action', 'action', `action == Action::"view"`, `action in Action::"read"`,
    `action in [Action::"view", Action::"edit"]`]);
  const r = pick(['resource', 'resource', `resource == Photo::"p1"`, `resource in Album::"a1"`, `resource is Photo`]);
  return `${p}, ${a}, ${r}`;
}

function policy() {
  const conds = Array.from({ length: int(3) }, () =>
    `${pick(['when', 'when', 'unless'])} { ${gen('bool', 1 + int(4))} }`);
  return `${pick(['permit', 'permit', 'forbid'])} (${scope()})\n${conds.join('\n')};`;
}

function context() {
  const ctx = {};
  const values = {
    n: () => pick([0, 5, -3, 2147483648]), s: () => pick(['a', 'alice', '']), flag: () => chance(0.5),
    set: () => pick([[], [1, 2], ['a'], [E('User', 'bob')]]), who: () => E('User', pick(['alice', 'bob', 'ghost'])),
    addr: () => X('ip', pick(['10.1.2.3', '::1', '192.168.0.1/24'])), d: () => X('decimal', pick(['0.1', '-2.5000'])),
    when: () => X('datetime', pick(['2024-06-01', '2024-06-01T00:00:00Z'])), gap: () => X('duration', pick(['1h', '-5m'])),
    r: () => pick([{}, { a: 3 }, { a: 'x', b: { c: 'y' } }]),
  };
  for (const k of CONTEXT_FIELDS) if (chance(0.6)) ctx[k] = values[k]();
  return ctx;
}

// ---- Cases ------------------------------------------------------------------

fs.mkdirSync(path.join(outDir, 'tests'), { recursive: true });
fs.writeFileSync(path.join(outDir, 'entities.json'), JSON.stringify(ENTITIES, null, 1));
fs.writeFileSync(path.join(outDir, 'empty.cedarschema'), '');
const rejected = [];
let written = 0, requests = 0, allows = 0, withErrors = 0;
for (let c = 0; c < cases; c++) {
  const policies = Array.from({ length: 1 + int(6) }, policy).join('\n\n') + '\n';
  const pp = cedar.preparsePolicySet('fuzz', { staticPolicies: policies });
  const name = `case${String(c).padStart(5, '0')}`;
  if (pp.type !== 'success') {
    const file = path.join('tests', `${name}.rejected.cedar`);
    fs.writeFileSync(path.join(outDir, file), policies);
    rejected.push(file);
    continue;
  }
  const reqs = [];
  for (let r = 0; r < 4; r++) {
    const req = {
      description: `${name} request ${r}`,
      principal: uidJson(pick(['User::"alice"', 'User::"bob"', 'User::"ghost"', 'Group::"g1"'])),
      action: uidJson(pick(['Action::"view"', 'Action::"read"', 'Action::"edit"'])),
      resource: uidJson(pick(['Photo::"p1"', 'Album::"a1"', 'User::"alice"', 'Photo::"p9"'])),
      context: context(),
    };
    const refused = decide(req, ENTITIES, 'fuzz');
    if (refused !== null) {
      console.error(`${name}: cedar-wasm failed: ${refused.slice(0, 300)}`);
      process.exit(1);
    }
    requests++;
    if (req.decision === 'allow') allows++;
    if (req.errors.length) withErrors++;
    reqs.push(req);
  }
  fs.writeFileSync(path.join(outDir, 'tests', `${name}.cedar`), policies);
  writeTest(`${name}.json`, { policies: `tests/${name}.cedar`, entities: 'entities.json',
    schema: 'empty.cedarschema' }, reqs);
  written++;
}

// Parser agreement: each generated policy text again, with a few random
// token edits (deleted, repeated, swapped or inserted from a vocabulary of
// Cedar's tokens and near-misses), filed under parse/accept or
// parse/reject by whether cedar-wasm parses it.
const VOCAB = ['(', ')', '[', ']', '{', '}', ',', ';', ':', '::', '.', '==', '!=', '<', '<=', '>', '>=',
  '&&', '||', '!', '-', '+', '*', 'in', 'has', 'like', 'is', 'if', 'then', 'else', 'true', 'false',
  'permit', 'forbid', 'when', 'unless', 'principal', 'action', 'resource', 'context', '@id("x")', '@a',
  '"s"', '"\\u{41}"', '"\\q"', '"\\u{110000}"', '9223372036854775808', '-9223372036854775808', '0x1',
  '1.5', 'User', 'User::"a"', '__cedar', '__cedar::User', 'Action', '?principal', '?resource', 'ip', 'decimal',
  '// c\n', '/* c */', '_', 'a1', '.contains', '.isEmpty()', 'Ünï', '"', "'x'", '::"a"', '&', '|', '=', '%'];
const TOKEN = /"(?:[^"\\]|\\.)*"|::|==|!=|<=|>=|&&|\|\||[A-Za-z_][A-Za-z0-9_]*|-?\d+|\S/g;
fs.mkdirSync(path.join(outDir, 'parse', 'accept'), { recursive: true });
fs.mkdirSync(path.join(outDir, 'parse', 'reject'), { recursive: true });
let accepted = 0, refused = 0;
for (let c = 0; c < cases; c++) {
  const tokens = (Array.from({ length: 1 + int(3) }, policy).join('\n')).match(TOKEN);
  for (let edits = 1 + int(2); edits > 0; edits--) {
    const at = int(tokens.length);
    switch (int(4)) {
      case 0: tokens.splice(at, 1); break;
      case 1: tokens.splice(at, 0, tokens[at]); break;
      case 2: { const b = int(tokens.length); [tokens[at], tokens[b]] = [tokens[b], tokens[at]]; break; }
      default: tokens.splice(at, 0, pick(VOCAB));
    }
  }
  const text = tokens.join(' ') + '\n';
  const ok = cedar.preparsePolicySet('fuzz', { staticPolicies: text }).type === 'success';
  if (ok) accepted++; else refused++;
  fs.writeFileSync(path.join(outDir, 'parse', ok ? 'accept' : 'reject', `p${String(c).padStart(5, '0')}.cedar`), text);
}
console.log(`parser: ${accepted} edited texts cedar-wasm parses, ${refused} it refuses`);

// Validator agreement: single policies, from the same generator, checked
// against a schema that declares the entities above (strict validation, as
// `arbiter validate` and cedar-wasm's validate both do); each is filed
// under validate/ok or validate/errors by cedar-wasm's verdict.
const CONTEXT_TYPE = `{ n?: Long, s?: String, flag?: Bool, set?: Set<Long>, who?: User, addr?: ipaddr,
    d?: decimal, when?: datetime, gap?: duration, r?: { a?: Long, b?: { c: String } } }`;
const SCHEMA = `entity Group in [Group] { name?: String };
entity User in [Group] {
  age: Long, name: String, nick: String, tags: Set<String>, manager: User, ip: ipaddr,
  score: decimal, born: datetime, wait: duration, level: Long,
  rec: { a: Long, b?: { c: String }, "d e"?: Bool },
} tags Long;
entity Album { owner: User };
entity Photo in [Album] { owner: User, size: Long, label: String, viewers: Set<User> } tags Bool;
action read appliesTo { principal: [User, Group], resource: [Photo, Album], context: ${CONTEXT_TYPE} };
action view in [read] appliesTo { principal: [User], resource: [Photo], context: ${CONTEXT_TYPE} };
action edit appliesTo { principal: [User], resource: [Photo, Album, User], context: {} };
`;
fs.mkdirSync(path.join(outDir, 'validate', 'ok'), { recursive: true });
fs.mkdirSync(path.join(outDir, 'validate', 'errors'), { recursive: true });
fs.writeFileSync(path.join(outDir, 'validate', 'schema.cedarschema'), SCHEMA);
let valid = 0, invalid = 0;
for (let c = 0; c < cases; c++) {
  const text = policy() + '\n';
  if (cedar.preparsePolicySet('fuzz', { staticPolicies: text }).type !== 'success') continue;
  const v = cedar.validate({ schema: SCHEMA, policies: { staticPolicies: text } });
  if (v.type !== 'success') {
    console.error(`validate failed: ${JSON.stringify(v.errors).slice(0, 300)}`);
    process.exit(1);
  }
  const ok = v.validationErrors.length === 0;
  if (ok) valid++; else invalid++;
  fs.writeFileSync(path.join(outDir, 'validate', ok ? 'ok' : 'errors', `v${String(c).padStart(5, '0')}.cedar`), text);
}
console.log(`validator: ${valid} policies cedar-wasm validates, ${invalid} with validation errors`);

// Schema-directed cases: the same kind of policy sets, with entities whose
// extension values are plain strings the schema types (`"ip": "10.0.0.1"`
// read as an ipaddr), and requests of the types each action applies to,
// their contexts typed the same way; cedar-wasm parses entities and
// contexts with the schema and validates each request. Requests it refuses
// are filed apart (typed*.refused.json), for arbiter to refuse too: these
// cases check that arbiter reads typed data, validates and decides like it,
// with `validateRequest` on.
const TYPED_ENTITIES = ENTITIES.map((e) => {
  const attrs = {};
  for (const [k, v] of Object.entries(e.attrs)) attrs[k] = v && v.__extn ? v.__extn.arg : v;
  const out = { ...e, attrs };
  if (e.uid.type === 'User') out.tags = { role: 7, n: 3 };  // tags Long
  if (e.uid.type === 'Photo') attrs.viewers = [E('User', 'bob')];  // Set<User>
  return out;
});
fs.writeFileSync(path.join(outDir, 'entities.typed.json'), JSON.stringify(TYPED_ENTITIES, null, 1));
cedar.preparseSchema('fuzz', SCHEMA);
const typedContext = () => {
  const ctx = {};
  const values = {
    n: () => pick([0, 5, -3, 2147483648]), s: () => pick(['a', 'alice', '']), flag: () => chance(0.5),
    set: () => pick([[], [1, 2], [7]]), who: () => E('User', pick(['alice', 'bob', 'ghost'])),
    addr: () => pick(['10.1.2.3', '::1', '192.168.0.1/24']), d: () => pick(['0.1', '-2.5000']),
    when: () => pick(['2024-06-01', '2024-06-01T00:00:00Z']), gap: () => pick(['1h', '-5m']),
    r: () => pick([{}, { a: 3 }, { a: 4, b: { c: 'y' } }]),
  };
  for (const k of CONTEXT_FIELDS) if (chance(0.6)) ctx[k] = values[k]();
  return ctx;
};
let typedCases = 0, typedRequests = 0, typedRefused = 0;
for (let c = 0; c < cases; c++) {
  const policies = Array.from({ length: 1 + int(6) }, policy).join('\n\n') + '\n';
  if (cedar.preparsePolicySet('fuzz', { staticPolicies: policies }).type !== 'success') continue;
  const name = `typed${String(c).padStart(5, '0')}`;
  const reqs = [], refusedReqs = [];
  for (let r = 0; r < 4; r++) {
    const action = pick(['view', 'read', 'edit']);
    const principal = action === 'read' && chance(0.3) ? `Group::"${pick(['g1', 'g2'])}"`
      : `User::"${pick(['alice', 'bob', 'ghost'])}"`;
    const resource = pick(action === 'view' ? ['Photo::"p1"', 'Photo::"p9"']
      : action === 'read' ? ['Photo::"p1"', 'Album::"a1"'] : ['Photo::"p1"', 'Album::"a1"', 'User::"alice"']);
    const req = {
      description: `${name} request ${r}`, principal: uidJson(principal),
      action: { type: 'Action', id: action }, resource: uidJson(resource),
      context: action === 'edit' ? {} : typedContext(), validateRequest: true,
    };
    if (chance(0.15)) {  // one thing off the schema, most of which it refuses
      switch (int(5)) {
        case 0: req.principal = uidJson(pick(['Photo::"p1"', 'Group::"g1"', 'Album::"a1"'])); break;
        case 1: req.resource = uidJson(pick(['Group::"g1"', 'User::"bob"', 'Nope::"x"'])); break;
        case 2: req.context.n = pick(['5', true, [1]]); break;
        case 3: req.context.extra = 1; break;
        default: req.context.addr = pick(['not an ip', 17]);
      }
    }
    if (decide(req, TYPED_ENTITIES, 'fuzz', 'fuzz') !== null) {
      typedRefused++;
      refusedReqs.push({ ...req, decision: 'deny', reason: [], errors: [] });
      continue;
    }
    reqs.push(req);
  }
  fs.writeFileSync(path.join(outDir, 'tests', `${name}.cedar`), policies);
  const files = { policies: `tests/${name}.cedar`, entities: 'entities.typed.json',
    schema: 'validate/schema.cedarschema' };
  // arbiter must refuse every one of these.
  if (refusedReqs.length) writeTest(`${name}.refused.json`, files, refusedReqs);
  if (!reqs.length) continue;
  writeTest(`${name}.json`, files, reqs);
  typedCases++;
  typedRequests += reqs.length;
}
console.log(`with the schema: ${typedCases} cases, ${typedRequests} requests, and ${typedRefused} requests cedar-wasm refuses`);

// Entity data: the entities above with one or two edits each (keys
// dropped, added or retyped; odd attribute values and escapes; parents and
// uids in other forms; duplicates), read by cedar-wasm and by arbiter. A set
// cedar-wasm reads must give the same answers under a few policies that read
// attributes, tags and the hierarchy; one it refuses, arbiter must refuse
// too (tests/ents*.refused.json).
const ENTITY_POLICIES = `permit (principal, action, resource) when { principal has x && principal.x == resource.x };
permit (principal in Group::"g2", action, resource);
forbid (principal, action, resource) when { resource has owner && resource.owner == principal };
permit (principal, action, resource) when { principal.hasTag("a") && principal.getTag("a") == 1 };
permit (principal, action, resource) when { context.k in principal || principal in context.k };
permit (principal, action == Action::"view", resource) when { principal has ip && principal.ip.isIpv4() };
`;
const ODD_VALUES = [null, 1.5, {}, [], [1, 'a'], [[1], [1]], { __entity: { type: 'User' } },
  { __entity: { type: 'User', id: 'alice' }, more: 1 }, { __extn: { fn: 'ip', arg: 'nope' } },
  { __extn: { fn: 'nope', arg: '1' } }, { __extn: { fn: 'decimal' } }, { __expr: '1' },
  { type: 'User', id: 'bob' }, { __entity: { type: 'User', id: 'x', z: 1 } }, 'str', true, 9007199254740991,
  { __extn: { fn: 'ip', arg: '10.0.0.1', x: 1 } }, { __extn: { fn: 'ip', args: ['10.0.0.1'] } },
  { __entity: 'User::"bob"' }, { __entity: { type: 'Bad Type', id: 'x' } }, { a: { b: { c: [{ d: 1 }] } } },
  { __extn: { fn: 'datetime', arg: '2024-01-01' } }, { __extn: { fn: 'duration', arg: '1h' } }, E('User', 'bob')];
const clone = (x) => JSON.parse(JSON.stringify(x));
// e[key] as an object (or array), replaced by an empty one when an earlier
// edit left something else there.
const objectAt = (e, key) => {
  if (typeof e[key] !== 'object' || e[key] === null || Array.isArray(e[key])) e[key] = {};
  return e[key];
};
const arrayAt = (e, key) => {
  if (!Array.isArray(e[key])) e[key] = [];
  return e[key];
};
function mutateEntities() {
  const ents = clone(ENTITIES.filter((e) => e.uid.type !== 'Action'));
  for (let edits = 1 + int(2); edits > 0; edits--) {
    const e = pick(ents);
    switch (int(12)) {
      case 0: delete e[pick(['uid', 'attrs', 'parents', 'tags'])]; break;
      case 1: e[pick(['extra', 'Attrs', 'parent'])] = 1; break;
      case 2: case 3: case 4: objectAt(e, 'attrs')[pick(['x', 'age', 'ip', 'owner'])] = clone(pick(ODD_VALUES)); break;
      case 5: arrayAt(e, 'parents').push(clone(pick(['User::"bob"', E('Group', 'g2'), { type: 'Group' },
        { type: 'Group', id: 'g1' }, { type: 'Bad Type', id: 'x' }, 5, { type: 'Group', id: 'g9' }]))); break;
      case 6: {
        const u = e.uid && typeof e.uid.type === 'string' ? e.uid : { type: 'User', id: 'zed' };
        e.uid = clone(pick([{ __entity: u }, `${u.type}::"${u.id}"`, { type: 'Bad Type', id: 'x' },
          { type: u.type }, { type: 'User', id: 'alice' }, { type: u.type, id: u.id, more: 1 }]));
        break;
      }
      case 7: e.tags = clone(pick([{}, { a: 1 }, [], 5, { a: null }, { a: E('User', 'bob') }, { a: 1, b: 'x' }])); break;
      case 8: e.parents = clone(pick([{}, 'x', null, [[]]])); break;
      case 9: e.attrs = clone(pick([[], null, 5, { x: 1 }])); break;
      case 10: ents.push(clone(e)); break;
      default: { const d = clone(e); objectAt(d, 'attrs').x = 42; ents.push(d); }
    }
  }
  return ents;
}
let entsRead = 0, entsRefused = 0, entsRequests = 0;
if (cedar.preparsePolicySet('ents', { staticPolicies: ENTITY_POLICIES }).type !== 'success') {
  console.error('the entity policies do not parse');
  process.exit(1);
}
fs.writeFileSync(path.join(outDir, 'tests', 'ents.cedar'), ENTITY_POLICIES);
for (let c = 0; c < cases; c++) {
  const ents = mutateEntities();
  const name = `ents${String(c).padStart(5, '0')}`;
  const reqs = [];
  let refusedBy = null;
  for (let r = 0; r < 3 && refusedBy === null; r++) {
    const req = {
      description: `${name} request ${r}`,
      principal: uidJson(pick(['User::"alice"', 'User::"bob"', 'Group::"g1"'])),
      action: uidJson(pick(['Action::"view"', 'Action::"read"'])),
      resource: uidJson(pick(['Photo::"p1"', 'Album::"a1"', 'User::"alice"'])),
      context: { k: E('Group', pick(['g1', 'g2'])) },
    };
    refusedBy = decide(req, ents, 'ents');
    if (refusedBy === null) reqs.push(req);
  }
  fs.writeFileSync(path.join(outDir, 'tests', `${name}.entities.json`), JSON.stringify(ents, null, 1));
  const files = { policies: 'tests/ents.cedar', entities: `tests/${name}.entities.json`,
    schema: 'empty.cedarschema' };
  if (refusedBy === null) {
    writeTest(`${name}.json`, files, reqs);
  } else {
    writeTest(`${name}.refused.json`, files, [{ description: `${name}: refused`,
      principal: { type: 'User', id: 'alice' }, action: { type: 'Action', id: 'view' },
      resource: { type: 'Photo', id: 'p1' }, context: {}, decision: 'deny', reason: [], errors: [] }],
    { cedarSays: refusedBy });
  }
  if (refusedBy === null) { entsRead++; entsRequests += reqs.length; } else entsRefused++;
}
console.log(`entity data: ${entsRead} edited sets cedar-wasm reads (${entsRequests} requests), ${entsRefused} it refuses`);

fs.writeFileSync(path.join(outDir, 'rejected.txt'), rejected.map((f) => `${f}\n`).join(''));
console.log(`cedar-wasm ${cedar.getCedarVersion()}: ${written} cases (${requests} requests: ${allows} allow, ` +
  `${withErrors} with policy errors), ${rejected.length} policy texts it refuses to parse`);
