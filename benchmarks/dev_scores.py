"""Build the ISW development set and print the shared scorer's micro-averaged table.

Usage: python benchmarks/dev_scores.py [--out DIR]

Runs ``kg build`` on ../shared/eval/dev/isw-dev-paragraphs.jsonl into DIR (default a
temporary folder), then ``score_set.py`` against ../shared/eval/dev/gold, so every
change to the extraction shows its effect. Skips with a message when ../shared is absent.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "eval" / "dev"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="keep the per-paragraph graphs here")
    args = parser.parse_args()
    corpus = DEV / "isw-dev-paragraphs.jsonl"
    if not corpus.exists():
        print(f"skipped: {corpus} is absent (needs ../shared)", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        out = args.out or Path(tmp)
        kg = Path(sys.executable).parent / "kg"
        subprocess.run([str(kg), "build", str(corpus), "--out-dir", str(out)], check=True,
                       stderr=subprocess.DEVNULL)
        scorer = SHARED / "eval" / "score_set.py"
        return subprocess.run([sys.executable, str(scorer), str(out), str(DEV / "gold")]).returncode


if __name__ == "__main__":
    sys.exit(main())
