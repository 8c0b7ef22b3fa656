// `doui export --as dpv` read as JSON-LD (jsonld.js, no network): the export expands without
// loss, and every DPV property's values are of the class DPV gives as its range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import jsonldModule from 'jsonld';
import { cliCommand, run } from '../cli/run.mjs';

const jsonld = jsonldModule.default ?? jsonldModule;
const cli = cliCommand('DOUI_CLI');

const DPV = 'https://w3id.org/dpv#';
const LOC = 'https://w3id.org/dpv/loc#';
const RDFS_LABEL = 'http://www.w3.org/2000/01/rdf-schema#label';
const DCT = 'http://purl.org/dc/terms/';
const XSD_DATETIME = 'http://www.w3.org/2001/XMLSchema#dateTime';
const RDF_LANG_STRING = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#langString';

// The ranges of the DPV properties the export uses, as DPV 2.x states them (dcam:rangeIncludes
// in https://w3id.org/dpv, DPV 2.1/2.2 dpv.ttl). isIndicatedAtTime has no range in DPV 2 (DPV 1
// gave xsd:dateTime); hasContact has only a domain (dpv:Entity): its values may be anything.
const RANGES = {
  hasDataSubject: 'DataSubject',
  hasDataController: 'DataController',
  hasConsentStatus: 'ConsentStatus',
  hasNotice: 'Notice',
  hasPurpose: 'Purpose',
  hasPersonalData: 'PersonalData',
  hasRecipient: 'Recipient',
  hasJurisdiction: 'Location',
  isIndicatedBy: 'Entity',
  isIndicatedAtTime: { literal: XSD_DATETIME },
  hasContact: null,
};
// Domains stated by DPV 2.x (dcam:domainIncludes) for the properties above that have one that
// is not merely suggestive: hasContact is said of an entity.
const DOMAINS = { hasContact: 'Entity' };

// skos:broader / rdfs:subClassOf in DPV 2.x for the classes the export uses (dpv: unless an IRI).
const BROADER = {
  DataSubject: 'HumanSubject',
  Child: 'VulnerableHuman',
  VulnerableHuman: 'HumanSubject',
  ParentOfDataSubject: 'ParentOfHuman',
  ParentOfHuman: 'HumanSubject',
  GuardianOfDataSubject: 'GuardianOfHuman',
  GuardianOfHuman: 'HumanSubject',
  HumanSubject: 'LegalEntity',
  DataController: 'LegalEntity',
  ThirdParty: 'LegalEntity',
  Recipient: 'LegalEntity',
  LegalEntity: 'Entity',
  PrivacyNotice: 'Notice',
  Country: 'Jurisdiction',
  Jurisdiction: 'Location',
  ConsentRecord: 'DataProcessingRecord',
};
// Named individuals and their types in DPV 2.x: the consent statuses are instances of
// dpv:ConsentStatus; loc:JP is a dpv:Country.
const INSTANCE_OF = {
  [`${DPV}ConsentGiven`]: ['ConsentStatus'],
  [`${DPV}ConsentRefused`]: ['ConsentStatus'],
  [`${DPV}ConsentWithdrawn`]: ['ConsentStatus'],
  [`${LOC}JP`]: ['Country'],
};

function isA(cls, range) {
  for (let c = cls; c; c = BROADER[c]) if (c === range) return true;
  return false;
}

// No network: any context or document jsonld.js asks for is an error.
const documentLoader = async (url) => {
  throw new Error(`document loader asked for ${url}: the export must carry its context`);
};

function consent(args) {
  const r = run(cli, ['consent', '--at', '2025-06-01T10:00:00+09:00', ...args]);
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.toString().trim();
}
const agree = ['--agree'];
const FIRST = '6f1c1d2e-3b4a-4c5d-8e6f-7a8b9c0d1e2f';

const records = {
  given: consent(['--subject', 'u-1', '--birthdate', '1990-05-20', ...agree, '--link', 'ponta', '--link', 'amazon',
    '--id', FIRST]),
  guardian: consent(['--subject', 'u-15', '--birthdate', '2009-06-02', ...agree, '--guardian-name', '山田 花子',
    '--guardian-relation', 'parent', '--guardian-affirm', '--link', 'ponta', '--guardian-covers', 'ponta']),
  withdrawn: consent(['--subject', 'u-1', '--birthdate', '1990-05-20', '--event', 'withdrawn', '--previous', FIRST]),
};

function exportDpv(recordText) {
  const r = run(cli, ['export', '--as', 'dpv', '-'], { input: recordText + '\n' });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.toString().split('\n').filter(Boolean);
  assert.equal(lines.length, 1);
  return JSON.parse(lines[0]);
}

