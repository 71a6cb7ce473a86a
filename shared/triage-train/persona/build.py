#!/usr/bin/env python3
"""Build persona/corpus.jsonl from the hand-written sources in persona/src/*.txt.

Source format (stateful headers, one utterance per line):
  @p persona-name      persona the following lines are written in
  @i intent            intent of the following lines
  @l en|es             language
  @hn 0|1              hard-negative tag (near miss of an emergency), stats only
  # comment
  <service> <text>     one utterance
"""
import glob, json, os, random, re, collections, sys

HERE = os.path.dirname(os.path.abspath(__file__))
INTENTS = {"schedule", "reschedule", "cancel", "emergency", "faq", "owner_query", "human", "other"}
SERVICES = set("""leak_repair burst_pipe frozen_pipe flooding water_heater tankless_install drain_clog
sewer_backup no_water toilet_repair faucet_repair sump_pump gas_smell co_alarm no_heat no_ac hvac_repair
maintenance sparking_outlet burning_smell panel_repair power_outage electrical_repair handyman estimate
inspection other""".split())


def main():
    rows, seen, errors = [], {}, []
    for path in sorted(glob.glob(os.path.join(HERE, "src", "*.txt"))):
        p = i = None
        lang, hn = "en", 0
        for n, raw in enumerate(open(path, encoding="utf-8"), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            where = f"{os.path.basename(path)}:{n}"
            if line.startswith("@"):
                key, _, val = line.partition(" ")
                val = val.strip()
                if key == "@p":
                    p = val
                elif key == "@i":
                    if val not in INTENTS:
                        errors.append(f"{where} bad intent {val}")
                    i = val
                elif key == "@l":
                    lang = val
                elif key == "@hn":
                    hn = int(val)
                else:
                    errors.append(f"{where} bad header {line}")
                continue
            svc, _, text = line.partition(" ")
            text = re.sub(r"\s+", " ", text.strip().lower())
            if svc not in SERVICES:
                errors.append(f"{where} bad service {svc!r}")
                continue
            if not text or not p or not i:
                errors.append(f"{where} missing text/persona/intent")
                continue
            if text in seen:
                errors.append(f"{where} duplicate of {seen[text]}: {text}")
                continue
            seen[text] = where
            rows.append({"text": text, "intent": i, "emergency": i == "emergency",
                         "service": svc, "lang": lang, "_p": p, "_hn": bool(hn)})
    if errors:
        print("\n".join(errors))
        sys.exit(1)
    random.Random(20261201).shuffle(rows)
    with open(os.path.join(HERE, "corpus.jsonl"), "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps({k: r[k] for k in ("text", "intent", "emergency", "service", "lang")},
                               ensure_ascii=False) + "\n")
    st = {
        "total": len(rows),
        "intent": collections.Counter(r["intent"] for r in rows).most_common(),
        "emergencies": sum(r["emergency"] for r in rows),
        "hard_negatives": sum(r["_hn"] for r in rows),
        "hn_by_intent": collections.Counter(r["intent"] for r in rows if r["_hn"]).most_common(),
        "lang": collections.Counter(r["lang"] for r in rows).most_common(),
        "es_emergency": sum(1 for r in rows if r["lang"] == "es" and r["emergency"]),
        "es_hn": sum(1 for r in rows if r["lang"] == "es" and r["_hn"]),
        "service": collections.Counter(r["service"] for r in rows).most_common(),
        "personas": collections.Counter(r["_p"] for r in rows).most_common(),
    }
    json.dump(st, open(os.path.join(HERE, "stats.json"), "w"), indent=1)
    print(json.dumps({k: st[k] for k in st if k not in ("service", "personas")}, indent=None))
    print("personas:", len(st["personas"]))


if __name__ == "__main__":
    main()
