#!/usr/bin/env python3
"""Builds this part from `src/*.txt` with ../short/build.py (the same source format and
checks), on this folder and with this part's own shuffle seed."""
import os
import runpy

HERE = os.path.dirname(os.path.abspath(__file__))
runpy.run_path(os.path.join(HERE, "..", "short", "build.py"),
               init_globals={"PART_DIR": HERE, "PART_SEED": 20261207})
