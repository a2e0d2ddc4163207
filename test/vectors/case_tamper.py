#!/usr/bin/env python3
# case_tamper.py -- makes the tampered case packages from the genuine one in
# case/ (run by hand when the genuine one is made again; `make test` only
# reads the files).  Each is what a party holding a case package could do to
# make it say something else; VECTORS lists the verdict each must get.
import copy, json

def load():
    with open('case/case-1001.json') as f:
        return json.load(f)

def save(doc, name):
    with open('case/' + name + '.json', 'w') as f:
        json.dump(doc, f, indent=1, ensure_ascii=True)

def step(doc, kind):
    return next(s for s in doc['steps'] if s['kind'] == kind)

# the approver named is someone else
doc = load(); step(doc, 'approval')['actor'] = 'legal2'; save(doc, 'actor-edited')
# the interview's explanation rewritten
doc = load(); step(doc, 'interview')['details']['explanation'] = 'admits everything'; save(doc, 'details-edited')
# a rebuttal left out of the steps
doc = load(); doc['steps'] = [s for s in doc['steps'] if s['kind'] != 'rebuttal']; save(doc, 'step-removed')
# the evidence attached said to be another entry
doc = load()
s = next(s for s in doc['steps'] if s['kind'] == 'evidence' and s['details'].get('evidence_seq'))
s['details']['evidence_link'] = '0' * 64
save(doc, 'evidence-link-edited')
# the outcome stated otherwise
doc = load(); doc['case']['state'] = 'cleared'; save(doc, 'state-edited')
# the evidence package of another case's employee
doc = load(); doc['case']['employee_id'] = 'CS2'; save(doc, 'employee-edited')
# a step's time moved
doc = load(); step(doc, 'union_notice')['occurred_at'] = '2026-01-01T00:00:00.000000Z'; save(doc, 'time-edited')
# the same package, its members in another order (as another JSON tool could write it)
doc = load(); save({k: doc[k] for k in reversed(list(doc))}, "reordered")
# what the package states of the case, otherwise than its steps recorded
doc = load(); doc['case']['ground'] = '39_4b'; save(doc, 'ground-edited')
doc = load(); doc['case']['reason'] = 'stole from the till'; save(doc, 'reason-edited')
doc = load(); doc['case']['closed_at'] = None; save(doc, 'closed-edited')
# the evidence package's range moved past the evidence attached
doc = load(); doc['evidence']['range']['from'] = '2026-12-31T00:00:00.000000Z'; save(doc, 'range-moved')
