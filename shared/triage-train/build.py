#!/usr/bin/env python3
"""Assemble corpus.jsonl from the hand-written parts/*.txt files.

Part-file format (one utterance per line):
  @i <code>       default intent for following lines (S R C E F O H X)
  @lang en|es     language of following lines
  @hn on|off      following lines are hard negatives (near misses of an emergency)
  # ...           comment
  <svc> <text>            service code then the utterance
  <I>/<svc> <text>        per-line intent override
"""
import glob, json, os, random, re, sys, collections

HERE = os.path.dirname(os.path.abspath(__file__))
INTENTS = {"S": "schedule", "R": "reschedule", "C": "cancel", "E": "emergency",
           "F": "faq", "O": "owner_query", "H": "human", "X": "other"}
SVC = {"leak": "leak_repair", "burst": "burst_pipe", "frozen": "frozen_pipe",
       "flood": "flooding", "wh": "water_heater", "tankless": "tankless_install",
       "drain": "drain_clog", "sewer": "sewer_backup", "nowater": "no_water",
       "toilet": "toilet_repair", "faucet": "faucet_repair", "sump": "sump_pump",
       "gas": "gas_smell", "co": "co_alarm", "noheat": "no_heat", "noac": "no_ac",
       "hvac": "hvac_repair", "maint": "maintenance", "spark": "sparking_outlet",
       "burn": "burning_smell", "panel": "panel_repair", "outage": "power_outage",
       "elec": "electrical_repair", "handy": "handyman", "est": "estimate",
       "insp": "inspection", "other": "other"}


def parse_parts():
    rows, errors = [], []
    for path in sorted(glob.glob(os.path.join(HERE, "parts", "*.txt"))):
        intent, lang, hn = None, "en", False
        for n, raw in enumerate(open(path, encoding="utf-8"), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            if line.startswith("@"):
                k, v = line[1:].split(None, 1)
                if k == "i":
                    intent = INTENTS[v]
                elif k == "lang":
                    lang = v
                elif k == "hn":
                    hn = v == "on"
                continue
            code, text = line.split(None, 1)
            it = intent
            if "/" in code:
                ic, code = code.split("/", 1)
                it = INTENTS.get(ic)
            if it is None or code not in SVC:
                errors.append(f"{os.path.basename(path)}:{n}: bad code {code!r} / intent {it!r}")
                continue
            rows.append({"text": text, "intent": it, "emergency": it == "emergency",
                         "service": SVC[code], "lang": lang, "_hn": hn,
                         "_src": os.path.basename(path)})
    return rows, errors


def main():
    rows, errors = parse_parts()
    for e in errors:
        print("ERROR", e)
    # normalise: lower case, collapse whitespace
    for r in rows:
        t = r["text"].lower()
        t = re.sub(r"\s+", " ", t).strip()
        r["text"] = t
    seen, out, dups = set(), [], []
    for r in rows:
        key = re.sub(r"[^\w ]", "", r["text"])
        if key in seen:
            dups.append((r["_src"], r["text"]))
            continue
        seen.add(key)
        out.append(r)
    for d in dups:
        print("DUP", d)
    random.Random(20261201).shuffle(out)
    with open(os.path.join(HERE, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps({k: r[k] for k in ("text", "intent", "emergency", "service", "lang")},
                               ensure_ascii=False) + "\n")
    stats = {
        "total": len(out),
        "intent": collections.Counter(r["intent"] for r in out),
        "service": collections.Counter(r["service"] for r in out),
        "emergency": sum(r["emergency"] for r in out),
        "hard_negatives": sum(r["_hn"] for r in out),
        "es": sum(r["lang"] == "es" for r in out),
        "es_emergency": sum(r["lang"] == "es" and r["emergency"] for r in out),
        "es_hn": sum(r["lang"] == "es" and r["_hn"] for r in out),
        "hn_by_intent": collections.Counter(r["intent"] for r in out if r["_hn"]),
        "short_le4": sum(len(r["text"].split()) <= 4 for r in out),
        "long_ge25": sum(len(r["text"].split()) >= 25 for r in out),
    }
    bad_hn = [r for r in out if r["_hn"] and r["emergency"]]
    for r in bad_hn:
        print("HN-EMERGENCY", r["text"])
    json.dump({k: (dict(v.most_common()) if isinstance(v, collections.Counter) else v)
               for k, v in stats.items()},
              open(os.path.join(HERE, "stats.json"), "w"), indent=1)
    print(json.dumps({k: (dict(v.most_common()) if isinstance(v, collections.Counter) else v)
                      for k, v in stats.items()}, indent=1))
    return 1 if errors or bad_hn else 0


if __name__ == "__main__":
    sys.exit(main())
