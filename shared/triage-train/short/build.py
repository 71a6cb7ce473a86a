#!/usr/bin/env python3
"""Build corpus.jsonl from hand-written src/*.txt.
Directives: @i INTENT, @lang en|es, @hn on|off (hard negative), @asr on|off (speech-recognition slips).
Lines: CODE text   (CODE = service abbreviation below). '#' starts a comment line."""
import json, glob, os, random, re, collections, sys
# Another part may run this script on its own folder and seed (see ../calls/build.py).
HERE = globals().get('PART_DIR') or os.path.dirname(os.path.abspath(__file__))
SEED = globals().get('PART_SEED', 20261201)
SVC = dict(lk='leak_repair', bp='burst_pipe', fz='frozen_pipe', fl='flooding', wh='water_heater',
           tk='tankless_install', dc='drain_clog', sb='sewer_backup', nw='no_water', tr='toilet_repair',
           fr='faucet_repair', sp='sump_pump', gs='gas_smell', co='co_alarm', nh='no_heat', na='no_ac',
           hv='hvac_repair', mt='maintenance', so='sparking_outlet', bs='burning_smell', pr='panel_repair',
           po='power_outage', er='electrical_repair', hm='handyman', es='estimate', in_='inspection', o='other')
SVC['in'] = SVC.pop('in_')
INTENTS = {'schedule','reschedule','cancel','emergency','faq','owner_query','human','other'}
rows, errs = [], []
for fn in sorted(glob.glob(os.path.join(HERE, 'src', '*.txt'))):
    st = dict(i=None, lang='en', hn='off', asr='off')
    for n, line in enumerate(open(fn, encoding='utf-8'), 1):
        line = line.strip()
        if not line or line.startswith('#'):
            continue
        if line.startswith('@'):
            k, v = line[1:].split(None, 1); st[k] = v.strip(); continue
        code, text = line.split(None, 1)
        if code not in SVC or st['i'] not in INTENTS:
            errs.append(f'{fn}:{n}: {line}'); continue
        rows.append(dict(text=text.strip(), intent=st['i'], emergency=st['i'] == 'emergency',
                         service=SVC[code], lang=st['lang'], _hn=st['hn'] == 'on', _asr=st['asr'] == 'on',
                         _src=f'{os.path.basename(fn)}:{n}'))
if errs:
    print('\n'.join(errs)); sys.exit(1)
seen, out, dups = {}, [], []
for r in rows:
    key = re.sub(r'[^\w ]', '', r['text'].lower()).strip()
    key = re.sub(r'\s+', ' ', key)
    if key in seen:
        dups.append((r['_src'], seen[key], r['text'])); continue
    seen[key] = r['_src']; out.append(r)
for d in dups:
    print('DUP', *d)
random.Random(SEED).shuffle(out)
with open(os.path.join(HERE, 'corpus.jsonl'), 'w', encoding='utf-8') as f:
    for r in out:
        f.write(json.dumps({k: r[k] for k in ('text','intent','emergency','service','lang')}, ensure_ascii=False) + '\n')
N = len(out)
short = sum(1 for r in out if len(r['text'].split()) <= 6)
st = dict(total=N, dups_dropped=len(dups),
          intent=collections.Counter(r['intent'] for r in out).most_common(),
          service=collections.Counter(r['service'] for r in out).most_common(),
          emergencies=sum(r['emergency'] for r in out),
          hard_negatives=sum(r['_hn'] for r in out),
          hn_by_intent=collections.Counter(r['intent'] for r in out if r['_hn']).most_common(),
          spanish=sum(r['lang']=='es' for r in out),
          spanish_emerg=sum(r['lang']=='es' and r['emergency'] for r in out),
          asr=sum(r['_asr'] for r in out), short_1to6=short,
          es_by_intent=collections.Counter(r['intent'] for r in out if r['lang']=='es').most_common())
json.dump(st, open(os.path.join(HERE, 'stats.json'), 'w'), indent=1)
print(json.dumps(st))
