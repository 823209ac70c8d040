#!/usr/bin/env bash
# Train passeur's learned summarizer, one command: the pinned training venv (with passeur itself
# installed into it, as a fresh clone has it), then the seeded run.
#   bench/summary/run.sh                 # writes summarize/data/learned.npz, prints the valid figures
#   bench/summary/run.sh --seed 7 --out bench/out/other.npz
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -f ../shared/eval/orangesum_train/train.jsonl.gz ]; then
  echo "OrangeSum train/valid not found at ../shared/eval/orangesum_train: nothing to train on" >&2
  exit 2
fi
VENV=bench/out/train-venv
if [ ! -x "$VENV/bin/python" ]; then "${PYTHON:-python3.11}" -m venv "$VENV"; fi
"$VENV/bin/pip" install -q --no-deps -r bench/summary/requirements.lock
# passeur's summarizer and segmenter are what the training computes features with: the same code
# as at run time, imported as passeur.summarize (setup.cfg maps summarize/ there).
"$VENV/bin/pip" install -q --no-deps -e .
exec "$VENV/bin/python" bench/summary/train.py "$@"
