#!/usr/bin/env python3
"""Validate persona/corpus.jsonl: parse, vocabularies, emergency iff intent==emergency, no duplicates."""
import json, os, sys, itertools, re
HERE = os.path.dirname(os.path.abspath(__file__))
INTENTS = {"schedule","reschedule","cancel","emergency","faq","owner_query","human","other"}
SERVICES = set("""leak_repair burst_pipe frozen_pipe flooding water_heater tankless_install drain_clog
sewer_backup no_water toilet_repair faucet_repair sump_pump gas_smell co_alarm no_heat no_ac hvac_repair
maintenance sparking_outlet burning_smell panel_repair power_outage electrical_repair handyman estimate
inspection other""".split())
errs, texts = [], set()
rows = []
for n, line in enumerate(open(os.path.join(HERE, "corpus.jsonl"), encoding="utf-8"), 1):
    try:
        r = json.loads(line)
    except Exception as e:
        errs.append(f"{n}: bad json {e}"); continue
    if set(r) != {"text","intent","emergency","service","lang"}: errs.append(f"{n}: keys {sorted(r)}")
    if not isinstance(r.get("text"), str) or not r["text"].strip(): errs.append(f"{n}: empty text")
    if r.get("intent") not in INTENTS: errs.append(f"{n}: intent {r.get('intent')}")
    if r.get("service") not in SERVICES: errs.append(f"{n}: service {r.get('service')}")
    if r.get("lang") not in ("en","es"): errs.append(f"{n}: lang {r.get('lang')}")
    if r.get("emergency") is not (r.get("intent") == "emergency"): errs.append(f"{n}: emergency flag")
    if r["text"] != r["text"].lower(): errs.append(f"{n}: not lower case")
    if r["text"] in texts: errs.append(f"{n}: duplicate {r['text']}")
    texts.add(r["text"]); rows.append(r)
# near duplicates: word-set jaccard >= 0.8 for texts of >= 5 words
ws = [(r["text"], set(re.findall(r"\w+", r["text"]))) for r in rows]
near = []
for (a, sa), (b, sb) in itertools.combinations(ws, 2):
    if len(sa) >= 5 and len(sb) >= 5:
        j = len(sa & sb) / len(sa | sb)
        if j >= 0.8: near.append((round(j, 2), a, b))
print(f"{len(rows)} rows, {len(errs)} errors, {len(near)} near-duplicate pairs (jaccard>=0.8)")
for e in errs[:50]: print(e)
for x in near[:50]: print(x)
sys.exit(1 if errs else 0)
