#!/usr/bin/env python3
"""Save-to-reload latency of `metroportal serve`, on the real portal or a synthetic site.

Copies the site (config.toml, content/, themes/, static/) into a temporary folder, starts
`metroportal serve --port 0` on it, opens the live-reload event stream
(/__metroportal/events) the way a browser tab does, then N times each edit of --edits, and
after each waits for the `state` event announcing the new build and fetches a page over a new
connection (what the tab's reload does) until it shows the edit:
  body      - appends a unique line to --file; fetches --path until it has the line;
  title     - gives --file a unique title (shown in lists); fetches --path;
  new       - adds a page beside --file with a unique title; fetches it until it is served;
  delete    - removes the page `new` added; fetches it until it is gone (404);
  template  - appends a unique comment to --template; fetches --path until it has it.

Two times per run, both from the moment before the file is written:
  event  - the reload event has arrived;
  page   - the changed page has been served.
Prints every run, then the median and p95 (nearest rank) of both.

Usage: python3 bench/serve_latency.py [--bin target/release/metroportal] [--runs 25]
       python3 bench/serve_latency.py --site bench/sites/mp-1000 --edits body,title,new,delete,template \
           --file content/news/komunikat-00095.md --path /news/komunikat-00095/ \
           --template themes/bench/templates/page.html
"""

import argparse
import math
import re
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
    parser.add_argument("--site", default=REPO, help="site folder to copy (default: the portal)")
    parser.add_argument("--edits", default="body", help="comma-separated: body,title,new,delete,template")
    parser.add_argument("--template", default="themes/portal/templates/page.html", help="template to edit")
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
    shutil.copy(os.path.join(args.site, "config.toml"), site)
    for folder in ("content", "themes", "static", "data"):
        if os.path.isdir(os.path.join(args.site, folder)):
            shutil.copytree(os.path.join(args.site, folder), os.path.join(site, folder))
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
        kinds = args.edits.split(",")
        times = {kind: ([], []) for kind in kinds}
        new_file, new_path = None, None
        for run in range(args.runs):
            for kind in kinds:
                marker = f"Pomiar {kind} {run}-{time.time_ns()}"
                path, gone = args.path, False
                start = time.perf_counter()
                if kind == "body":
                    with open(edited, "a", encoding="utf-8") as f:
                        f.write(f"\n\n{marker}\n")
                elif kind == "title":
                    with open(edited, encoding="utf-8") as f:
                        text = f.read()
                    text = re.sub(r'^title = ".*"$', f'title = "{marker}"', text, count=1, flags=re.M)
                    with open(edited, "w", encoding="utf-8") as f:
                        f.write(text)
                elif kind == "new":
                    stem = f"pomiar-{run}"
                    new_file = os.path.join(os.path.dirname(edited), f"{stem}.md")
                    new_path = args.path.rstrip("/").rsplit("/", 1)[0] + f"/{stem}/"
                    with open(new_file, "w", encoding="utf-8") as f:
                        f.write(f'+++\ntitle = "{marker}"\ndate = 2026-01-01\n+++\n\n{marker}\n')
                    path = new_path
                elif kind == "delete":
                    if new_file is None:
                        sys.exit("`delete` removes the page `new` added: list new before delete")
                    os.remove(new_file)
                    path, gone, marker = new_path, True, None
                    new_file = None
                elif kind == "template":
                    # Inside the last block: text outside blocks of a child template is not shown.
                    template = os.path.join(site, args.template)
                    with open(template, encoding="utf-8") as f:
                        text = f.read()
                    at = text.rfind("{% endblock")
                    at = len(text) if at < 0 else at
                    with open(template, "w", encoding="utf-8") as f:
                        f.write(f"{text[:at]}<!-- {marker} -->{text[at:]}")
                else:
                    sys.exit(f"unknown edit {kind}")
                state = events.next_state()
                event_at = time.perf_counter()
                if '"ok":true' not in state:
                    log.seek(0)
                    sys.exit(f"run {run} {kind}: the rebuild failed: {state}\n{log.read()}")
                while True:
                    status, body = get(host, port, path)
                    if (gone and status == 404) or (not gone and status == 200 and marker in body):
                        break
                    if time.perf_counter() - start > 30:
                        sys.exit(f"run {run} {kind}: {path} never showed the change (status {status})")
                page_at = time.perf_counter()
                to_event, to_page = times[kind]
                to_event.append((event_at - start) * 1000)
                to_page.append((page_at - start) * 1000)
                print(f"run {run + 1:2} {kind:8}: event {to_event[-1]:7.1f} ms, page {to_page[-1]:7.1f} ms")
                time.sleep(args.pause)
        print()
        print(f"runs: {args.runs}, serve at nice {args.server_nice}, load average {os.getloadavg()[0]:.1f}")
        for kind, (to_event, to_page) in times.items():
            for name, values in (("save -> reload event", to_event), ("save -> page served", to_page)):
                print(
                    f"{kind:8} {name:22} median {statistics.median(values):7.1f} ms  p95 {p95(values):7.1f} ms  "
                    f"min {min(values):7.1f} ms  max {max(values):7.1f} ms"
                )
        log.seek(0)
        rebuilds = [line.strip() for line in log if line.startswith("Rebuilt")]
        if rebuilds:
            print(f"last rebuild reported by serve: {rebuilds[-1]}")
        log.seek(0)
        phases = [line.strip() for line in log if line.startswith("  phases")]
        for line in phases[-len(kinds):]:
            print(line)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
