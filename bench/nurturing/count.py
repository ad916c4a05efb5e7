#!/usr/bin/env python3
"""Counts what GreenMail received for the bench addresses: subjects 'Bench <n>' for n = 1..expected.
Prints distinct, duplicates, lost and the time of the last message (its Received header, whole seconds)."""
import email.utils, json, sys, urllib.request, re
api, addresses, expected = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
seen, total, last = {}, 0, None
for i in range(addresses):
    try:
        with urllib.request.urlopen(f"{api}/api/user/bench-{i}@bench.local/messages/", timeout=120) as r:
            messages = json.load(r)
    except urllib.error.HTTPError:
        continue
    for m in messages:
        total += 1
        subject = m.get("subject", "")
        seen[subject] = seen.get(subject, 0) + 1
        received = re.search(r"Received: [^;]*; ([^\r\n]+)", m.get("mimeMessage", ""))
        if received:
            t = email.utils.parsedate_to_datetime(received.group(1))
            last = t if last is None or t > last else last
wanted = {f"Bench {n}" for n in range(1, expected + 1)}
distinct = len(wanted & seen.keys())
dups = sum(c - 1 for s, c in seen.items() if c > 1)
print(json.dumps({"received": total, "distinct": distinct, "duplicates": dups, "lost": expected - distinct,
                  "last_received": last.isoformat() if last else None,
                  "duplicated": sorted(int(s.split()[1]) for s, c in seen.items() if c > 1)[:50]}))
