// gen-canon-vectors.mjs -- regenerate test/fixtures/canon_vectors.csv from
// canonicalize, a public RFC 8785 implementation on the npm registry, for
// the differential test sql/canon.sql.
//
//   mkdir -p /tmp/jcs && cd /tmp/jcs && npm install canonicalize@4.0.0
//   CANONICALIZE=/tmp/jcs/node_modules/canonicalize/lib/canonicalize.js \
//       node test/scripts/gen-canon-vectors.mjs > test/fixtures/canon_vectors.csv
//
// Each line holds a random document inside hrguard's subset (ASCII keys,
// integers up to 2^53-1, strings with escapes, controls, CJK and emoji),
// written non-canonically (shuffled keys, spaces, \u escapes), and the
// canonical bytes canonicalize() gives for it, both base64.  The generator
// is seeded, so the file is reproducible.
import { pathToFileURL } from 'url';
const canonicalize = (await import(pathToFileURL(process.env.CANONICALIZE).href)).default;

import { seededRandom } from './seeded-random.mjs';

const random = seededRandom(8785);
const pick = (a) => a[Math.floor(random() * a.length)];

const keyChars = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-$ "\\/\t~';
const strPieces = ['a', 'Z', '0', ' ', '"', '\\', '/', '\b', '\f', '\n', '\r', '\t', '\u0001', '\u001f',
	'\u007f', 'é', 'ü', '€', '中', '文', '打卡', '😀', '𝄞', '\u2028', '\u2029', "'", '<', '&'];

function randomString(maxLen, pieces) {
	let s = '';
	const n = Math.floor(random() * maxLen);
	for (let i = 0; i < n; i++) s += pick(pieces);
	return s;
}

function randomInteger() {
	const edges = [0, 1, -1, 9007199254740991, -9007199254740991, 10000000, -1800000000, 1732660800000000];
	if (random() < 0.3) return pick(edges);
	return Math.floor((random() * 2 - 1) * Math.pow(10, Math.floor(random() * 16)));
}

function randomValue(depth) {
	const r = random();
	if (depth < 4 && r < 0.25) {
		const o = {};
		const n = Math.floor(random() * 6);
		for (let i = 0; i < n; i++) o[randomString(6, keyChars.split(''))] = randomValue(depth + 1);
		return o;
	}
	if (depth < 4 && r < 0.4) {
		const a = [];
		const n = Math.floor(random() * 5);
		for (let i = 0; i < n; i++) a.push(randomValue(depth + 1));
		return a;
	}
	if (r < 0.65) return randomString(12, strPieces);
	if (r < 0.9) return randomInteger();
	return pick([true, false, null]);
}

// a non-canonical but equivalent text
function writeString(s) {
	let out = '"';
	for (const ch of s) {
		const c = ch.codePointAt(0);
		if (ch === '"' || ch === '\\') out += '\\' + ch;
		else if (c < 0x20 || random() < 0.1) {
			if (c > 0xffff) {
				const h = Math.floor((c - 0x10000) / 0x400) + 0xd800;
				const l = ((c - 0x10000) % 0x400) + 0xdc00;
				out += '\\u' + h.toString(16).toUpperCase() + '\\u' + l.toString(16);
			} else out += '\\u' + c.toString(16).padStart(4, '0');
		} else out += ch;
	}
	return out + '"';
}

function write(v) {
	const sp = () => pick(['', ' ', '\n ', '\t']);
	if (Array.isArray(v)) return '[' + sp() + v.map(write).join(sp() + ',' + sp()) + sp() + ']';
	if (v !== null && typeof v === 'object') {
		const keys = Object.keys(v).sort(() => random() - 0.5);
		return '{' + sp() + keys.map((k) => writeString(k) + sp() + ':' + sp() + write(v[k])).join(',' + sp()) + sp() + '}';
	}
	if (typeof v === 'string') return writeString(v);
	if (v === 0 && random() < 0.3) return '-0';
	return String(v);
}

const lines = [];
for (let i = 0; i < 600; i++) {
	const doc = i < 500 ? { v: 1, k: 'test', n: i, body: randomValue(0) } : randomValue(0);
	const input = write(doc);
	lines.push(Buffer.from(input, 'utf8').toString('base64') + ',' +
		Buffer.from(canonicalize(doc), 'utf8').toString('base64'));
}
console.log('input,expected');
console.log(lines.join('\n'));
