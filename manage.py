#!/usr/bin/env python3
"""Django's command-line utility for Sinergi.

Configuration and connection problems are printed as one sentence saying what to fix,
not as a traceback.
"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
    from sinergi.cli import run_guarded

    sys.exit(run_guarded(sys.argv))


if __name__ == "__main__":
    main()
