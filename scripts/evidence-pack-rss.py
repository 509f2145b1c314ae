#!/usr/bin/env python3
"""Measures a real `conform serve` sending an evidence pack: 500 uploaded
files of 400 KiB (200 MiB) on clause 8, an audit of clause 8, then the
pack downloaded through the API while the server's resident memory
(VmRSS in /proc) is sampled every 5 ms. The baseline, same run, same
server: the same 500 files downloaded one by one through the API.

Usage: scripts/evidence-pack-rss.py [path/to/conform]
(docs/PERFORMANCE.md, "The evidence pack")."""
import json, os, random, string, subprocess, sys, tempfile, threading, time, urllib.request

conform = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "conform")
ITEMS, SIZE, PORT = 500, 400 << 10, 18931
base = f"http://127.0.0.1:{PORT}"


def call(method, path, token, body=None, ctype="application/json"):
    req = urllib.request.Request(base + path, method=method, data=body, headers={"Authorization": "Bearer " + token})
    if body is not None:
        req.add_header("Content-Type", ctype)
    with urllib.request.urlopen(req) as r:
        return r.read()


def rss(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def measure(pid, work):
    peak, stop = [rss(pid)], threading.Event()

    def sample():
        while not stop.is_set():
            peak[0] = max(peak[0], rss(pid))
            time.sleep(0.005)

    before = rss(pid)
    t = threading.Thread(target=sample)
    t.start()
    start = time.monotonic()
    out = work()
    took = time.monotonic() - start
    stop.set()
    t.join()
    return took, before, peak[0], out


with tempfile.TemporaryDirectory() as d:
    data = os.path.join(d, "data")
    subprocess.run([conform, "demo", "--data-dir", data], check=True, capture_output=True)
    token = subprocess.run([conform, "token", "create", "--data-dir", data, "--user", "sam.patel@northwind.example", "--name", "bench"],
                           check=True, capture_output=True, text=True).stdout.strip().split()[-1]
    me = json.loads(subprocess.run([conform, "openapi"], capture_output=True, text=True).stdout and "{}")
    srv = subprocess.Popen([conform, "serve", "--data-dir", data, "--addr", f"127.0.0.1:{PORT}", "--no-jobs", "--log-level", "error"])
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz")
                break
            except Exception:
                time.sleep(0.1)
        user = json.loads(call("GET", "/api/v1/users?q=sam.patel", token))["items"][0]["id"]
        reqs, cursor = [], ""
        while True:
            page = json.loads(call("GET", "/api/v1/requirements?limit=200" + ("&cursor=" + cursor if cursor else ""), token))
            reqs += page["items"]
            cursor = page.get("next_cursor") or ""
            if not cursor:
                break
        framework = min(r["framework_id"] for r in reqs if r["code"] == "8")
        eight = [r["id"] for r in reqs if r["framework_id"] == framework and r["code"].startswith("8.")]
        clause8 = [r["id"] for r in reqs if r["framework_id"] == framework and r["code"] == "8"][0]
        rng = random.Random(1)
        letters = (string.ascii_letters + string.digits + " ,\n").encode()
        ids = []
        for i in range(ITEMS):
            body = (f"Record sample {i:03d}\n".encode() + bytes(rng.choice(letters) for _ in range(SIZE)))[:SIZE]
            q = f"/api/v1/evidence/files?name=sample-{i:03d}.txt&title=Sample+{i}&requirement_id={eight[i % len(eight)]}&owner_id={user}&review_by=2030-01-01"
            ids.append(json.loads(call("POST", q, token, body, "application/octet-stream"))["id"])
        audit = json.loads(call("POST", "/api/v1/audits", token, json.dumps({"title": "Operation", "requirement_ids": [clause8],
                                "planned_start": "2027-01-10", "planned_end": "2027-01-11"}).encode()))["id"]
        pid = srv.pid

        def files():
            return sum(len(call("GET", f"/api/v1/evidence/{i}/file", token)) for i in ids)

        def pack():
            n = 0
            req = urllib.request.Request(f"{base}/api/v1/audits/{audit}/evidence-pack", headers={"Authorization": "Bearer " + token})
            with urllib.request.urlopen(req) as r:
                while chunk := r.read(1 << 16):
                    n += len(chunk)
            return n

        for name, work in (("baseline: the 500 files one by one", files), ("evidence pack", pack), ("baseline: the 500 files one by one", files), ("evidence pack", pack)):
            took, before, peak, n = measure(pid, work)
            print(f"{name}: {n / (1 << 20):.1f} MiB in {took:.2f} s; server RSS {before / (1 << 20):.1f} MiB before, peak {peak / (1 << 20):.1f} MiB, growth {(peak - before) / (1 << 20):.1f} MiB")
    finally:
        srv.terminate()
        srv.wait()
