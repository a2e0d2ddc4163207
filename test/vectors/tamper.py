#!/usr/bin/env python3
# tamper.py -- makes the tampered test vectors from the genuine ones in v2/
# (run by hand when the genuine ones are made again; `make test` only reads
# the files).  Each variant is what a party who holds a package and wants it
# to say something else could do; VECTORS lists the verdict each must get.
import base64, copy, hashlib, json, sys

def load(name):
    return json.load(open('v2/' + name + '.json'))

def save(doc, name):
    with open('v2/' + name + '.json', 'w') as f:
        json.dump(doc, f, indent=1, ensure_ascii=True)

def manifest(doc):
    es = doc['entries']
    doc['manifest'] = {'entries': len(es), 'first_seq': es[0]['seq'], 'last_seq': es[-1]['seq'],
                       'last_link': es[-1]['link'],
                       'canon_sha256': hashlib.sha256(b''.join(base64.b64decode(e['canon']) for e in es)).hexdigest()}

def logleaf(eid, seq, link):
    e = eid.encode()
    return hashlib.sha256(b'\0' + b'hrguard/v1/logent' + len(e).to_bytes(4, 'big') + e
                          + seq.to_bytes(8, 'big') + bytes.fromhex(link)).hexdigest()

# cut short: the last entries dropped, the inclusion proof of the new last
# one (genuine, from hrguard.inclusion_proof) and the manifest made again
incl = json.load(open('v2/inclusion-e1-10.json'))
d = load('full-e1')
d['entries'] = [e for e in d['entries'] if e['seq'] <= 10]
d['inclusion'] = {'seq': 10, 'log_index': incl['log_index'],
                  'leaf_hash': logleaf('E1', 10, d['entries'][-1]['link']), 'proof': incl['proof']}
manifest(d)
save(d, 'cut-short')

# a middle entry of a range removed, the manifest made again
d = load('range-e1')
d['entries'] = [e for e in d['entries'] if e['seq'] != 5]
manifest(d)
save(d, 'middle-removed')

# the range moved so that the entry before it falls inside it
d = load('range-e1')
d['range']['from'] = '2026-11-01T00:00:00.000000Z'
save(d, 'range-edited')

# who exported it: covered by no hash, so it verifies, and is printed as such
d = load('range-e1')
d['exported']['by'] = 'mallory'
save(d, 'exporter-edited')

# the head claims an earlier seq (to hide the entries after it)
d = load('cut-short')
d['head']['seq'] = 10
d['head']['link'] = d['entries'][-1]['link']
save(d, 'head-edited')

# the checkpoint body with CR LF line ends
d = load('full-e1')
d['checkpoint']['body'] = d['checkpoint']['body'].replace('\n', '\r\n').rstrip('\r\n') + 'X\n'
save(d, 'body-crlf')

# a format this verifier does not know
d = load('full-e1')
d['format'] = 'hrguard-evidence-package/3'
save(d, 'format-3')

# an entry's payload edited in place
d = load('full-e1')
c = base64.b64decode(d['entries'][3]['canon']).replace(b'"day":4', b'"day":5')
d['entries'][3]['canon'] = base64.b64encode(c).decode()
save(d, 'entry-edited')

# checkpoint files: the genuine body with a blank line after it, and one of an unknown version
open('v2/checkpoint-b-trailing.txt', 'w').write(open('v2/checkpoint-b.txt').read() + '\n\n')
open('v2/checkpoint-v3.txt', 'w').write(open('v2/checkpoint-b.txt').read().replace('hrguard/v2/', 'hrguard/v3/'))

# format 1 claimed for a package proven against a version 2 body, its head removed
d = load('cut-short')
d['format'] = 'hrguard-evidence-package/1'
del d['head']
save(d, 'format-downgraded')

# a range end that is no time of the calendar
d = load('range-e1')
d['range']['from'] = '2026-13-01T00:00:00.000000Z'
save(d, 'range-month-13')

# the package's body with another time line than the body kept outside
d = load('full-e1')
d['checkpoint']['body'] = d['checkpoint']['body'].replace('time 2026-', 'time 2025-')
save(d, 'body-time-edited')
