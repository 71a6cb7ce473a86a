#!/usr/bin/env python3
"""Build corpus.jsonl and stats.json for the `voices` part from the hand-written sources in src/*.txt.

Source format (one utterance per line):
    # comment
    @i <intent>        sets the intent for the following lines
    @lang <en|es>      sets the language
    @hn <on|off>       marks following lines as hard negatives (stats only, not a JSONL field)
    <service> <utterance text>

The script lower-cases, strips punctuation the way phone speech recognition output
looks (apostrophes kept), de-duplicates, shuffles with a fixed seed and validates.
Standard library only.
"""
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"
SEED = 20261206

INTENTS = {"schedule", "reschedule", "cancel", "emergency", "faq", "owner_query", "human", "other"}
SERVICES = {
    "leak_repair", "burst_pipe", "frozen_pipe", "flooding", "water_heater", "tankless_install",
    "drain_clog", "sewer_backup", "no_water", "toilet_repair", "faucet_repair", "sump_pump",
    "gas_smell", "co_alarm", "no_heat", "no_ac", "hvac_repair", "maintenance", "sparking_outlet",
    "burning_smell", "panel_repair", "power_outage", "electrical_repair", "handyman", "estimate",
    "inspection", "other",
}
LANGS = {"en", "es"}
LIFE_SAFETY = {"gas_smell", "co_alarm", "sparking_outlet", "burning_smell", "panel_repair",
               "electrical_repair", "power_outage"}


def normalize(text):
    t = text.lower()
    t = t.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    # anything that is not a letter, digit, apostrophe or whitespace becomes a space
    t = re.sub(r"[^\w\s']|_", " ", t)
    # apostrophes only survive inside or at the end of a word (don't, neighbors')
    t = re.sub(r"(^|\s)'+", r"\1", t)
    t = re.sub(r"\s+", " ", t).strip()
    return t


def parse():
    rows, errors = [], []
    for path in sorted(SRC.glob("*.txt")):
        intent = lang = None
        hn = False
        for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            line = raw.strip()
            where = f"{path.name}:{n}"
            if not line or line.startswith("#"):
                continue
            if line.startswith("@"):
                key, _, val = line.partition(" ")
                val = val.strip()
                if key == "@i":
                    if val not in INTENTS:
                        errors.append(f"{where}: bad intent {val!r}")
                    intent = val
                elif key == "@lang":
                    if val not in LANGS:
                        errors.append(f"{where}: bad lang {val!r}")
                    lang = val
                elif key == "@hn":
                    if val not in ("on", "off"):
                        errors.append(f"{where}: bad @hn {val!r}")
                    hn = val == "on"
                else:
                    errors.append(f"{where}: unknown directive {key!r}")
                continue
            service, _, text = line.partition(" ")
            if service not in SERVICES:
                errors.append(f"{where}: bad service {service!r}")
                continue
            if intent is None or lang is None:
                errors.append(f"{where}: data line before @i/@lang")
                continue
            norm = normalize(text)
            if not norm:
                errors.append(f"{where}: empty text")
                continue
            if hn and intent == "emergency":
                errors.append(f"{where}: hard negative labelled emergency")
            rows.append({"text": norm, "intent": intent, "emergency": intent == "emergency",
                         "service": service, "lang": lang, "_hn": hn, "_where": where})
    return rows, errors


def main():
    rows, errors = parse()
    seen, out, dups = {}, [], []
    for r in rows:
        prev = seen.get(r["text"])
        if prev is not None:
            same = all(prev[k] == r[k] for k in ("intent", "service", "lang"))
            msg = f"{r['_where']}: duplicate of {prev['_where']}: {r['text']!r}"
            if same:
                dups.append(msg)
            else:
                errors.append(msg + " (conflicting labels)")
            continue
        seen[r["text"]] = r
        out.append(r)

    if errors:
        print("\n".join(errors), file=sys.stderr)
        sys.exit(1)
    for d in dups:
        print("dropped " + d, file=sys.stderr)

    random.Random(SEED).shuffle(out)
    fields = ("text", "intent", "emergency", "service", "lang")
    with open(HERE / "corpus.jsonl", "w", encoding="utf-8") as f:
        for r in out:
            f.write(json.dumps({k: r[k] for k in fields}, ensure_ascii=False) + "\n")

    def count(key, items):
        return dict(Counter(key(r) for r in items).most_common())

    emerg = [r for r in out if r["emergency"]]
    hns = [r for r in out if r["_hn"]]
    es = [r for r in out if r["lang"] == "es"]
    words = [len(r["text"].split()) for r in out]
    stats = {
        "total": len(out),
        "emergencies": len(emerg),
        "emergencies_life_safety": sum(r["service"] in LIFE_SAFETY for r in emerg),
        "hard_negatives": len(hns),
        "ordinary": len(out) - len(emerg) - len(hns),
        "duplicates_dropped": len(dups),
        "per_intent": count(lambda r: r["intent"], out),
        "per_service": count(lambda r: r["service"], out),
        "per_lang": count(lambda r: r["lang"], out),
        "hard_negatives_per_intent": count(lambda r: r["intent"], hns),
        "emergencies_per_service": count(lambda r: r["service"], emerg),
        "es": {"total": len(es), "emergencies": sum(r["emergency"] for r in es),
               "hard_negatives": sum(r["_hn"] for r in es)},
        "words": {"min": min(words), "max": max(words),
                  "short_le_4": sum(w <= 4 for w in words), "long_ge_25": sum(w >= 25 for w in words)},
        "seed": SEED,
    }
    with open(HERE / "stats.json", "w", encoding="utf-8") as f:
        json.dump(stats, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(json.dumps({k: stats[k] for k in ("total", "emergencies", "emergencies_life_safety",
                                             "hard_negatives", "ordinary", "per_lang")}))


if __name__ == "__main__":
    main()
