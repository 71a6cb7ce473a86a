#!/usr/bin/env python3
"""Writes the name lists the dialogue's name extractor reads (shared/src/dialogue/names/).

- first.txt, last.txt: given names and the 10,000 commonest surnames of the US Census
  Bureau's 1990 name files (public domain), as packaged by the `names` 0.3.0 package on
  PyPI (MIT), downloaded into a temporary folder.
- common.txt: words callers use that are not names: every word of the triage training
  corpus (shared/triage-train/, never the evaluation sets) said at least twice, less the
  census names. "Supposed", "drywall" or "calle" are never a caller's name.

Usage: python3 scripts/name-lists.py   (needs pip and the network to PyPI)
"""
import glob, json, os, re, subprocess, sys, tarfile, tempfile, unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "shared/src/dialogue/names")


def fold(w):
    w = unicodedata.normalize("NFKD", w.lower())
    return "".join(c for c in w if not unicodedata.combining(c))


def census():
    with tempfile.TemporaryDirectory() as d:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "names==0.3.0", "-d", d],
                       check=True, stdout=subprocess.DEVNULL)
        tar = tarfile.open(os.path.join(d, "names-0.3.0.tar.gz"))
        read = lambda n: tar.extractfile(f"names-0.3.0/names/{n}").read().decode()
        first = set()
        for f in ("dist.male.first", "dist.female.first"):
            first |= {l.split()[0].lower() for l in read(f).splitlines() if l.strip()}
        last = [l.split()[0].lower() for l in read("dist.all.last").splitlines() if l.strip()][:10000]
        return sorted(first), last


def corpus_words(names):
    counts = {}
    for f in glob.glob(os.path.join(ROOT, "shared/triage-train/**/corpus.jsonl"), recursive=True):
        for line in open(f):
            if line.strip():
                for w in re.findall(r"[a-z']+", fold(json.loads(line)["text"])):
                    counts[w] = counts.get(w, 0) + 1
    return sorted(w for w, n in counts.items() if n >= 2 and w not in names and len(w) > 1)


first, last = census()
common = corpus_words(set(first) | set(last))
os.makedirs(OUT, exist_ok=True)
for name, words, about in [
    ("first.txt", first, "given names, US Census 1990"),
    ("last.txt", last, "the 10,000 commonest surnames, US Census 1990"),
    ("common.txt", common, "words of the training corpus that are not census names"),
]:
    with open(os.path.join(OUT, name), "w") as f:
        f.write(f"# {about}; written by scripts/name-lists.py\n")
        f.write("\n".join(words) + "\n")
    print(f"{name}: {len(words)} words")
