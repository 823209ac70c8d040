"""`passeur serve` under load, on 127.0.0.1 only: 50 concurrent clients x 20 requests of news
paragraphs, against the same requests sent one at a time; then a soak.

    python bench/serve_load.py                      # tiny test models: the server's own cost
    python bench/serve_load.py --size base          # transformer-base test models: decoding dominates
    python bench/serve_load.py --soak 180           # seconds of soak (0: none)

It builds the test models (tests/make_model.py) once into bench/out/, installs them in a
folder of its own, and starts the real command, `passeur serve --no-cache` (so that every
request is decoded), on a free port of 127.0.0.1. Requests are POST /translate in JSON, each a
news paragraph of OrangeSum (../shared/eval, as bench/day.py reads it) into en, ar or he in
turn (ar and he through English), some as a list of two paragraphs; no sentence is in two
requests, so nothing is shared between them but the decoding rounds.

Two phases, in turn, twice (the order swapped in the second round; medians): the same requests
one at a time (one client, one connection), and 50 clients at once, 20 requests each, each
client on its own keep-alive connection. Every answer must be a 200 whose translations match,
text for text, what the one-at-a-time phase got for the same request: with the argos engine a
sentence's translation does not depend on what it is decoded with, so any difference is an
answer given to the wrong request. It prints requests/s, sentences/s, p50/p95 latency, errors
and mismatches, and the ratio of concurrent to one-at-a-time throughput.

The soak sends fresh paragraphs with the same 50 clients, pass after pass, for --soak seconds,
and samples the server's resident memory every second: the peak of each pass should be flat
(the script says how much the last pass's peak differs from the first's).

Bounded: at most --max-requests requests in all, every request with a 120 s time-out, the soak
stops at its time, and the server is stopped at the end whatever happens.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
ORANGESUM = ROOT.parent / "shared" / "eval" / "orangesum_train"
PAIRS = [("fr", "en"), ("en", "ar"), ("en", "he")]
TARGETS = ["en", "ar", "he"]
HOST = "127.0.0.1"


def paragraphs(limit: int) -> list[str]:
    """News paragraphs of two or three sentences from OrangeSum articles, no sentence twice."""
    from passeur.translate.segment import split_sentences

    out, seen = [], set()
    for split in ("valid", "train"):
        with gzip.open(ORANGESUM / f"{split}.jsonl.gz", "rt", encoding="utf-8") as lines:
            for line in lines:
                sentences = [s for s in split_sentences(json.loads(line)["article"]) if 20 <= len(s) <= 300]
                for start in range(0, len(sentences) - 1, 3):
                    chunk = sentences[start:start + 3]
                    if len(chunk) >= 2 and not seen.intersection(chunk):
                        seen.update(chunk)
                        out.append(" ".join(chunk))
                        if len(out) == limit:
                            return out
    return out


def requests(texts: list[str], first: int) -> list[dict]:
    """Request bodies: each paragraph into a target in turn; every fifth request a list of two."""
    bodies, i = [], 0
    while i < len(texts):
        target = TARGETS[(first + len(bodies)) % 3]
        if (first + len(bodies)) % 5 == 4 and i + 1 < len(texts):
            bodies.append({"q": texts[i:i + 2], "source": "fr", "target": target})
            i += 2
        else:
            bodies.append({"q": texts[i], "source": "fr", "target": target})
            i += 1
    return bodies


class Server:
    """`passeur serve` in its own process on a free port of 127.0.0.1; its memory sampled."""

    def __init__(self, env: dict, threads: int):
        with socket.socket() as probe:
            probe.bind((HOST, 0))
            self.port = probe.getsockname()[1]
        command = [sys.executable, "-c", "from passeur.cli import main; main()", "serve", "--host", HOST,
                   "--port", str(self.port), "--no-cache", "--threads", str(threads), "--timeout", "600"]
        with open(OUT / "serve_load.log", "w") as log:
            self.process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=log)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                status, _ = post(self.connect(), "/health", None, "GET")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        sys.exit("bench/serve_load.py: the server did not start (see bench/out/serve_load.log)")

    def connect(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(HOST, self.port, timeout=120)

    def rss_mb(self) -> float:
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def cpu_seconds(self) -> float:
        """User and system CPU time the server has used so far."""
        with open(f"/proc/{self.process.pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def post(connection, path: str, body, method: str = "POST") -> tuple[int, dict]:
    data = json.dumps(body).encode("utf-8") if body is not None else None
    connection.request(method, path, body=data, headers={"Content-Type": "application/json"} if data else {})
    response = connection.getresponse()
    return response.status, json.loads(response.read().decode("utf-8"))


def run_phase(server: Server, bodies: list[dict], clients: int) -> dict:
    """Send bodies with `clients` clients at once (client c sends bodies c, c + clients, ...)."""
    answers: list = [None] * len(bodies)
    latencies: list = [0.0] * len(bodies)

    def client(c: int) -> None:
        connection = server.connect()
        for i in range(c, len(bodies), clients):
            started = time.perf_counter()
            try:
                answers[i] = post(connection, "/translate", bodies[i])
            except (OSError, http.client.HTTPException, ValueError) as err:
                answers[i] = (0, {"error": repr(err)})
                connection.close()
                connection = server.connect()
            latencies[i] = time.perf_counter() - started
        connection.close()

    started, cpu = time.perf_counter(), server.cpu_seconds()
    threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - started
    ordered = sorted(latencies)
    return {"answers": answers, "seconds": seconds, "cpu": server.cpu_seconds() - cpu, "p50": statistics.median(ordered),
            "p95": ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))],
            "errors": sum(status != 200 for status, _ in answers)}


def mismatches(answers: list, reference: list) -> int:
    return sum(a != r for (_, a), (_, r) in zip(answers, reference))


def sentences_in(bodies: list[dict]) -> int:
    from passeur.translate.segment import split_sentences

    return sum(len(split_sentences(t)) for b in bodies for t in (b["q"] if isinstance(b["q"], list) else [b["q"]]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=["tiny", "base"], default="tiny")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--per-client", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--soak", type=float, default=180.0, help="seconds of soak after the phases (0: none)")
    parser.add_argument("--threads", type=int, default=16, help="the server's --threads")
    parser.add_argument("--max-requests", type=int, default=40_000)
    args = parser.parse_args()
    if not ORANGESUM.is_dir():
        print(f"bench/serve_load.py: {ORANGESUM} is absent: put OrangeSum there (see the README's table)", file=sys.stderr)
        sys.exit(2)
    sys.path.insert(0, str(ROOT / "tests"))
    import make_model

    OUT.mkdir(exist_ok=True)
    home = Path(tempfile.mkdtemp(prefix="serve-load-"))
    from passeur.translate.models import install_file

    for a, b in PAIRS:
        built = OUT / f"serve-{args.size}-{a}_{b}.argosmodel"
        if not built.exists():
            make_model.build_package(a, b, args.size, built)
        install_file(built, home / "packages")
    # Random weights never emit </s>: every sentence decodes to its cap (1.3 x its tokens, as bench/speed.py).
    env = {**os.environ, "ARGOS_PACKAGES_DIR": str(home / "packages"), "XDG_DATA_HOME": str(home / "data"),
           "PASSEUR_MAX_LENGTH_RATIO": "1.3"}
    count = args.clients * args.per_client
    texts = paragraphs(count * 40)
    bodies = requests(texts[:int(count * 1.2)], 0)[:count]
    used = sum(len(b["q"]) if isinstance(b["q"], list) else 1 for b in bodies)
    sentences = sentences_in(bodies)
    server = Server(env, args.threads)
    sent = 0
    try:
        post(server.connect(), "/translate", {"q": "Premier essai.", "source": "fr", "target": "he"})  # models loaded
        phases: dict[str, list] = {"one at a time": [], f"{args.clients} at once": []}
        reference = None
        for number in range(args.rounds):
            order = list(phases) if number % 2 == 0 else list(phases)[::-1]
            for name in order:
                result = run_phase(server, bodies, 1 if name == "one at a time" else args.clients)
                sent += len(bodies)
                if name == "one at a time" and reference is None:
                    reference = result["answers"]
                phases[name].append(result)
        print(f"\n{len(bodies)} requests ({used} paragraphs, {sentences} sentences; into en, ar, he in turn), "
              f"{args.size} test models, `passeur serve --no-cache --threads {args.threads}`, 127.0.0.1; "
              f"medians of {args.rounds} rounds\n")
        print("| phase | seconds | requests/s | sentences/s | p50 latency | p95 latency | server CPU s | errors "
              "| mismatched |")
        print("|---|---|---|---|---|---|---|---|---|")
        rates = {}
        for name, results in phases.items():
            seconds = statistics.median(r["seconds"] for r in results)
            rates[name] = len(bodies) / seconds
            print(f"| {name} | {seconds:.1f} | {rates[name]:.1f} | {sentences / seconds:.1f} | "
                  f"{statistics.median(r['p50'] for r in results) * 1000:.0f} ms | "
                  f"{statistics.median(r['p95'] for r in results) * 1000:.0f} ms | "
                  f"{statistics.median(r['cpu'] for r in results):.0f} | {sum(r['errors'] for r in results)} | "
                  f"{sum(mismatches(r['answers'], reference) for r in results)} |")
        one, many = rates.values()
        print(f"\nthroughput, {args.clients} at once vs one at a time: {many / one:.2f}x")
        if args.soak > 0:
            soak(server, texts[int(count * 1.2):], args, sent)
    finally:
        server.stop()


def soak(server: Server, texts: list[str], args, sent: int) -> None:
    """Fresh requests pass after pass for args.soak seconds; the server's RSS sampled every second."""
    peaks: list[float] = []
    samples: list[float] = []
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(1.0):
            samples.append(server.rss_mb())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    count = args.clients * args.per_client
    print(f"\nsoak: {args.clients} clients, fresh paragraphs each pass, for {args.soak:.0f} s\n")
    print("| pass | requests | seconds | p50 | p95 | errors | peak RSS |")
    print("|---|---|---|---|---|---|---|")
    started, number, offset = time.monotonic(), 0, 0
    while time.monotonic() - started < args.soak and sent + count <= args.max_requests:
        bodies = requests(texts[offset:offset + int(count * 1.2)], number)[:count]
        offset += sum(len(b["q"]) if isinstance(b["q"], list) else 1 for b in bodies)
        if len(bodies) < count:
            print("(out of fresh paragraphs)")
            break
        first = len(samples)
        result = run_phase(server, bodies, args.clients)
        sent += len(bodies)
        number += 1
        peak = max(samples[first:] or [server.rss_mb()])
        peaks.append(peak)
        print(f"| {number} | {len(bodies)} | {result['seconds']:.1f} | {result['p50'] * 1000:.0f} ms | "
              f"{result['p95'] * 1000:.0f} ms | {result['errors']} | {peak:.0f} MB |")
    stop.set()
    if len(peaks) >= 2:
        print(f"\npeak RSS, last pass vs first: {peaks[-1]:.0f} MB vs {peaks[0]:.0f} MB "
              f"({100 * (peaks[-1] - peaks[0]) / peaks[0]:+.1f} %); highest {max(peaks):.0f} MB")


if __name__ == "__main__":
    main()