// Every value under every non-keyword key, counted: what expansion must keep.
function countValues(node) {
  if (Array.isArray(node)) return node.reduce((n, v) => n + countValues(v), 0);
  if (node === null || typeof node !== 'object') return 0;
  if ('@value' in node) return 0;
  let n = 0;
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith('@')) continue;
    n += (Array.isArray(v) ? v.length : 1) + countValues(v);
  }
  return n;
}

function keysOf(node, out = new Set()) {
  if (Array.isArray(node)) node.forEach((v) => keysOf(v, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '@context') continue;
      if (!k.startsWith('@')) out.add(k);
      keysOf(v, out);
    }
  }
  return out;
}

async function checkLossless(doc) {
  // safe mode: jsonld.js throws on anything it would drop (an undefined term, a relative IRI).
  const expanded = await jsonld.expand(doc, { documentLoader, safe: true });
  assert.equal(countValues(expanded), countValues(doc), 'expansion dropped values');
  const context = doc['@context'];
  for (const key of keysOf(doc)) {
    const [prefix, local] = key.split(':');
    assert.ok(local && typeof context[prefix] === 'string', `${key} is not a compact IRI of the context`);
    assert.match(context[prefix], /^(https?:\/\/|urn:)/, `${key}: not an absolute IRI`);
  }
  return expanded;
}

// Nodes by @id from the flattened graph, with every type each is given anywhere.
async function graph(doc) {
  const flat = await jsonld.flatten(doc, null, { documentLoader, safe: true });
  const nodes = new Map();
  for (const n of flat) nodes.set(n['@id'], n);
  return nodes;
}

function dpvTypes(node, id) {
  const types = (node?.['@type'] ?? []).filter((t) => t.startsWith(DPV)).map((t) => t.slice(DPV.length));
  return types.concat(INSTANCE_OF[id] ?? []);
}

function checkRanges(nodes) {
  const used = new Set();
  for (const [id, node] of nodes) {
    for (const [p, values] of Object.entries(node)) {
      if (!p.startsWith(DPV)) continue;
      const name = p.slice(DPV.length);
      used.add(name);
      assert.ok(name in RANGES, `dpv:${name} is used but not in the range table`);
      if (DOMAINS[name]) {
        assert.ok(dpvTypes(node, id).some((t) => isA(t, DOMAINS[name])), `${id}: dpv:${name} needs a ${DOMAINS[name]}`);
      }
      const range = RANGES[name];
      for (const v of values) {
        if (range === null) continue;
        if (typeof range === 'object') {
          assert.equal(v['@type'], range.literal, `${id} dpv:${name}: ${JSON.stringify(v)}`);
          continue;
        }
        assert.ok('@id' in v, `${id} dpv:${name}: a literal, not a dpv:${range}: ${JSON.stringify(v)}`);
        const types = dpvTypes(nodes.get(v['@id']), v['@id']);
        assert.ok(types.some((t) => isA(t, range)),
          `${id} dpv:${name} -> ${v['@id']} typed [${types}], not a dpv:${range}`);
      }
    }
  }
  return used;
}

function labels(node) {
  return (node[RDFS_LABEL] ?? []).map((l) => [l['@value'], l['@language']]);
}

test('every export expands without loss and keeps to DPV ranges', async () => {
  const used = new Set();
  let ran = 0;
  for (const [name, text] of Object.entries(records)) {
    const doc = exportDpv(text);
    await checkLossless(doc);
    for (const p of checkRanges(await graph(doc))) used.add(p);
    ran++;
    assert.ok(!JSON.stringify(doc).includes('doui.consent/1'), name);
  }
  assert.equal(ran, 3);
  assert.deepEqual([...used].sort(), Object.keys(RANGES).sort());
});

