#!/usr/bin/env python3
"""brandsite command line: python build.py [build|check|new|serve] … (see --help)."""

import sys

from brandsite.cli import main

if __name__ == "__main__":
    sys.exit(main())
