#!/usr/bin/env python3
"""Save-to-reload latency of `metroportal serve` on the real portal.

Copies the portal (config.toml, content/, themes/, static/) into a temporary folder, starts
`metroportal serve --port 0` on it, opens the live-reload event stream
(/__metroportal/events) the way a browser tab does, then N times: appends a unique line to a
content file, waits for the `state` event announcing the new build, and fetches the edited
page over a new connection (what the tab's reload does) until it contains the line.

Two times per run, both from the moment before the file is written:
  event  - the reload event has arrived;
  page   - the changed page has been served.
Prints every run, then the median and p95 (nearest rank) of both.

Usage: python3 bench/serve_latency.py [--bin target/release/metroportal] [--runs 25]
"""

import argparse
import math
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def read_head(sock_file):
    status = sock_file.readline().decode()
    headers = {}
    while True:
        line = sock_file.readline().decode()
        if line in ("\r\n", ""):
            break
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers


class Events:
    """The Server-Sent Events stream of build states."""

    def __init__(self, host, port):
        self.sock = socket.create_connection((host, port))
        self.sock.sendall(f"GET /__metroportal/events HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
        self.file = self.sock.makefile("rb")
        status, headers = read_head(self.file)
        assert status.startswith("HTTP/1.1 200"), status
        assert headers.get("content-type") == "text/event-stream", headers

    def next_state(self):
        event, data = None, None
        while True:
            line = self.file.readline().decode()
            if not line:
                raise RuntimeError("event stream closed")
            line = line.rstrip("\n")
            if line.startswith("event: "):
                event = line[7:]
            elif line.startswith("data: "):
                data = line[6:]
            elif line == "":
                if event == "state" and data is not None:
                    return data
                event, data = None, None


def get(host, port, path):
    with socket.create_connection((host, port)) as sock:
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    raw = b"".join(chunks)
    head, _, body = raw.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), body.decode("utf-8", "replace")


def p95(values):
    ordered = sorted(values)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(REPO, "target/release/metroportal"))
    parser.add_argument("--runs", type=int, default=25)
    parser.add_argument("--file", default="content/o-stowarzyszeniu.md", help="content file to edit")
    parser.add_argument("--path", default="/o-stowarzyszeniu/", help="URL path of that file's page")
    parser.add_argument("--pause", type=float, default=0.5, help="seconds between runs")
    parser.add_argument(
        "--server-nice",
        type=int,
        default=0,
        help="run serve at this nice value (negative needs root): on a machine shared with "
        "other heavy jobs, approximates an editor's computer where serve does not compete",
    )
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="serve-latency-")
    site = os.path.join(tmp, "site")
    os.makedirs(site)
    shutil.copy(os.path.join(REPO, "config.toml"), site)
    for folder in ("content", "themes", "static"):
        if os.path.isdir(os.path.join(REPO, folder)):
            shutil.copytree(os.path.join(REPO, folder), os.path.join(site, folder))
    os.makedirs(os.path.join(tmp, "tmp"))
    env = dict(os.environ, TMPDIR=os.path.join(tmp, "tmp"))
    log = open(os.path.join(tmp, "serve.log"), "w+")
    server = subprocess.Popen(
        [args.bin, "serve", "--port", "0", "--root", site],
        stdout=subprocess.PIPE,
        stderr=log,
        env=env,
        preexec_fn=(lambda: os.nice(args.server_nice)) if args.server_nice else None,
    )
    try:
        url = server.stdout.readline().decode().strip()
        if not url.startswith("http://"):
            log.seek(0)
            sys.exit(f"serve did not start:\n{log.read()}")
        host, port = url[len("http://"):].rstrip("/").rsplit(":", 1)
        port = int(port)
        events = Events(host, port)
        first = events.next_state()
        print(f"serve at {url}, first state {first}; editing {args.file}, reading {args.path}")
        edited = os.path.join(site, args.file)
        to_event, to_page = [], []
        for run in range(args.runs):
            marker = f"Pomiar opóźnienia {run}-{time.time_ns()}"
            start = time.perf_counter()
            with open(edited, "a", encoding="utf-8") as f:
                f.write(f"\n\n{marker}\n")
            state = events.next_state()
            event_at = time.perf_counter()
            if '"ok":true' not in state:
                log.seek(0)
                sys.exit(f"run {run}: the rebuild failed: {state}\n{log.read()}")
            while True:
                status, body = get(host, port, args.path)
                if status == 200 and marker in body:
                    break
                if time.perf_counter() - start > 10:
                    sys.exit(f"run {run}: the page never showed the change (status {status})")
            page_at = time.perf_counter()
            to_event.append((event_at - start) * 1000)
            to_page.append((page_at - start) * 1000)
            print(f"run {run + 1:2}: event {to_event[-1]:6.1f} ms, page {to_page[-1]:6.1f} ms")
            time.sleep(args.pause)
        print()
        print(f"runs: {args.runs}, serve at nice {args.server_nice}, load average {os.getloadavg()[0]:.1f}")
        for name, values in (("save -> reload event", to_event), ("save -> page served", to_page)):
            print(
                f"{name:22} median {statistics.median(values):6.1f} ms  p95 {p95(values):6.1f} ms  "
                f"min {min(values):6.1f} ms  max {max(values):6.1f} ms"
            )
        log.seek(0)
        rebuilds = [line.strip() for line in log if line.startswith("Rebuilt")]
        if rebuilds:
            print(f"last rebuild reported by serve: {rebuilds[-1]}")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