test('purposes, data items and recipients are nodes of their classes, labelled in Japanese', async () => {
  const record = JSON.parse(records.given);
  const nodes = await graph(exportDpv(records.given));
  const ofType = (cls) => [...nodes.values()].filter((n) => (n['@type'] ?? []).includes(DPV + cls));
  const expected = (key) => record.choices.flatMap((c) => c[key]).sort();
  const got = (cls) => ofType(cls).map((n) => {
    const l = labels(n);
    assert.equal(l.length, 1);
    assert.equal(l[0][1], 'ja');
    return l[0][0];
  }).sort();
  assert.deepEqual(got('Purpose'), expected('purposes'));
  assert.deepEqual(got('PersonalData'), expected('data_items'));
  assert.deepEqual(got('Recipient'), expected('recipients'));
  assert.ok(expected('purposes').length >= 10);
  // No bare strings under hasPurpose / hasPersonalData anywhere.
  const expanded = await jsonld.expand(exportDpv(records.given), { documentLoader, safe: true });
  const json = JSON.stringify(expanded);
  assert.ok(!/"https:\/\/w3id.org\/dpv#has(Purpose|PersonalData)":\[\{"@value"/.test(json));
});

test('the controller is named as the policy names it, with its contact point', async () => {
  const nodes = await graph(exportDpv(records.given));
  const record = nodes.get(`urn:uuid:${FIRST}`);
  const [{ '@id': cid }] = record[`${DPV}hasDataController`];
  assert.equal(cid, 'urn:doui:controller:irp-privacy-policy');
  const controller = nodes.get(cid);
  assert.deepEqual(controller['@type'], [`${DPV}DataController`]);
  assert.deepEqual(labels(controller), [['株式会社インディードリクルートパートナーズ', 'ja']]);
  const [{ '@id': contact }] = controller[`${DPV}hasContact`];
  assert.equal(contact, 'urn:doui:policy:irp-privacy-policy:2025-04-01#s10');
  assert.deepEqual(labels(nodes.get(contact)), [['10. 個人情報に関する問合せ先', 'ja']]);
  assert.deepEqual(record[`${DPV}hasJurisdiction`], [{ '@id': `${LOC}JP` }]);
  // Each linkage names the same controller.
  const linkages = record['urn:doui:vocab#linkages'];
  assert.equal(linkages.length, 3);
  for (const l of linkages) {
    assert.deepEqual(nodes.get(l['@id'])[`${DPV}hasDataController`], [{ '@id': cid }]);
  }
});

test('a guardian consents as ParentOfDataSubject for a Child', async () => {
  const nodes = await graph(exportDpv(records.guardian));
  const record = [...nodes.values()].find((n) => n['@id'].startsWith('urn:uuid:'));
  const subject = nodes.get(record[`${DPV}hasDataSubject`][0]['@id']);
  assert.deepEqual(subject['@type'].sort(), [`${DPV}Child`, `${DPV}DataSubject`]);
  const by = nodes.get(record[`${DPV}isIndicatedBy`][0]['@id']);
  assert.deepEqual(by['@type'], [`${DPV}ParentOfDataSubject`]);
  assert.deepEqual(by[`${DCT}title`], [{ '@value': '山田 花子' }]);
  // One guardian node, by the record's id, for the record and each of its linkages.
  assert.equal(by['@id'], `${record['@id']}#consent-by`);
  const linkages = record['urn:doui:vocab#linkages'];
  assert.equal(linkages.length, 3);
  for (const l of linkages) {
    assert.deepEqual(nodes.get(l['@id'])[`${DPV}isIndicatedBy`], [{ '@id': by['@id'] }]);
  }
  assert.deepEqual(record[`${DPV}hasConsentStatus`], [{ '@id': `${DPV}ConsentGiven` }]);
});

test('a withdrawal is ConsentWithdrawn, everywhere, and replaces the previous record', async () => {
  const nodes = await graph(exportDpv(records.withdrawn));
  const record = [...nodes.values()].find((n) => n['@id'].startsWith('urn:uuid:') && n[`${DCT}replaces`]);
  assert.deepEqual(record[`${DCT}replaces`], [{ '@id': `urn:uuid:${FIRST}` }]);
  assert.deepEqual(record[`${DPV}hasConsentStatus`], [{ '@id': `${DPV}ConsentWithdrawn` }]);
  const linkages = record['urn:doui:vocab#linkages'];
  assert.equal(linkages.length, 3);
  for (const l of linkages) {
    assert.deepEqual(nodes.get(l['@id'])[`${DPV}hasConsentStatus`], [{ '@id': `${DPV}ConsentWithdrawn` }]);
  }
  assert.deepEqual(record[`${DPV}isIndicatedAtTime`][0]['@type'], XSD_DATETIME);
  assert.ok(!JSON.stringify([...nodes.values()]).includes(RDF_LANG_STRING));
});

// An export states that consent was given: a record verify refuses is refused (exit 1), and
// nothing is written.
test('a record of a policy the exporter does not know is refused', () => {
  const rec = JSON.parse(records.given);
  rec.policy.version = '2099-01-01';
  const r = run(cli, ['export', '--as', 'dpv', '-'], { input: JSON.stringify(rec) + '\n' });
  assert.equal(r.status, 1);
  assert.equal(r.stdout.length, 0);
  assert.match(r.stderr, /record\.unknown_policy at \/policy/);
  const digest = JSON.parse(records.given);
  digest.policy.digest = '0'.repeat(64);
  const d = run(cli, ['export', '--as', 'dpv', '-'], { input: JSON.stringify(digest) + '\n' });
  assert.equal(d.status, 1);
  assert.equal(d.stdout.length, 0);
  assert.match(d.stderr, /record\.policy_digest_mismatch at \/policy\/digest/);
});
