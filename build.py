#!/usr/bin/env python3
"""brandsite command line: python build.py [build|check|new|serve] … (see --help)."""

import os
import sys

from brandsite.cli import main

if __name__ == "__main__":
    code = main()
    # Everything is written and closed by now; skip tearing down a large site's objects one
    # by one (a few tenths of a second on 10,000 branches) and leave at once.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0 if code is None else code if isinstance(code, int) else 1)
