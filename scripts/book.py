#!/usr/bin/env python3
"""Build the book: ``python scripts/book.py {book,convert,verify,notebooks,slides,pdf,lint,translate}``.

Thin entry point; the logic lives in scripts/bookbuild/ (see its cli module).
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bookbuild.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
