"""Fetch the public text the benchmarks read, from each set's origin, checked against checksums.

    python bench/fetch_data.py                  # into bench/data/ (what bench/speed.py and bench/day.py read)
    python bench/fetch_data.py --data DIR

Each file comes from a public repository at a fixed commit; some are cut to their first lines
(the benchmarks use no more). What is kept is checked against its SHA-256: a changed origin is
an error, never a silent change of benchmark. Files already present and right are not fetched again.

| file | origin | licence |
|---|---|---|
| flores200_devtest/fra_Latn.devtest | FLORES-200 devtest, French, first 500 lines (Meta AI; Helsinki-NLP/OPUS-MT-testsets) | CC BY-SA 4.0 |
| ntrex128/newstest2019-ref.fra.txt | NTREX-128, French references (MicrosoftTranslator/NTREX) | CC BY-SA 4.0 |
| orangesum_test_first150/... | OrangeSum test split, first 150 articles and titles (Tixierae/OrangeSum) | CC BY-SA 4.0 |
| orangesum_test/title/... | OrangeSum title-task test split, 1,500 articles and their titles (Tixierae/OrangeSum) | CC BY-SA 4.0 |
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import urllib.request
from pathlib import Path

DEFAULT = Path(__file__).resolve().parent / "data"
RAW = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"
OPUS = ("Helsinki-NLP/OPUS-MT-testsets", "ac0f19c0be3cb4e0d9450fcb2d7a9847c4bdd180")
NTREX = ("MicrosoftTranslator/NTREX", "8561f6a622db9edad1217683e5c83daefd8bb2bf")
ORANGESUM = ("Tixierae/OrangeSum", "e6f8a6e3b71006ad62b450bedbb5e88e2236657b")

# (file under the data folder, (repository, commit), path there, lines kept or None, SHA-256 of what is kept)
FILES = [
    ("flores200_devtest/fra_Latn.devtest", OPUS, "datasets/facebook/flores/flores200_dataset/devtest/fra_Latn.devtest",
     500, "76da083104d460462786968d0bd677c2c8dcf9b54f83514fe7b505102b604b9b"),
    ("ntrex128/newstest2019-ref.fra.txt", NTREX, "NTREX-128/newstest2019-ref.fra.txt", None,
     "1dd80d337f6a75c6ed579a95f09ca9b85d87d6e488d0a428c5f89cca99553136"),
    ("orangesum_test_first150/abstract/source_documents.txt", ORANGESUM, "summaries/abstracts/source_documents.txt",
     150, "2636c8a2447277d8e88129432994db3bc585d37e43e640cf0ac6376c38cf3919"),
    ("orangesum_test_first150/title/gold.txt", ORANGESUM, "summaries/titles/gold.txt",
     150, "9710627fedeb2d2d5efb02c28fa651da303abf1db3c894d077f04a16e608f396"),
    ("orangesum_test/title/source_documents.txt", ORANGESUM, "summaries/titles/source_documents.txt",
     None, "a5ab4fb7c1224c5d1881968e2789691ed995dc3e531d4133be87636503eee369"),
    ("orangesum_test/title/gold.txt", ORANGESUM, "summaries/titles/gold.txt",
     None, "0f4a3353838a2bee6c753d27424c153b10a0ec18a775de3ef76bf621502a8723"),
]


def kept(data: bytes, lines: int | None) -> bytes:
    return data if lines is None else b"".join(data.splitlines(keepends=True)[:lines])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT, help=f"folder to write into (default {DEFAULT})")
    args = parser.parse_args(argv)
    for name, (repo, commit), path, lines, digest in FILES:
        target = args.data / name
        if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == digest:
            continue
        url = RAW.format(repo=repo, commit=commit, path=path)
        print(f"fetching {url}", file=sys.stderr)
        try:
            with urllib.request.urlopen(url, timeout=60) as response:
                data = kept(response.read(), lines)
        except OSError as err:
            print(f"bench/fetch_data.py: {url}: {err}", file=sys.stderr)
            return 2
        if hashlib.sha256(data).hexdigest() != digest:
            print(f"bench/fetch_data.py: {url}: not the expected content (SHA-256 differs): the origin changed",
                  file=sys.stderr)
            return 2
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    print(f"benchmark data in {args.data}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
